import { describe, expect, it } from "vitest";
import { UNKNOWN } from "./support/harness";
import { TYPES as T } from "secure-azureml-facts";
import {
  BASE,
  MODES,
  Spec,
  compliantSpecs,
  edit,
  endpoint,
  idOf,
  nameOf,
  render,
  rule,
  runOn,
  violationsOfAll,
  without,
} from "./fixtures/stackResources";

/** Stack rules on private endpoints, DNS zone groups and zone links (policies/stack/privateLink.ts). */

const run = (
  name: string,
  specs: Spec[],
  mode: (typeof MODES)[number] = "known",
  config: Record<string, unknown> = {},
) => runOn(rule(name), render(specs, mode), config);
const onlyRule = async (specs: Spec[], mode: (typeof MODES)[number] = "known", config: Record<string, unknown> = {}) =>
  Object.keys(await violationsOfAll(render(specs, mode), config));

const zoneConfigs = (spec: Spec) => spec.props.privateDnsZoneConfigs as { name: string; privateDnsZoneId: unknown }[];
const connection = (spec: Spec) =>
  (spec.props.privateLinkServiceConnections as { privateLinkServiceId: unknown; groupIds: unknown }[])[0];

describe("stack-aml-workspace-private-endpoint", () => {
  const name = "stack-aml-workspace-private-endpoint";

  it.each(MODES)("passes the compliant stack (%s)", async (mode) => {
    expect(await run(name, compliantSpecs(), mode)).toEqual({ kind: "violations", messages: [] });
  });

  it.each(MODES)("reports a workspace without a private endpoint, and only this rule (%s)", async (mode) => {
    const specs = without(compliantSpecs(), "pe-ws", "zg-ws");
    const outcome = await run(name, specs, mode);
    expect(outcome).toEqual({
      kind: "violations",
      messages: [expect.stringMatching(/Workspace 'ws' has no private endpoint .*groupIds \["amlworkspace"\]/)],
    });
    expect(await onlyRule(specs, mode)).toEqual([name]);
  });

  it.each(MODES)("reports a zone group without the notebooks zone, and only this rule (%s)", async (mode) => {
    const specs = edit(compliantSpecs(), "zg-ws", (s) => {
      s.props.privateDnsZoneConfigs = zoneConfigs(s).filter((c) => c.name !== "notebooks");
    });
    expect(await run(name, specs, mode)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /PrivateDnsZoneGroup 'zg-ws' of PrivateEndpoint 'pe-ws' lacks privatelink\.notebooks\.azure\.net/,
        ),
      ],
    });
    expect(await onlyRule(specs, mode)).toEqual([name]);
  });

  it("reports an endpoint without a zone group", async () => {
    const outcome = await run(name, without(compliantSpecs(), "zg-ws"));
    expect(outcome).toEqual({
      kind: "violations",
      messages: [expect.stringMatching(/PrivateEndpoint 'pe-ws' has no PrivateDnsZoneGroup/)],
    });
  });

  it("reports the two zones split over two zone groups (no ONE group holds both)", async () => {
    const specs = [
      ...edit(compliantSpecs(), "zg-ws", (s) => {
        s.props.privateDnsZoneConfigs = zoneConfigs(s).filter((c) => c.name === "api");
      }),
      { ...endpoint("ws", "ws", "amlworkspace", ["notebooks"])[1], name: "zg-ws-2" },
    ];
    const outcome = await run(name, specs);
    expect(outcome).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /'zg-ws' of PrivateEndpoint 'pe-ws' lacks privatelink\.notebooks.*'zg-ws-2' of PrivateEndpoint 'pe-ws' lacks privatelink\.api/,
        ),
      ],
    });
  });

  it("reports an endpoint of another group id, or to another workspace (known ids)", async () => {
    const blob = edit(compliantSpecs(), "pe-ws", (s) => {
      connection(s).groupIds = ["blob"];
    });
    expect(await run(name, blob)).toEqual({
      kind: "violations",
      messages: [expect.stringMatching(/has no private endpoint/)],
    });
    const elsewhere = edit(compliantSpecs(), "pe-ws", (s) => {
      connection(s).privateLinkServiceId =
        "/subscriptions/x/resourceGroups/other/providers/Microsoft.MachineLearningServices/workspaces/other";
    });
    expect(await run(name, elsewhere)).toEqual({
      kind: "violations",
      messages: [expect.stringMatching(/has no private endpoint/)],
    });
  });

  it("accepts the endpoint by known names while the workspace id is still unknown", async () => {
    const fixture = render(
      edit(compliantSpecs(), "pe-ws", (s) => {
        connection(s).privateLinkServiceId =
          "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-ml";
      }),
      "unknown",
    );
    expect(await runOn(rule(name), fixture)).toEqual({ kind: "violations", messages: [] });
  });

  it("accepts the US Government and China zone names", async () => {
    for (const [api, notebooks] of [
      ["privatelink.api.ml.azure.us", "privatelink.notebooks.usgovcloudapi.net"],
      ["privatelink.api.ml.azure.cn", "privatelink.notebooks.chinacloudapi.cn"],
    ]) {
      let specs = edit(compliantSpecs(), "zone-api", (s) => {
        s.props.privateZoneName = api;
        s.azureName = api;
        s.id = `/subscriptions/x/resourceGroups/rg-ml/providers/Microsoft.Network/privateDnsZones/${api}`;
      });
      specs = edit(specs, "zone-notebooks", (s) => {
        s.props.privateZoneName = notebooks;
        s.azureName = notebooks;
        s.id = `/subscriptions/x/resourceGroups/rg-ml/providers/Microsoft.Network/privateDnsZones/${notebooks}`;
      });
      for (const mode of MODES) expect(await run(name, specs, mode)).toEqual({ kind: "violations", messages: [] });
    }
  });

  it("accepts zone ids of a hub subscription (zones outside the stack)", async () => {
    const specs = edit(compliantSpecs(), "zg-ws", (s) => {
      s.props.privateDnsZoneConfigs = ["privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"].map((z) => ({
        name: z,
        privateDnsZoneId: `/subscriptions/hub/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/${z}`,
      }));
    });
    for (const mode of MODES) expect(await run(name, specs, mode)).toEqual({ kind: "violations", messages: [] });
  });

  it("with zoneGroupsByAzurePolicy requires only the endpoint", async () => {
    const noGroup = without(compliantSpecs(), "zg-ws");
    expect(await run(name, noGroup, "known", { zoneGroupsByAzurePolicy: true })).toEqual({
      kind: "violations",
      messages: [],
    });
    const noEndpoint = without(compliantSpecs(), "pe-ws", "zg-ws");
    expect(await run(name, noEndpoint, "known", { zoneGroupsByAzurePolicy: true })).toMatchObject({
      kind: "violations",
      messages: [expect.stringMatching(/has no private endpoint/)],
    });
  });

  it("exempts hub projects (kind Project)", async () => {
    const specs = edit(without(compliantSpecs(), "pe-ws", "zg-ws"), "ws", (s) => {
      s.props.kind = "Project";
    });
    expect(await run(name, specs)).toEqual({ kind: "violations", messages: [] });
  });

  it("cannot decide when the workspace kind is unknown", async () => {
    const specs = edit(compliantSpecs(), "ws", (s) => {
      s.props.kind = UNKNOWN.string;
    });
    expect(await run(name, specs)).toEqual({ kind: "unknown" });
  });

  it("cannot decide when the zone ids are unknown and come from no zone of the stack", async () => {
    const specs = edit(compliantSpecs(), "zg-ws", (s) => {
      s.props.privateDnsZoneConfigs = zoneConfigs(s).map((c) => ({ ...c, privateDnsZoneId: UNKNOWN.string }));
    });
    expect(await run(name, specs, "unknown")).toEqual({ kind: "unknown" });
  });

  it("cannot decide when an endpoint's target is unknown and traced to nothing", async () => {
    const specs = edit(compliantSpecs(), "pe-ws", (s) => {
      connection(s).privateLinkServiceId = UNKNOWN.string;
    });
    expect(await run(name, specs, "unknown")).toEqual({ kind: "unknown" });
  });
});

