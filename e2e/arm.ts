/**
 * A minimal Azure Resource Manager client for the test's own calls (jobs, model registration, role
 * assignment for scoring, lock and leftover checks): fetch + a token from @azure/identity
 * (DefaultAzureCredential: the Azure CLI session in CI after azure/login, or `az login` locally).
 * Long-running operations follow Azure's async pattern (Azure-AsyncOperation, then Location).
 */
import type { TokenCredential } from "@azure/identity";

const ARM = "https://management.azure.com";
const POLL_INTERVAL_MS = 10_000;

export interface ArmResponse {
  status: number;
  body: unknown;
  headers: Headers;
}

export class ArmError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${method} ${path} failed with HTTP ${String(status)}: ${JSON.stringify(body).slice(0, 2000)}`);
  }
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

export class ArmClient {
  constructor(private readonly credential: TokenCredential) {}

  private async token(): Promise<string> {
    const token = await this.credential.getToken(`${ARM}/.default`);
    if (!token) throw new Error("no Azure Resource Manager token: sign in with az login (or azure/login in CI)");
    return token.token;
  }

  /** One request; `pathOrUrl` is an ARM path (`/subscriptions/...`) or an absolute polling URL. */
  async request(
    method: string,
    pathOrUrl: string,
    apiVersion: string | undefined,
    body?: unknown,
  ): Promise<ArmResponse> {
    const url = new URL(pathOrUrl.startsWith("https://") ? pathOrUrl : `${ARM}${pathOrUrl}`);
    if (apiVersion !== undefined) url.searchParams.set("api-version", apiVersion);
    const response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${await this.token()}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text for the error message
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  /** Wait for a long-running operation started by `response` (no-op when it completed synchronously). */
  private async settle(method: string, path: string, response: ArmResponse): Promise<void> {
    const asyncUrl = response.headers.get("azure-asyncoperation");
    const locationUrl = response.headers.get("location");
    if (response.status !== 201 && response.status !== 202) return;
    if (asyncUrl) {
      for (;;) {
        await sleep(POLL_INTERVAL_MS);
        const poll = await this.request("GET", asyncUrl, undefined);
        const status = (poll.body as { status?: string } | undefined)?.status;
        if (status === "Succeeded") return;
        if (status === "Failed" || status === "Canceled") throw new ArmError(method, path, poll.status, poll.body);
      }
    }
    if (locationUrl && response.status === 202) {
      for (;;) {
        await sleep(POLL_INTERVAL_MS);
        const poll = await this.request("GET", locationUrl, undefined);
        if (poll.status === 202) continue;
        if (poll.status >= 400) throw new ArmError(method, path, poll.status, poll.body);
        return;
      }
    }
  }

  /** GET; undefined when the resource does not exist (404). */
  async get<T>(path: string, apiVersion: string): Promise<T | undefined> {
    const response = await this.request("GET", path, apiVersion);
    if (response.status === 404) return undefined;
    if (response.status >= 400) throw new ArmError("GET", path, response.status, response.body);
    return response.body as T;
  }

  /** PUT and wait until the resource is provisioned; returns the resource as read afterwards. */
  async put<T>(path: string, apiVersion: string, body: unknown): Promise<T> {
    const response = await this.request("PUT", path, apiVersion, body);
    if (response.status >= 400) throw new ArmError("PUT", path, response.status, response.body);
    await this.settle("PUT", path, response);
    const current = await this.get<T>(path, apiVersion);
    if (current === undefined) throw new ArmError("GET", path, 404, "the resource is gone right after its PUT");
    return current;
  }

  /** DELETE and wait; a resource that is already gone is fine. */
  async delete(path: string, apiVersion: string): Promise<void> {
    const response = await this.request("DELETE", path, apiVersion);
    if (response.status === 404 || response.status === 204) return;
    if (response.status >= 400) throw new ArmError("DELETE", path, response.status, response.body);
    await this.settle("DELETE", path, response);
  }
}

/** The ARM client the test uses, with the default credential chain. */
export async function defaultArmClient(): Promise<ArmClient> {
  const { DefaultAzureCredential } = await import("@azure/identity");
  return new ArmClient(new DefaultAzureCredential());
}
