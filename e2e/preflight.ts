/**
 * Can the real deploy test run here? Answers from the environment alone (no network, no Pulumi
 * import), so `npm run e2e` on a machine without the CLI or Azure credentials skips in well under a
 * second. Each reason is one line that says what is missing and how to provide it.
 */
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";

export type Env = Readonly<Record<string, string | undefined>>;

/** The first directory on PATH holding an executable named `name`; undefined when there is none. */
export function findOnPath(name: string, env: Env): string | undefined {
  const candidates = process.platform === "win32" ? [`${name}.exe`, `${name}.cmd`, name] : [name];
  for (const dir of (env.PATH ?? "").split(delimiter).filter((entry) => entry !== "")) {
    for (const candidate of candidates) {
      const path = join(dir, candidate);
      try {
        accessSync(path, constants.X_OK);
        return path;
      } catch {
        // not here: keep looking
      }
    }
  }
  return undefined;
}

/** Is the Azure CLI signed in (a profile with at least one subscription)? Read from its config file, not by running `az`. */
function azureCliSignedIn(env: Env): boolean {
  if (findOnPath("az", env) === undefined) return false;
  const profile = join(env.AZURE_CONFIG_DIR ?? join(homedir(), ".azure"), "azureProfile.json");
  if (!existsSync(profile)) return false;
  try {
    // The CLI writes this file with a byte-order mark.
    const parsed = JSON.parse(readFileSync(profile, "utf8").replace(/^\uFEFF/, "")) as { subscriptions?: unknown[] };
    return Array.isArray(parsed.subscriptions) && parsed.subscriptions.length > 0;
  } catch {
    return false;
  }
}

/**
 * Credentials azure-native and @azure/identity can use without a prompt: GitHub OIDC
 * (`ARM_USE_OIDC` + client and tenant ids, as the workflows set them), a service principal in the
 * environment, or a signed-in Azure CLI (both fall back to it).
 */
export function azureCredentialSource(env: Env): string | undefined {
  if (env.ARM_USE_OIDC === "true" && env.ARM_CLIENT_ID && env.ARM_TENANT_ID) return "GitHub OIDC (ARM_USE_OIDC)";
  if (env.ARM_CLIENT_ID && env.ARM_TENANT_ID && (env.ARM_CLIENT_SECRET || env.ARM_CLIENT_CERTIFICATE_PATH))
    return "service principal (ARM_CLIENT_ID)";
  if (azureCliSignedIn(env)) return "Azure CLI sign-in";
  return undefined;
}

/** Why the test cannot run here, or undefined when it can. */
export function skipReason(env: Env): string | undefined {
  if (findOnPath("pulumi", env) === undefined) {
    return "the Pulumi CLI is not on PATH (install it: https://www.pulumi.com/docs/install/, the version in package.json's @pulumi/pulumi).";
  }
  if (!env.E2E_SUBSCRIPTION_ID) {
    return "E2E_SUBSCRIPTION_ID is not set: name the dedicated, disposable subscription the test may deploy to and destroy (docs/ci-cd.md, Real deploy test).";
  }
  if (azureCredentialSource(env) === undefined) {
    return "no Azure credentials: sign in with `az login`, or set ARM_USE_OIDC=true with ARM_CLIENT_ID and ARM_TENANT_ID (GitHub OIDC).";
  }
  return undefined;
}
