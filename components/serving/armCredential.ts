import type { TokenCredential } from "@azure/identity";

/**
 * The Azure credential for the EndpointTraffic dynamic provider, chosen from the same environment
 * variables and in the same order as the azure-native provider, so both act as one identity:
 * pulumi/pulumi-azure-native provider/pkg/provider/auth_azidentity.go (newSingleMethodAuthCredential,
 * readAuthConfig) and the registry page "Azure Native Installation & Configuration":
 *   1. ARM_USE_DEFAULT_AZURE_CREDENTIAL=true -> DefaultAzureCredential
 *   2. ARM_CLIENT_CERTIFICATE_PATH           -> (azure-native: client certificate; refused here, see below)
 *   3. ARM_CLIENT_SECRET (+ ARM_CLIENT_ID, ARM_TENANT_ID) -> ClientSecretCredential
 *   4. ARM_USE_OIDC=true (+ ARM_CLIENT_ID, ARM_TENANT_ID) -> ClientAssertionCredential with ARM_OIDC_TOKEN,
 *      ARM_OIDC_TOKEN_FILE_PATH, or a token requested from GitHub Actions (ACTIONS_ID_TOKEN_REQUEST_URL +
 *      ACTIONS_ID_TOKEN_REQUEST_TOKEN, audience ARM_OIDC_AUDIENCE or api://AzureADTokenExchange)
 *   5. ARM_USE_MSI=true -> ManagedIdentityCredential (ARM_CLIENT_ID as the user-assigned client id when set)
 *   6. otherwise -> AzureCliCredential (ARM_TENANT_ID when set)
 * Like azure-native, a method that is selected but incomplete is an error, never a fall-through.
 * Only environment variables are read: `azure-native:*` stack config is not visible here.
 *
 * The Azure SDK is required inside the functions that use it (not at module top level), so the
 * closure serialization of the dynamic provider does not capture it.
 */

export type Env = Readonly<Record<string, string | undefined>>;

/** Where an OIDC (federated) token comes from. */
export type OidcTokenSource =
  | { from: "value"; token: string }
  | { from: "file"; path: string }
  | { from: "request"; url: string; requestToken: string; audience: string };

export type ArmCredentialChoice =
  | { kind: "defaultAzureCredential"; tenantId?: string }
  | { kind: "clientSecret"; tenantId: string; clientId: string; clientSecret: string }
  | { kind: "oidc"; tenantId: string; clientId: string; token: OidcTokenSource }
  | { kind: "managedIdentity"; clientId?: string }
  | { kind: "azureCli"; tenantId?: string };

export type ArmCredentialKind = ArmCredentialChoice["kind"];

/** GitHub's audience for Azure workload identity federation (and azure-native's default). */
export const AZURE_AD_TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

function value(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === "" ? undefined : v;
}

function requireAll(env: Env, names: readonly string[], method: string): Record<string, string> {
  const missing = names.filter((name) => value(env, name) === undefined);
  if (missing.length > 0)
    throw new Error(`EndpointTraffic credentials: ${method} needs ${missing.join(" and ")} to be set`);
  return Object.fromEntries(names.map((name) => [name, value(env, name) as string]));
}

/** Pure: which credential the environment selects, with what it needs. Throws on an incomplete selection. */
export function chooseArmCredential(env: Env): ArmCredentialChoice {
  const tenantId = value(env, "ARM_TENANT_ID");
  if (value(env, "ARM_USE_DEFAULT_AZURE_CREDENTIAL") === "true")
    return { kind: "defaultAzureCredential", ...(tenantId ? { tenantId } : {}) };
  if (value(env, "ARM_CLIENT_CERTIFICATE_PATH") !== undefined) {
    // azure-native reads a PKCS#12 file here; @azure/identity's ClientCertificateCredential takes PEM only.
    throw new Error(
      "EndpointTraffic credentials: ARM_CLIENT_CERTIFICATE_PATH (client certificate) is not supported; use OIDC (ARM_USE_OIDC), a managed identity (ARM_USE_MSI) or a client secret",
    );
  }
  if (value(env, "ARM_CLIENT_SECRET") !== undefined) {
    const v = requireAll(
      env,
      ["ARM_CLIENT_ID", "ARM_TENANT_ID", "ARM_CLIENT_SECRET"],
      "a client secret (ARM_CLIENT_SECRET)",
    );
    return {
      kind: "clientSecret",
      tenantId: v.ARM_TENANT_ID,
      clientId: v.ARM_CLIENT_ID,
      clientSecret: v.ARM_CLIENT_SECRET,
    };
  }
  if (value(env, "ARM_USE_OIDC") === "true") {
    const v = requireAll(env, ["ARM_CLIENT_ID", "ARM_TENANT_ID"], "OIDC (ARM_USE_OIDC=true)");
    return { kind: "oidc", tenantId: v.ARM_TENANT_ID, clientId: v.ARM_CLIENT_ID, token: oidcTokenSource(env) };
  }
  if (value(env, "ARM_USE_MSI") === "true") {
    const clientId = value(env, "ARM_CLIENT_ID");
    return { kind: "managedIdentity", ...(clientId ? { clientId } : {}) };
  }
  return { kind: "azureCli", ...(tenantId ? { tenantId } : {}) };
}