describe("stack-paas-private-endpoint", () => {
  const name = "stack-paas-private-endpoint";

  it.each(MODES)("passes the compliant stack (%s)", async (mode) => {
    expect(await run(name, compliantSpecs(), mode)).toEqual({ kind: "violations", messages: [] });
  });

  it.each(MODES)("reports a private storage account without a file endpoint, and only this rule (%s)", async (mode) => {
    const specs = without(compliantSpecs(), "pe-file", "zg-file");
    expect(await run(name, specs, mode)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /StorageAccount 'storage' has publicNetworkAccess Disabled but no private endpoint with groupIds \["file"\]/,
        ),
      ],
    });
    expect(await onlyRule(specs, mode)).toEqual([name]);
  });

  /** The storage account opened only to an Azure ML registry (sharing from the workspace): still private to the VNet. */
  const sharedStorage = (specs: Spec[], ruleSet: Record<string, unknown> = {}) =>
    edit(specs, "storage", (s) => {
      s.props.publicNetworkAccess = "Enabled";
      s.props.networkRuleSet = {
        defaultAction: "Deny",
        bypass: "AzureServices",
        ipRules: [],
        virtualNetworkRules: [],
        resourceAccessRules: [
          {
            tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
            resourceId:
              "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-amlprod/providers/Microsoft.MachineLearningServices/registries/mlr-amlprod",
          },
        ],
        ...ruleSet,
      };
    });

  it.each(MODES)(
    "passes a storage account open only to an Azure ML registry, with its private endpoints (%s)",
    async (mode) => {
      expect(await run(name, sharedStorage(compliantSpecs()), mode)).toEqual({ kind: "violations", messages: [] });
      expect(await onlyRule(sharedStorage(compliantSpecs()), mode)).toEqual([]);
    },
  );

  it.each(MODES)(
    "still holds a storage account open only to a registry to its private endpoints (%s)",
    async (mode) => {
      const specs = sharedStorage(without(compliantSpecs(), "pe-file", "zg-file"));
      expect(await run(name, specs, mode)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /StorageAccount 'storage' has publicNetworkAccess "Enabled" behind a firewall closed to every network but no private endpoint with groupIds \["file"\]/,
          ),
        ],
      });
    },
  );

  it("does not judge a storage account whose firewall admits networks (the resource rules report it)", async () => {
    for (const ruleSet of [
      { defaultAction: "Allow" },
      { ipRules: [{ iPAddressOrRange: "203.0.113.7" }] },
      {
        virtualNetworkRules: [
          {
            virtualNetworkResourceId:
              "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s",
          },
        ],
      },
    ]) {
      expect(await run(name, sharedStorage(without(compliantSpecs(), "pe-file", "zg-file"), ruleSet))).toEqual({
        kind: "violations",
        messages: [],
      });
    }
  });

  it("cannot tell during preview whether an Enabled storage account is closed to networks when its default action is unknown", async () => {
    expect(await run(name, sharedStorage(compliantSpecs(), { defaultAction: UNKNOWN.string }))).toEqual({
      kind: "unknown",
    });
  });

  it.each(MODES)("reports a Key Vault endpoint without a zone group, and only this rule (%s)", async (mode) => {
    const specs = without(compliantSpecs(), "zg-vault");
    expect(await run(name, specs, mode)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /Vault 'kv': no private endpoint with groupIds \["vault"\] has a PrivateDnsZoneGroup holding the privatelink\.vaultcore\.azure\.net zone \(PrivateEndpoint 'pe-vault' has no PrivateDnsZoneGroup\)/,
        ),
      ],
    });
    expect(await onlyRule(specs, mode)).toEqual([name]);
  });

  it("reports a registry without an endpoint (properties.publicNetworkAccess for Key Vault, top-level for registry)", async () => {
    const outcome = await run(name, without(compliantSpecs(), "pe-registry", "zg-registry", "pe-vault", "zg-vault"));
    expect(outcome).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /Vault 'kv' has properties\.publicNetworkAccess Disabled but no private endpoint with groupIds \["vault"\]/,
        ),
        expect.stringMatching(/Registry 'acr' has publicNetworkAccess Disabled/),
      ],
    });
  });

  it("reports a zone group holding the wrong zone", async () => {
    const specs = edit(compliantSpecs(), "zg-blob", (s) => {
      s.props.privateDnsZoneConfigs = [{ name: "file", privateDnsZoneId: idOf("zone-file") }];
    });
    expect(await run(name, specs)).toEqual({
      kind: "violations",
      messages: [expect.stringMatching(/lacks privatelink\.blob\.core\.windows\.net/)],
    });
  });

  it("does not apply to resources whose public network access is not Disabled (absent = Enabled, reported by the resource rules)", async () => {
    const specs = edit(without(compliantSpecs(), "pe-vault", "zg-vault"), "kv", (s) => {
      delete (s.props.properties as Record<string, unknown>).publicNetworkAccess;
    });
    expect(await run(name, specs)).toEqual({ kind: "violations", messages: [] });
  });

  it("holds storage to the configured group ids and to what its kind serves", async () => {
    const noFile = without(compliantSpecs(), "pe-file", "zg-file");
    expect(await run(name, noFile, "known", { storageGroupIds: ["blob"] })).toEqual({
      kind: "violations",
      messages: [],
    });
    const blockBlob = edit(noFile, "storage", (s) => {
      s.props.kind = "BlockBlobStorage";
    });
    expect(await run(name, blockBlob)).toEqual({ kind: "violations", messages: [] });
    const withDfs = await run(name, compliantSpecs(), "known", { storageGroupIds: ["blob", "file", "dfs"] });
    expect(withDfs).toEqual({
      kind: "violations",
      messages: [expect.stringMatching(/no private endpoint with groupIds \["dfs"\]/)],
    });
  });

  it("with zoneGroupsByAzurePolicy requires only the endpoints", async () => {
    expect(
      await run(name, without(compliantSpecs(), "zg-vault", "zg-blob"), "known", { zoneGroupsByAzurePolicy: true }),
    ).toEqual({ kind: "violations", messages: [] });
  });

  it("cannot decide when public network access is unknown", async () => {
    const specs = edit(compliantSpecs(), "storage", (s) => {
      s.props.publicNetworkAccess = UNKNOWN.string;
    });
    expect(await run(name, specs)).toEqual({ kind: "unknown" });
  });

  describe("managedNetworkOnly (a Key Vault or registry reached only by a workspace's managed network)", () => {
    const BOTH = { managedNetworkOnly: ["vault", "registry"] };
    /** The compliant stack without the client endpoints (and zone groups) of the Key Vault and the registry. */
    const noClientEndpoints = () => without(compliantSpecs(), "pe-vault", "zg-vault", "pe-registry", "zg-registry");
    const withManagedNetwork = (specs: Spec[], isolationMode: unknown = "AllowOnlyApprovedOutbound") =>
      edit(specs, "ws", (s) => {
        s.props.managedNetwork = { isolationMode };
      });
    const VAULT_VIOLATION =
      /^Vault 'kv' has properties\.publicNetworkAccess Disabled but no private endpoint with groupIds \["vault"\]/;
    const REGISTRY_VIOLATION =
      /^Registry 'acr' has publicNetworkAccess Disabled but no private endpoint with groupIds \["registry"\]/;

    it.each(MODES)(
      "passes the workspace's Key Vault and registry without client endpoints when the workspace has a managed network (%s)",
      async (mode) => {
        for (const isolationMode of ["AllowOnlyApprovedOutbound", "AllowInternetOutbound"]) {
          expect(
            await run(name, withManagedNetwork(noClientEndpoints(), isolationMode), mode, BOTH),
            isolationMode,
          ).toEqual({ kind: "violations", messages: [] });
        }
        // With the option, no other private link rule objects to the missing endpoints or the now unused zones.
        const others = await onlyRule(withManagedNetwork(noClientEndpoints()), mode, BOTH);
        expect(others.filter((rule) => rule.includes("private") || rule.includes("dns"))).toEqual([]);
      },
    );

    it.each(MODES)("reports both without the option: the default [] is strict (%s)", async (mode) => {
      const specs = withManagedNetwork(noClientEndpoints());
      const expected = {
        kind: "violations",
        messages: [expect.stringMatching(VAULT_VIOLATION), expect.stringMatching(REGISTRY_VIOLATION)],
      };
      expect(await run(name, specs, mode)).toEqual(expected);
      expect(await run(name, specs, mode, { managedNetworkOnly: [] })).toEqual(expected);
    });

    it("exempts only the kinds it lists", async () => {
      const specs = withManagedNetwork(noClientEndpoints());
      expect(await run(name, specs, "known", { managedNetworkOnly: ["vault"] })).toEqual({
        kind: "violations",
        messages: [expect.stringMatching(REGISTRY_VIOLATION)],
      });
      expect(await run(name, specs, "known", { managedNetworkOnly: ["registry"] })).toEqual({
        kind: "violations",
        messages: [expect.stringMatching(VAULT_VIOLATION)],
      });
    });

    it.each(MODES)("reports them when the workspace has no managed network (absent or Disabled) (%s)", async (mode) => {
      const expected = {
        kind: "violations",
        messages: [expect.stringMatching(VAULT_VIOLATION), expect.stringMatching(REGISTRY_VIOLATION)],
      };
      expect(await run(name, noClientEndpoints(), mode, BOTH)).toEqual(expected);
      expect(await run(name, withManagedNetwork(noClientEndpoints(), "Disabled"), mode, BOTH)).toEqual(expected);
    });

    it.each(MODES)("reports a Key Vault that no managed-network workspace uses (%s)", async (mode) => {
      const other: Spec = {
        name: "kv-other",
        type: T.vault,
        props: {
          vaultName: "kv-other",
          resourceGroupName: nameOf("rg"),
          properties: {
            publicNetworkAccess: "Disabled",
            enableRbacAuthorization: true,
            tenantId: "00000000-0000-0000-0000-000000000000",
            sku: { family: "A", name: "standard" },
          },
        },
        id: `${BASE}/Microsoft.KeyVault/vaults/kv-other`,
        azureName: "kv-other",
      };
      const specs = [...withManagedNetwork(noClientEndpoints()), other];
      expect(await run(name, specs, mode, BOTH)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /^Vault 'kv-other' has properties\.publicNetworkAccess Disabled but no private endpoint with groupIds \["vault"\]/,
          ),
        ],
      });
    });

    it("cannot decide when the workspace's isolation mode is unknown", async () => {
      expect(await run(name, withManagedNetwork(noClientEndpoints(), UNKNOWN.string), "known", BOTH)).toEqual({
        kind: "unknown",
      });
    });

    it("cannot decide when the workspace's keyVault is unknown and traced to no resource", async () => {
      const specs = edit(withManagedNetwork(noClientEndpoints()), "ws", (s) => {
        s.props.keyVault = UNKNOWN.string;
      });
      expect(await run(name, specs, "known", BOTH)).toEqual({ kind: "unknown" });
    });

    it("declares the option in its config schema, default [] (strict)", () => {
      const schema = rule(name).configSchema?.properties as Record<
        string,
        { default?: unknown; items?: { enum?: unknown } }
      >;
      expect(schema.managedNetworkOnly).toMatchObject({
        type: "array",
        default: [],
        items: { type: "string", enum: ["vault", "registry"] },
      });
      expect(rule(name).description).toContain("managedNetworkOnly");
    });
  });
});

