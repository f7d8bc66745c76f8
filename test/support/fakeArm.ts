import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Server, createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A fake Azure Resource Manager on loopback HTTPS, for tests of code that uses the Azure SDK
 * (which refuses bearer tokens over plain http). It answers like ARM for one kind of resource:
 * GET returns the stored JSON (404 with an ARM error body when absent); PUT answers 201 with an
 * Azure-AsyncOperation header whose operation reports InProgress, then Succeeded (the PUT body
 * is stored then, with the read-only fields ARM adds), or Failed; or PUT is rejected with 400.
 * The certificate is self-signed, made with `openssl` at start; the client must trust `ca`.
 */

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  apiVersion: string | null;
  authorization: string | undefined;
  body: unknown;
}

/** What the next PUTs do. */
export type PutOutcome = "succeed" | "failOperation" | "reject";

export interface FakeArm {
  /** e.g. https://127.0.0.1:43123 */
  baseUrl: string;
  /** The server's self-signed certificate (PEM), to trust in the client. */
  ca: string;
  requests: RecordedRequest[];
  putOutcome: PutOutcome;
  /** Store or replace a resource (keyed by its `id`, case-insensitively). */
  put(resource: Record<string, unknown>): void;
  get(id: string): Record<string, unknown> | undefined;
  remove(id: string): void;
  close(): Promise<void>;
}

export const OPERATIONS_PATH = "/fakeArmOperations";

interface Operation {
  id: string;
  polls: number;
  outcome: PutOutcome;
  body: Record<string, unknown>;
}

/** A self-signed certificate for 127.0.0.1, or undefined when `openssl` is not available. */
export function selfSignedCertificate(): { cert: string; key: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), "fake-arm-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore", timeout: 10_000 },
    );
    return { cert: readFileSync(join(dir, "cert.pem"), "utf8"), key: readFileSync(join(dir, "key.pem"), "utf8") };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const READ_ONLY_PROPERTIES = ["provisioningState", "scoringUri", "swaggerUri"] as const;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function armError(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** Start the fake on a random loopback port; undefined when no certificate can be made. */
export async function startFakeArm(): Promise<FakeArm | undefined> {
  const certificate = selfSignedCertificate();
  if (!certificate) return undefined;
  const resources = new Map<string, Record<string, unknown>>();
  const operations = new Map<string, Operation>();
  let operationCount = 0;

  const fake: FakeArm = {
    baseUrl: "",
    ca: certificate.cert,
    requests: [],
    putOutcome: "succeed",
    put: (resource) => resources.set(String(resource.id).toLowerCase(), structuredClone(resource)),
    get: (id) => resources.get(id.toLowerCase()),
    remove: (id) => resources.delete(id.toLowerCase()),
    close: () => Promise.resolve(),
  };

  /** Store a PUT body the way ARM would: the read-only fields come back. */
  function commit(id: string, body: Record<string, unknown>): void {
    const previous = resources.get(id.toLowerCase()) ?? {};
    const previousProperties = (previous.properties ?? {}) as Record<string, unknown>;
    const properties: Record<string, unknown> = { ...((body.properties ?? {}) as Record<string, unknown>) };
    for (const key of READ_ONLY_PROPERTIES)
      if (previousProperties[key] !== undefined) properties[key] = previousProperties[key];
    properties.provisioningState = "Succeeded";
    resources.set(id.toLowerCase(), {
      ...body,
      id: previous.id ?? id,
      name: previous.name,
      type: previous.type,
      systemData: previous.systemData,
      properties,
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Parsed by hand: `new URL("//x/y", base)` would read a doubled slash as a host name.
    const [rawPath, rawQuery = ""] = (req.url ?? "/").split("?", 2);
    const path = decodeURIComponent(rawPath);
    const query = new URLSearchParams(rawQuery);
    const body = await readBody(req);
    fake.requests.push({
      method: req.method ?? "",
      path,
      apiVersion: query.get("api-version"),
      authorization: req.headers.authorization,
      body,
    });

    if (path.startsWith(`${OPERATIONS_PATH}/`)) {
      const operation = operations.get(path.slice(OPERATIONS_PATH.length + 1));
      if (!operation) {
        send(res, 404, armError("OperationNotFound", "no such operation"));
        return;
      }
      operation.polls += 1;
      if (operation.polls === 1) {
        send(res, 200, { status: "InProgress" });
        return;
      }
      if (operation.outcome === "failOperation") {
        send(res, 200, {
          status: "Failed",
          error: { code: "BadRequest", message: "Deployment green is not ready to take traffic." },
        });
        return;
      }
      commit(operation.id, operation.body);
      send(res, 200, { status: "Succeeded" });
      return;
    }

    if (req.method === "GET") {
      const resource = resources.get(path.toLowerCase());
      if (!resource) {
        send(res, 404, armError("ResourceNotFound", `The Resource '${path}' was not found.`));
        return;
      }
      send(res, 200, resource);
      return;
    }
    if (req.method === "PUT") {
      if (fake.putOutcome === "reject") {
        send(res, 400, armError("BadArgument", "Traffic names deployment green, which does not exist."));
        return;
      }
      const key = String(++operationCount);
      operations.set(key, { id: path, polls: 0, outcome: fake.putOutcome, body: body as Record<string, unknown> });
      const current = resources.get(path.toLowerCase()) ?? {};
      const accepted = {
        ...(body as Record<string, unknown>),
        id: current.id,
        properties: { ...((body as { properties?: object }).properties ?? {}), provisioningState: "Updating" },
      };
      send(res, 201, accepted, {
        "Azure-AsyncOperation": `${fake.baseUrl}${OPERATIONS_PATH}/${key}?api-version=${query.get("api-version") ?? ""}`,
      });
      return;
    }
    send(res, 405, armError("MethodNotAllowed", `${req.method ?? ""} is not supported by the fake`));
  }

  const server: Server = createServer({ cert: certificate.cert, key: certificate.key }, (req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, armError("FakeArmFailure", String(error))));
  });
  server.requestTimeout = 5_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