function oidcTokenSource(env: Env): OidcTokenSource {
  const token = value(env, "ARM_OIDC_TOKEN");
  if (token) return { from: "value", token };
  const path = value(env, "ARM_OIDC_TOKEN_FILE_PATH");
  if (path) return { from: "file", path };
  const url = value(env, "ACTIONS_ID_TOKEN_REQUEST_URL");
  const requestToken = value(env, "ACTIONS_ID_TOKEN_REQUEST_TOKEN");
  if (url && requestToken)
    return {
      from: "request",
      url,
      requestToken,
      audience: value(env, "ARM_OIDC_AUDIENCE") ?? AZURE_AD_TOKEN_EXCHANGE_AUDIENCE,
    };
  throw new Error(
    "EndpointTraffic credentials: OIDC (ARM_USE_OIDC=true) needs a token: ARM_OIDC_TOKEN, ARM_OIDC_TOKEN_FILE_PATH, or ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN (GitHub Actions with `permissions: id-token: write`)",
  );
}

/**
 * The Microsoft Entra authority for an ARM endpoint (sovereign clouds sign in elsewhere).
 * ARM endpoints: AzureCloud https://management.azure.com, AzureUSGovernment https://management.usgovcloudapi.net,
 * AzureChinaCloud https://management.chinacloudapi.cn (azure-sdk-for-js cloudSettingHelpers getArmEndpoint);
 * authorities: @azure/identity AzureAuthorityHosts.
 */
export function authorityHostFor(armEndpoint: string): string {
  const host = new URL(armEndpoint).hostname.toLowerCase();
  if (host === "management.usgovcloudapi.net") return "https://login.microsoftonline.us";
  if (host === "management.chinacloudapi.cn") return "https://login.chinacloudapi.cn";
  return "https://login.microsoftonline.com";
}

/** Asks GitHub Actions for an ID token for `audience` (GitHub docs: "Configuring OpenID Connect in Azure"). */
async function requestOidcToken(source: Extract<OidcTokenSource, { from: "request" }>): Promise<string> {
  const url = new URL(source.url);
  url.searchParams.set("audience", source.audience);
  const response = await fetch(url, {
    headers: { Accept: "application/json", Authorization: `Bearer ${source.requestToken}` },
  });
  if (!response.ok)
    throw new Error(`EndpointTraffic credentials: the GitHub OIDC token request failed with HTTP ${response.status}`);
  const body = (await response.json()) as { value?: unknown };
  if (typeof body.value !== "string")
    throw new Error("EndpointTraffic credentials: the GitHub OIDC token response has no `value`");
  return body.value;
}

/** The TokenCredential for `choice`, signing in at the authority of `armEndpoint`'s cloud. */
export function createArmCredential(choice: ArmCredentialChoice, armEndpoint: string): TokenCredential {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- required lazily, see the module comment
  const identity = require("@azure/identity") as typeof import("@azure/identity");
  const authorityHost = authorityHostFor(armEndpoint);
  switch (choice.kind) {
    case "defaultAzureCredential":
      return new identity.DefaultAzureCredential({
        authorityHost,
        ...(choice.tenantId ? { tenantId: choice.tenantId } : {}),
      });
    case "clientSecret":
      return new identity.ClientSecretCredential(choice.tenantId, choice.clientId, choice.clientSecret, {
        authorityHost,
      });
    case "oidc": {
      const source = choice.token;
      const getAssertion = async (): Promise<string> => {
        if (source.from === "value") return source.token;
        if (source.from === "file") {
          // eslint-disable-next-line @typescript-eslint/no-require-imports -- required lazily, see the module comment
          const fs = require("node:fs") as typeof import("node:fs");
          return fs.readFileSync(source.path, "utf8").trim();
        }
        return requestOidcToken(source);
      };
      return new identity.ClientAssertionCredential(choice.tenantId, choice.clientId, getAssertion, { authorityHost });
    }
    case "managedIdentity":
      return choice.clientId
        ? new identity.ManagedIdentityCredential({ clientId: choice.clientId })
        : new identity.ManagedIdentityCredential();
    case "azureCli":
      return new identity.AzureCliCredential(choice.tenantId ? { tenantId: choice.tenantId } : {});
  }
}