describe("stack-private-dns-zone-vnet-link", () => {
  const name = "stack-private-dns-zone-vnet-link";

  it.each(MODES)("passes the compliant stack (%s)", async (mode) => {
    expect(await run(name, compliantSpecs(), mode)).toEqual({ kind: "violations", messages: [] });
  });

  it.each(MODES)("reports a zone in use without a VNet link, and only this rule (%s)", async (mode) => {
    const specs = without(compliantSpecs(), "link-blob");
    expect(await run(name, specs, mode)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /PrivateZone 'zone-blob' \(privatelink\.blob\.core\.windows\.net\) is used by .* but no azure-native:privatedns:VirtualNetworkLink/,
        ),
      ],
    });
    expect(await onlyRule(specs, mode)).toEqual([name]);
  });

  it("reports a link without a virtual network", async () => {
    const specs = edit(compliantSpecs(), "link-api", (s) => {
      delete s.props.virtualNetwork;
    });
    expect(await run(name, specs)).toEqual({
      kind: "violations",
      messages: [expect.stringMatching(/PrivateZone 'zone-api'/)],
    });
  });

  it("reports a link of another zone with the same name in another resource group (known names)", async () => {
    const specs = edit(compliantSpecs(), "link-vault", (s) => {
      s.props.resourceGroupName = "rg-other";
    });
    expect(await run(name, specs)).toEqual({
      kind: "violations",
      messages: [expect.stringMatching(/PrivateZone 'zone-vault'/)],
    });
  });

  it("ignores zones no zone group uses, and zones outside the stack", async () => {
    const unused = [
      ...compliantSpecs(),
      {
        name: "zone-extra",
        type: "azure-native:privatedns:PrivateZone",
        props: { privateZoneName: "privatelink.queue.core.windows.net", resourceGroupName: nameOf("rg") },
        id: "/x/privateDnsZones/privatelink.queue.core.windows.net",
        azureName: "privatelink.queue.core.windows.net",
      },
    ];
    expect(await run(name, unused)).toEqual({ kind: "violations", messages: [] });
    const hub = edit(without(compliantSpecs(), "zone-vault", "link-vault"), "zg-vault", (s) => {
      s.props.privateDnsZoneConfigs = [
        {
          name: "vault",
          privateDnsZoneId:
            "/subscriptions/hub/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net",
        },
      ];
    });
    expect(await run(name, hub)).toEqual({ kind: "violations", messages: [] });
  });

  it("cannot decide when a link's zone name is unknown and traced to no zone", async () => {
    const specs = edit(without(compliantSpecs(), "link-blob"), "link-file", (s) => {
      s.props.privateZoneName = UNKNOWN.string;
    });
    expect(await run(name, specs, "unknown")).toEqual({ kind: "unknown" });
  });
});

