import type { AccessToken, TokenCredential } from "@azure/identity";
import Module from "node:module";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { authorityHostFor, chooseArmCredential } from "../../components/serving/armCredential";
import { ArmConnection } from "../../components/serving/endpointTrafficArm";
import { createEndpointTrafficProvider } from "../../components/serving/endpointTrafficProvider";
import {
  ENDPOINT_TRAFFIC_RESOURCE_KIND,
  EndpointTrafficState,
  diffTrafficState,
  endpointPutBody,
  trafficRequestErrors,
} from "../../components/serving/endpointTrafficSpec";
import { FakeArm, OPERATIONS_PATH, startFakeArm } from "../support/fakeArm";

/* Internal Pulumi runtime modules, to see each registration's dependencies (as plan/engine.ts does). */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getObject(): unknown;
  getDependenciesList(): string[];
}
interface MonitorLike {
  registerResource(req: RegisterRequest, callback: (err: Error | null, resp?: unknown) => void): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeSettings = require("@pulumi/pulumi/runtime/settings") as { getMonitor(): MonitorLike };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require("@pulumi/pulumi/runtime/rpc") as { deserializeProperties(s: unknown): Record<string, unknown> };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const closure = require("@pulumi/pulumi/runtime/closure/serializeClosure") as {
  serializeFunction(f: unknown): Promise<{ text: string }>;
};

/** Load serialized code the way Pulumi's dynamic provider host does (compile it as a module) and return its `handler`. */
function loadSerialized(text: string): unknown {
  const NodeModule = Module as unknown as {
    new (id: string): {
      filename: string;
      paths: string[];
      exports: { handler: unknown };
      _compile(code: string, filename: string): void;
    };
    _nodeModulePaths(dir: string): string[];
  };
  const loaded = new NodeModule("serialized-endpoint-traffic");
  loaded.filename = join(process.cwd(), "serialized-endpoint-traffic.js");
  loaded.paths = NodeModule._nodeModulePaths(process.cwd());
  loaded._compile(text, loaded.filename);
  return loaded.exports.handler;
}

const WORKSPACE =
  "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-aml/providers/Microsoft.MachineLearningServices/workspaces/mlw-aml";
const ONLINE_ID = `${WORKSPACE}/onlineEndpoints/churn`;
const BATCH_ID = `${WORKSPACE}/batchEndpoints/churn-batch`;
const UAI_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-aml/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-endpoint";
const FAKE_TOKEN = "fake-arm-token";

/** An online endpoint as ARM returns it (read-only fields included). */
function onlineEndpoint(
  traffic: Record<string, number>,
  mirrorTraffic: Record<string, number> = {},
): Record<string, unknown> {
  return {
    id: ONLINE_ID,
    name: "churn",
    type: "Microsoft.MachineLearningServices/workspaces/onlineEndpoints",
    location: "westeurope",
    tags: { environment: "dev" },
    kind: "Managed",
    identity: {
      type: "UserAssigned",
      userAssignedIdentities: {
        [UAI_ID]: {
          principalId: "11111111-1111-1111-1111-111111111111",
          clientId: "22222222-2222-2222-2222-222222222222",
        },
      },
    },
    systemData: { createdBy: "someone", createdAt: "2026-01-01T00:00:00Z" },
    properties: {
      authMode: "AADToken",
      publicNetworkAccess: "Disabled",
      description: "Churn scoring",
      provisioningState: "Succeeded",
      scoringUri: "https://churn.westeurope.inference.ml.azure.com/score",
      swaggerUri: "https://churn.westeurope.inference.ml.azure.com/swagger.json",
      keys: null,
      traffic,
      mirrorTraffic,
    },
  };
}

function batchEndpoint(deploymentName?: string): Record<string, unknown> {
  return {
    id: BATCH_ID,
    name: "churn-batch",
    type: "Microsoft.MachineLearningServices/workspaces/batchEndpoints",
    location: "westeurope",
    tags: { environment: "prod" },
    identity: {
      type: "SystemAssigned",
      principalId: "33333333-3333-3333-3333-333333333333",
      tenantId: "44444444-4444-4444-4444-444444444444",
    },
    properties: {
      authMode: "AADToken",
      provisioningState: "Succeeded",
      scoringUri: "https://churn-batch.westeurope.inference.ml.azure.com/jobs",
      defaults: deploymentName ? { deploymentName } : null,
    },
  };
}

function onlineState(
  overrides: Partial<EndpointTrafficState> = {},
  armEndpoint = "https://management.azure.com",
): EndpointTrafficState {
  return {
    resourceKind: ENDPOINT_TRAFFIC_RESOURCE_KIND,
    endpointId: ONLINE_ID,
    endpointKind: "online",
    traffic: { blue: 90, green: 10 },
    mirrorTraffic: {},
    apiVersion: "2025-12-01",
    armEndpoint,
    ...overrides,
  };
}

describe("traffic validation", () => {
  it("rejects a split summing to 90, naming the endpoint and the split", () => {
    expect(trafficRequestErrors({ endpointKind: "online", traffic: { blue: 80, green: 10 } }, ONLINE_ID)).toEqual([
      `EndpointTraffic ${ONLINE_ID}: traffic {"blue":80,"green":10} sums to 90; accepted: a split that sums to 100, or 0 for no traffic`,
    ]);
  });

  it("accepts 100, no traffic ({} or all zeros) and a mirror of up to 50 on a deployment without live traffic", () => {
    expect(trafficRequestErrors({ endpointKind: "online", traffic: { blue: 90, green: 10 } }, "e")).toEqual([]);
    expect(trafficRequestErrors({ endpointKind: "online", traffic: {} }, "e")).toEqual([]);
    expect(trafficRequestErrors({ endpointKind: "online", traffic: { blue: 0 } }, "e")).toEqual([]);
    expect(
      trafficRequestErrors(
        { endpointKind: "online", traffic: { blue: 100, green: 0 }, mirrorTraffic: { green: 50 } },
        "e",
      ),
    ).toEqual([]);
  });

  it("rejects non-integer or out-of-range percentages with the bad value", () => {
    expect(trafficRequestErrors({ endpointKind: "online", traffic: { blue: 99.5, green: 0.5 } }, "e")).toEqual([
      "EndpointTraffic e: traffic.blue is 99.5; accepted: an integer percentage from 0 to 100",
      "EndpointTraffic e: traffic.green is 0.5; accepted: an integer percentage from 0 to 100",
    ]);
    expect(
      trafficRequestErrors({ endpointKind: "online", traffic: { blue: 100 }, mirrorTraffic: { green: 60 } }, "e"),
    ).toEqual(["EndpointTraffic e: mirrorTraffic.green is 60; accepted: an integer percentage from 0 to 50"]);
  });

  it("rejects mirroring to a deployment with live traffic, and to two deployments", () => {
    expect(
      trafficRequestErrors(
        { endpointKind: "online", traffic: { blue: 90, green: 10 }, mirrorTraffic: { green: 10 } },
        "e",
      ),
    ).toEqual([
      "EndpointTraffic e: deployment green has live traffic 10 and mirrorTraffic 10; a deployment takes live or mirrored traffic, not both",
    ]);
    expect(
      trafficRequestErrors(
        { endpointKind: "online", traffic: { blue: 100 }, mirrorTraffic: { green: 10, red: 10 } },
        "e",
      ),
    ).toEqual(["EndpointTraffic e: mirrorTraffic names green, red; Azure mirrors traffic to one deployment only"]);
  });

  it("requires a default deployment for batch and no traffic there", () => {
    expect(trafficRequestErrors({ endpointKind: "batch" }, "e")).toEqual([
      "EndpointTraffic e: defaultDeployment is undefined; a batch endpoint needs the name of an existing deployment",
    ]);
    expect(
      trafficRequestErrors({ endpointKind: "batch", defaultDeployment: "score", traffic: { score: 100 } }, "e"),
    ).toEqual([
      'EndpointTraffic e: traffic is {"score":100}; a batch endpoint has no traffic, set defaultDeployment instead',
    ]);
  });
});

describe("diff", () => {
  it("reports no change for identical inputs, nor for a zero entry Azure adds", () => {
    expect(diffTrafficState(onlineState(), onlineState())).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(diffTrafficState(onlineState({ traffic: { blue: 90, green: 10, red: 0 } }), onlineState())).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("updates for a new split or revision, and replaces (delete first) for another endpoint", () => {
    expect(diffTrafficState(onlineState(), onlineState({ traffic: { blue: 100 } }))).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(diffTrafficState(onlineState({ revision: "a" }), onlineState({ revision: "b" }))).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(diffTrafficState(onlineState(), onlineState({ endpointId: `${WORKSPACE}/onlineEndpoints/other` }))).toEqual({
      changes: true,
      replaces: ["endpointId"],
      deleteBeforeReplace: true,
    });
  });
});

describe("credential selection (azure-native's order and variables)", () => {
  const sp = { ARM_CLIENT_ID: "client", ARM_TENANT_ID: "tenant" };
  it("maps each environment to one credential kind", () => {
    expect(chooseArmCredential({ ...sp, ARM_CLIENT_SECRET: "s" })).toEqual({
      kind: "clientSecret",
      tenantId: "tenant",
      clientId: "client",
      clientSecret: "s",
    });
    expect(chooseArmCredential({ ...sp, ARM_USE_OIDC: "true", ARM_OIDC_TOKEN: "jwt" })).toEqual({
      kind: "oidc",
      tenantId: "tenant",
      clientId: "client",
      token: { from: "value", token: "jwt" },
    });
    expect(
      chooseArmCredential({
        ...sp,
        ARM_USE_OIDC: "true",
        ACTIONS_ID_TOKEN_REQUEST_URL: "https://gh.example/token?x=1",
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: "rt",
      }),
    ).toEqual({
      kind: "oidc",
      tenantId: "tenant",
      clientId: "client",
      token: {
        from: "request",
        url: "https://gh.example/token?x=1",
        requestToken: "rt",
        audience: "api://AzureADTokenExchange",
      },
    });
    expect(chooseArmCredential({ ARM_USE_MSI: "true", ARM_CLIENT_ID: "uai-client" })).toEqual({
      kind: "managedIdentity",
      clientId: "uai-client",
    });
    expect(chooseArmCredential({ ARM_USE_MSI: "true" })).toEqual({ kind: "managedIdentity" });
    expect(chooseArmCredential({ ARM_TENANT_ID: "tenant" })).toEqual({ kind: "azureCli", tenantId: "tenant" });
    expect(chooseArmCredential({})).toEqual({ kind: "azureCli" });
  });

  it("prefers a client secret over OIDC over MSI, like azure-native", () => {
    expect(
      chooseArmCredential({
        ...sp,
        ARM_CLIENT_SECRET: "s",
        ARM_USE_OIDC: "true",
        ARM_OIDC_TOKEN: "jwt",
        ARM_USE_MSI: "true",
      }).kind,
    ).toBe("clientSecret");
    expect(chooseArmCredential({ ...sp, ARM_USE_OIDC: "true", ARM_OIDC_TOKEN: "jwt", ARM_USE_MSI: "true" }).kind).toBe(
      "oidc",
    );
  });

  it("fails, naming the variables, when a selected method is incomplete", () => {
    expect(() => chooseArmCredential({ ARM_CLIENT_SECRET: "s" })).toThrow(
      "EndpointTraffic credentials: a client secret (ARM_CLIENT_SECRET) needs ARM_CLIENT_ID and ARM_TENANT_ID to be set",
    );
    expect(() => chooseArmCredential({ ...sp, ARM_USE_OIDC: "true" })).toThrow(
      /needs a token: ARM_OIDC_TOKEN, ARM_OIDC_TOKEN_FILE_PATH, or ACTIONS_ID_TOKEN_REQUEST_URL/,
    );
    expect(() => chooseArmCredential({ ...sp, ARM_CLIENT_CERTIFICATE_PATH: "/c.pfx" })).toThrow(
      /ARM_CLIENT_CERTIFICATE_PATH \(client certificate\) is not supported/,
    );
  });

  it("signs in at the sovereign cloud's authority", () => {
    expect(authorityHostFor("https://management.azure.com")).toBe("https://login.microsoftonline.com");
    expect(authorityHostFor("https://management.usgovcloudapi.net/")).toBe("https://login.microsoftonline.us");
    expect(authorityHostFor("https://management.chinacloudapi.cn")).toBe("https://login.chinacloudapi.cn");
  });
});

describe("provider against a fake ARM", () => {
  let arm: FakeArm | undefined;
  const scopesAsked: string[][] = [];
  const credential: TokenCredential = {
    getToken: (scopes): Promise<AccessToken> => {
      scopesAsked.push(Array.isArray(scopes) ? scopes : [scopes]);
      return Promise.resolve({ token: FAKE_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 });
    },
  };
  const connect = (armEndpoint: string): ArmConnection => ({
    credential,
    armEndpoint,
    pollIntervalMs: 1,
    trustedCa: arm?.ca,
  });
  const provider = createEndpointTrafficProvider(connect);

  beforeAll(async () => {
    arm = await startFakeArm();
    if (!arm)
      console.warn("SKIPPED: the fake ARM needs `openssl` to make a self-signed certificate, and it is not on PATH");
  });
  afterAll(async () => {
    await arm?.close();
  });
  beforeEach(() => {
    if (!arm) return;
    arm.requests.length = 0;
    arm.putOutcome = "succeed";
    arm.remove(ONLINE_ID);
    arm.remove(BATCH_ID);
  });

  const requestLine = (r: { method: string; path: string }) =>
    `${r.method} ${r.path.startsWith(OPERATIONS_PATH) ? OPERATIONS_PATH : r.path}`;

  it("creates: GETs, PUTs the whole endpoint with the new traffic, polls the operation until Succeeded", async (ctx) => {
    if (!arm) return ctx.skip();
    arm.put(onlineEndpoint({}));
    const state = onlineState({}, arm.baseUrl);

    const result = await provider.create(state);

    expect(result).toEqual({ id: `${ONLINE_ID}#traffic`, outs: state });
    expect(arm.requests.map(requestLine)).toEqual([
      `GET ${ONLINE_ID}`,
      `PUT ${ONLINE_ID}`,
      `GET ${OPERATIONS_PATH}`,
      `GET ${OPERATIONS_PATH}`,
      `GET ${ONLINE_ID}`,
    ]);
    expect(arm.requests.map((r) => r.apiVersion)).toEqual(Array(5).fill("2025-12-01"));
    expect(arm.requests.map((r) => r.authorization)).toEqual(Array(5).fill(`Bearer ${FAKE_TOKEN}`));
    expect(scopesAsked.at(-1)).toEqual([`${arm.baseUrl}/.default`]);
    expect(arm.requests[1].body).toEqual({
      location: "westeurope",
      tags: { environment: "dev" },
      kind: "Managed",
      identity: { type: "UserAssigned", userAssignedIdentities: { [UAI_ID]: {} } },
      properties: {
        authMode: "AADToken",
        publicNetworkAccess: "Disabled",
        description: "Churn scoring",
        traffic: { blue: 90, green: 10 },
        mirrorTraffic: {},
      },
    });
    const stored = arm.get(ONLINE_ID)!.properties as Record<string, unknown>;
    expect(stored.traffic).toEqual({ blue: 90, green: 10 });
  });

  it("does not PUT when the endpoint already has the allocation", async (ctx) => {
    if (!arm) return ctx.skip();
    arm.put(onlineEndpoint({ blue: 90, green: 10, red: 0 }));
    await provider.update!(
      `${ONLINE_ID}#traffic`,
      onlineState({ revision: "1" }, arm.baseUrl),
      onlineState({ revision: "2" }, arm.baseUrl),
    );
    expect(arm.requests.map(requestLine)).toEqual([`GET ${ONLINE_ID}`]);
  });

  it("turns a failed operation into one message naming the endpoint and the operation", async (ctx) => {
    if (!arm) return ctx.skip();
    arm.put(onlineEndpoint({}));
    arm.putOutcome = "failOperation";
    await expect(provider.create(onlineState({}, arm.baseUrl))).rejects.toMatchObject({
      message: `EndpointTraffic: setting traffic on ${ONLINE_ID} failed: the long-running operation ended Failed: BadRequest: Deployment green is not ready to take traffic.`,
    });
    expect(arm.requests.filter((r) => r.path.startsWith(OPERATIONS_PATH))).toHaveLength(2);
  });

  it("turns an ARM 400 into one message with Azure's code and message", async (ctx) => {
    if (!arm) return ctx.skip();
    arm.put(onlineEndpoint({}));
    arm.putOutcome = "reject";
    await expect(provider.create(onlineState({}, arm.baseUrl))).rejects.toMatchObject({
      message: `EndpointTraffic: setting traffic on ${ONLINE_ID} failed: HTTP 400 BadArgument: Traffic names deployment green, which does not exist.`,
    });
  });

  it("fails clearly when the endpoint does not exist", async (ctx) => {
    if (!arm) return ctx.skip();
    await expect(provider.create(onlineState({}, arm.baseUrl))).rejects.toMatchObject({
      message: `EndpointTraffic: setting traffic on ${ONLINE_ID} failed: the endpoint does not exist (HTTP 404)`,
    });
  });

  it("deletes by setting traffic and mirror traffic to {}", async (ctx) => {
    if (!arm) return ctx.skip();
    arm.put(onlineEndpoint({ blue: 100, green: 0 }, { green: 20 }));
    await provider.delete!(
      `${ONLINE_ID}#traffic`,
      onlineState({ traffic: { blue: 100 }, mirrorTraffic: { green: 20 } }, arm.baseUrl),
    );
    const put = arm.requests.find((r) => r.method === "PUT")!;
    expect((put.body as { properties: unknown }).properties).toEqual({
      authMode: "AADToken",
      publicNetworkAccess: "Disabled",
      description: "Churn scoring",
      traffic: {},
      mirrorTraffic: {},
    });
    expect(arm.get(ONLINE_ID)!.properties).toMatchObject({ traffic: {}, mirrorTraffic: {} });
  });

  it("deletes without a call beyond the GET when the endpoint is gone (404)", async (ctx) => {
    if (!arm) return ctx.skip();
    await provider.delete!(`${ONLINE_ID}#traffic`, onlineState({}, arm.baseUrl));
    expect(arm.requests.map(requestLine)).toEqual([`GET ${ONLINE_ID}`]);
  });

  it("reads the live allocation, so drift shows in a refresh", async (ctx) => {
    if (!arm) return ctx.skip();
    arm.put(onlineEndpoint({ blue: 100 }));
    const read = await provider.read!(`${ONLINE_ID}#traffic`, onlineState({}, arm.baseUrl));
    expect(read).toEqual({
      id: `${ONLINE_ID}#traffic`,
      props: onlineState({ traffic: { blue: 100 }, mirrorTraffic: {} }, arm.baseUrl),
    });
    arm.remove(ONLINE_ID);
    expect(await provider.read!(`${ONLINE_ID}#traffic`, onlineState({}, arm.baseUrl))).toEqual({ id: "", props: {} });
  });

  it("sets a batch endpoint's default deployment and keeps its other properties", async (ctx) => {
    if (!arm) return ctx.skip();
    arm.put(batchEndpoint());
    const state: EndpointTrafficState = {
      resourceKind: ENDPOINT_TRAFFIC_RESOURCE_KIND,
      endpointId: BATCH_ID,
      endpointKind: "batch",
      defaultDeployment: "score",
      apiVersion: "2025-12-01",
      armEndpoint: arm.baseUrl,
    };
    await provider.create(state);
    expect(arm.requests.find((r) => r.method === "PUT")!.body).toEqual({
      location: "westeurope",
      tags: { environment: "prod" },
      identity: { type: "SystemAssigned" },
      properties: { authMode: "AADToken", defaults: { deploymentName: "score" } },
    });
    await provider.delete!(`${BATCH_ID}#defaultDeployment`, state);
    expect(arm.requests.filter((r) => r.method === "PUT")).toHaveLength(1);
  });
});

describe("EndpointTraffic under Pulumi mocks", () => {
  const registered: { type: string; name: string; inputs: Record<string, unknown>; dependencies: string[] }[] = [];

  beforeAll(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs as Record<string, unknown> }),
        call: (args) => {
          throw new Error(`unexpected invoke ${args.token}`);
        },
      },
      "project",
      "stack",
      false,
    );
    const monitor = runtimeSettings.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
      registered.push({
        type: req.getType(),
        name: req.getName(),
        inputs: rpc.deserializeProperties(req.getObject()),
        dependencies: req.getDependenciesList(),
      });
      return register(req, callback);
    };
  });

  const resolved = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

  it("registers the dynamic resource with the marker, the plain inputs, a serialized provider and the deployments it depends on", async () => {
    const { EndpointTraffic } = await import("../../components/serving/endpointTraffic");
    class FakeDeployment extends pulumi.CustomResource {
      constructor(name: string) {
        super("test:index:Deployment", name, {});
      }
    }
    const blue = new FakeDeployment("blue");
    const traffic = new EndpointTraffic(
      "churn-traffic",
      { endpointId: pulumi.output(ONLINE_ID), endpointKind: "online", traffic: { blue: 100 }, revision: "r1" },
      { dependsOn: [blue] },
    );

    const [blueUrn, , trafficOut, mirrorOut, defaultOut] = await Promise.all([
      resolved(blue.urn),
      resolved(traffic.id),
      resolved(traffic.traffic),
      resolved(traffic.mirrorTraffic),
      resolved(traffic.defaultDeployment),
    ]);

    const record = registered.find((r) => r.name === "churn-traffic")!;
    expect(record.type).toBe("pulumi-nodejs:dynamic:Resource");
    const { __provider: serializedProvider, ...inputs } = record.inputs;
    expect(inputs).toEqual({
      resourceKind: "secure-azureml:EndpointTraffic",
      endpointId: ONLINE_ID,
      endpointKind: "online",
      traffic: { blue: 100 },
      mirrorTraffic: {},
      apiVersion: "2025-12-01",
      armEndpoint: "https://management.azure.com",
      revision: "r1",
    });
    expect(record.dependencies).toContain(blueUrn);
    // The provider is serialized small: the Azure SDK stays a lazy require, not a captured module.
    expect(typeof serializedProvider).toBe("string");
    expect((serializedProvider as string).length).toBeLessThan(100_000);
    expect(serializedProvider as string).toContain('require("@azure/arm-resources")');
    expect([trafficOut, mirrorOut, defaultOut]).toEqual([{ blue: 100 }, {}, undefined]);

    // What Pulumi deploys is the serialized text: it must still validate and diff.
    const deserialized = (
      loadSerialized(serializedProvider as string) as () => pulumi.dynamic.ResourceProvider<
        EndpointTrafficState,
        EndpointTrafficState
      >
    )();
    expect(await deserialized.check!(onlineState(), onlineState({ traffic: { blue: 80, green: 10 } }))).toEqual({
      inputs: onlineState({ traffic: { blue: 80, green: 10 } }),
      failures: [
        {
          property: "traffic",
          reason: `EndpointTraffic ${ONLINE_ID}: traffic {"blue":80,"green":10} sums to 90; accepted: a split that sums to 100, or 0 for no traffic`,
        },
      ],
    });
    expect(await deserialized.diff!(`${ONLINE_ID}#traffic`, onlineState(), onlineState())).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("builds the same PUT body after closure serialization (no Set or Map state lost)", async () => {
    const endpoint = onlineEndpoint({ blue: 100 });
    const allocation = { traffic: { blue: 90, green: 10 }, mirrorTraffic: {} };
    const serialized = loadSerialized(
      (await closure.serializeFunction(endpointPutBody)).text,
    ) as typeof endpointPutBody;
    expect(serialized(endpoint, "online", allocation)).toEqual(endpointPutBody(endpoint, "online", allocation));
    expect(endpointPutBody(endpoint, "online", allocation).properties).toEqual({
      authMode: "AADToken",
      publicNetworkAccess: "Disabled",
      description: "Churn scoring",
      traffic: { blue: 90, green: 10 },
      mirrorTraffic: {},
    });
  });

  it("rejects a bad split when the program runs, before any deployment", async () => {
    const { EndpointTraffic } = await import("../../components/serving/endpointTraffic");
    expect(
      () =>
        new EndpointTraffic("bad", { endpointId: ONLINE_ID, endpointKind: "online", traffic: { blue: 80, green: 10 } }),
    ).toThrow(
      'EndpointTraffic bad: traffic {"blue":80,"green":10} sums to 90; accepted: a split that sums to 100, or 0 for no traffic',
    );
    expect(
      () => new EndpointTraffic("kind", { endpointId: ONLINE_ID, endpointKind: "batch", defaultDeployment: "score" }),
    ).toThrow(
      /endpointId is .*onlineEndpoints\/churn"; accepted: the ARM id of a Microsoft.MachineLearningServices\/workspaces\/batchEndpoints resource/,
    );
  });
});