describe("stack-private-endpoint-unique", () => {
  const name = "stack-private-endpoint-unique";
  const duplicate = () => [...compliantSpecs(), ...endpoint("blob2", "storage", "blob", ["blob"])];

  it.each(MODES)("passes the compliant stack (%s)", async (mode) => {
    expect(await run(name, compliantSpecs(), mode)).toEqual({ kind: "violations", messages: [] });
  });

  it.each(MODES)("reports two endpoints to one target and group id, and only this rule (%s)", async (mode) => {
    expect(await run(name, duplicate(), mode)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /PrivateEndpoint 'pe-blob' and PrivateEndpoint 'pe-blob2' all connect to StorageAccount 'storage' with group id "blob"/,
        ),
      ],
    });
    expect(await onlyRule(duplicate(), mode)).toEqual([name]);
  });

  it("matches an endpoint by known id with one whose target is unknown", async () => {
    const specs = edit(duplicate(), "pe-blob2", (s) => {
      connection(s).privateLinkServiceId =
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/stml";
    });
    expect(await run(name, specs, "unknown")).toMatchObject({
      kind: "violations",
      messages: [expect.stringMatching(/'pe-blob' and PrivateEndpoint 'pe-blob2'/)],
    });
  });

  it("cannot decide when group ids are unknown", async () => {
    const specs = edit(compliantSpecs(), "pe-blob", (s) => {
      connection(s).groupIds = UNKNOWN.string;
    });
    expect(await run(name, specs)).toEqual({ kind: "unknown" });
  });
});

describe("stack-private-endpoint-single-zone-group", () => {
  const name = "stack-private-endpoint-single-zone-group";
  const second = (): Spec[] => [
    ...compliantSpecs(),
    { ...endpoint("vault", "kv", "vault", ["vault"])[1], name: "zg-vault-2" },
  ];

  it.each(MODES)("passes the compliant stack (%s)", async (mode) => {
    expect(await run(name, compliantSpecs(), mode)).toEqual({ kind: "violations", messages: [] });
  });

  it.each(MODES)("reports a second zone group on an endpoint, and only this rule (%s)", async (mode) => {
    expect(await run(name, second(), mode)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /PrivateEndpoint 'pe-vault' has 2 PrivateDnsZoneGroups \(PrivateDnsZoneGroup 'zg-vault', PrivateDnsZoneGroup 'zg-vault-2'\)/,
        ),
      ],
    });
    expect(await onlyRule(second(), mode)).toEqual([name]);
  });

  it("cannot decide when a zone group's endpoint name is unknown and traced to no endpoint", async () => {
    const specs = edit(second(), "zg-vault-2", (s) => {
      s.props.privateEndpointName = UNKNOWN.string;
    });
    expect(await run(name, specs, "unknown")).toEqual({ kind: "unknown" });
  });
});

describe("stack-private-endpoint-zones-match-group-id", () => {
  const name = "stack-private-endpoint-zones-match-group-id";
  const foreign = () =>
    edit(compliantSpecs(), "zg-blob", (s) => {
      s.props.privateDnsZoneConfigs = [...zoneConfigs(s), { name: "file", privateDnsZoneId: idOf("zone-file") }];
    });

  it.each(MODES)("passes the compliant stack (%s)", async (mode) => {
    expect(await run(name, compliantSpecs(), mode)).toEqual({ kind: "violations", messages: [] });
  });

  it.each(MODES)("reports a zone of another group id, and only this rule (%s)", async (mode) => {
    expect(await run(name, foreign(), mode)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /PrivateDnsZoneGroup 'zg-blob' of PrivateEndpoint 'pe-blob' \(groupIds \["blob"\]\) holds privatelink\.file\.core\.windows\.net/,
        ),
      ],
    });
    expect(await onlyRule(foreign(), mode)).toEqual([name]);
  });

  it("does not judge group ids outside the catalogue", async () => {
    const specs = edit(foreign(), "pe-blob", (s) => {
      connection(s).groupIds = ["sqlServer"];
    });
    expect(await run(name, specs)).toEqual({ kind: "violations", messages: [] });
  });

  it("cannot decide when the endpoint's group ids are unknown", async () => {
    const specs = edit(foreign(), "pe-blob", (s) => {
      connection(s).groupIds = UNKNOWN.string;
    });
    expect(await run(name, specs)).toEqual({ kind: "unknown" });
  });
});

describe("stack-paas-private-endpoint: Azure ML registries", () => {
  const name = "stack-paas-private-endpoint";
  const MLR_ID = `${BASE}/Microsoft.MachineLearningServices/registries/mlr-ml`;
  /** The compliant stack with a private Azure ML registry and its amlregistry endpoint in the Azure ML API zone. */
  const withRegistry = (): Spec[] => [
    ...compliantSpecs(),
    {
      name: "mlr",
      type: T.mlRegistry,
      props: { registryName: "mlr-ml", resourceGroupName: nameOf("rg"), publicNetworkAccess: "Disabled" },
      id: MLR_ID,
      azureName: "mlr-ml",
      protect: true,
    },
    ...endpoint("mlr", "mlr", "amlregistry", ["api"]),
  ];

  it.each(MODES)("passes a private registry with its amlregistry endpoint, under every rule (%s)", async (mode) => {
    expect(await run(name, withRegistry(), mode)).toEqual({ kind: "violations", messages: [] });
    expect(await onlyRule(withRegistry(), mode)).toEqual([]);
  });

  it.each(MODES)("reports a private registry without a private endpoint, and only this rule (%s)", async (mode) => {
    const specs = without(withRegistry(), "pe-mlr", "zg-mlr");
    expect(await run(name, specs, mode)).toEqual({
      kind: "violations",
      messages: [
        "Registry 'mlr' has publicNetworkAccess Disabled but no private endpoint with groupIds [\"amlregistry\"] (privateLinkServiceConnections[].privateLinkServiceId = its id): the amlregistry service of the Azure ML registry is unreachable from the VNet.",
      ],
    });
    expect(await onlyRule(specs, mode)).toEqual([name]);
  });

  it("reports an endpoint to the registry with another group id", async () => {
    const specs = edit(withRegistry(), "pe-mlr", (s) => {
      connection(s).groupIds = ["registry"];
    });
    expect(await run(name, specs)).toEqual({
      kind: "violations",
      messages: [expect.stringMatching(/^Registry 'mlr' has publicNetworkAccess Disabled but no private endpoint/)],
    });
  });

  it("does not count an amlregistry endpoint to another registry", async () => {
    const specs = edit(withRegistry(), "pe-mlr", (s) => {
      connection(s).privateLinkServiceId = MLR_ID.replace("mlr-ml", "mlr-other");
    });
    for (const mode of MODES)
      expect(await run(name, specs, mode)).toEqual({
        kind: "violations",
        messages: [
          "Registry 'mlr' has publicNetworkAccess Disabled but no private endpoint with groupIds [\"amlregistry\"] (privateLinkServiceConnections[].privateLinkServiceId = its id): the amlregistry service of the Azure ML registry is unreachable from the VNet.",
        ],
      });
  });

  it.each(MODES)("reports a zone group without the Azure ML API zone (%s)", async (mode) => {
    const specs = edit(withRegistry(), "zg-mlr", (s) => {
      zoneConfigs(s)[0] = { name: "blob", privateDnsZoneId: idOf("zone-blob") };
    });
    expect(await run(name, specs, mode)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /^Registry 'mlr': no private endpoint with groupIds \["amlregistry"\] has a PrivateDnsZoneGroup holding the privatelink\.api\.azureml\.ms zone/,
        ),
      ],
    });
  });

  it("accepts the endpoint without a zone group when zoneGroupsByAzurePolicy", async () => {
    const specs = without(withRegistry(), "zg-mlr");
    expect(await run(name, specs)).toEqual({
      kind: "violations",
      messages: [
        "Registry 'mlr': no private endpoint with groupIds [\"amlregistry\"] has a PrivateDnsZoneGroup holding the privatelink.api.azureml.ms zone (PrivateEndpoint 'pe-mlr' has no PrivateDnsZoneGroup): the amlregistry endpoint name resolves to the public address, which is closed.",
      ],
    });
    expect(await run(name, specs, "known", { zoneGroupsByAzurePolicy: true })).toEqual({
      kind: "violations",
      messages: [],
    });
  });

  it("leaves a registry with public network access Enabled to the resource rule", async () => {
    const specs = edit(without(withRegistry(), "pe-mlr", "zg-mlr"), "mlr", (s) => {
      s.props.publicNetworkAccess = "Enabled";
    });
    expect(await run(name, specs)).toEqual({ kind: "violations", messages: [] });
  });

  it("cannot decide when the registry has no endpoint but another endpoint's target is unknown and untraced", async () => {
    const specs = edit(withRegistry(), "pe-mlr", (s) => {
      connection(s).privateLinkServiceId = UNKNOWN.string;
    });
    expect(await run(name, specs, "unknown")).toEqual({ kind: "unknown" });
  });

  it("cannot decide when the registry's public network access is unknown", async () => {
    const specs = edit(withRegistry(), "mlr", (s) => {
      s.props.publicNetworkAccess = UNKNOWN.string;
    });
    expect(await run(name, specs)).toEqual({ kind: "unknown" });
  });
});
