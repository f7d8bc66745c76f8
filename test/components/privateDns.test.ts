import { beforeAll, describe, expect, it } from "vitest";
import type { DnsZoneKey } from "secure-azureml-facts";
import { Plan, PlannedResource } from "../../plan/contract";
import { idOf, one, ofType, planWith } from "../support/plan";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
const VNET = `${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-amldev`;
const GOV_VNET = `${SUB}/resourceGroups/rg-gov/providers/Microsoft.Network/virtualNetworks/vnet-amlgov`;
const CHINA_VNET = `${SUB}/resourceGroups/rg-cn/providers/Microsoft.Network/virtualNetworks/vnet-amlcn`;
const hubZone = (zone: string) => `${SUB}/resourceGroups/rg-hub/providers/Microsoft.Network/privateDnsZones/${zone}`;
const HUB_ZONES = {
  amlApi: hubZone("privatelink.api.azureml.ms"),
  amlNotebooks: hubZone("privatelink.notebooks.azure.net"),
  blob: hubZone("privatelink.blob.core.windows.net"),
  vault: hubZone("privatelink.vaultcore.azure.net"),
  registry: hubZone("privatelink.azurecr.io"),
  dfs: hubZone("privatelink.dfs.core.windows.net"),
};

const ZONE = "azure-native:privatedns:PrivateZone";
const LINK = "azure-native:privatedns:VirtualNetworkLink";
const NEEDED: DnsZoneKey[] = ["amlApi", "amlNotebooks", "blob", "file", "vault", "registry"];

describe("PrivateDns", () => {
  let plan: Plan;
  let missingZoneKeys: typeof import("../../components/privateDns").missingZoneKeys;
  let privateDnsArgsProblem: typeof import("../../components/privateDns").privateDnsArgsProblem;
  let zoneIdsForUnknownKey: () => unknown;
  beforeAll(async () => {
    plan = await planWith(async () => {
      const module = await import("../../components/privateDns");
      missingZoneKeys = module.missingZoneKeys;
      privateDnsArgsProblem = module.privateDnsArgsProblem;
      const { PrivateDns } = module;
      const common = { tags: { env: "test" }, zoneKeys: NEEDED };
      const publicDns = new PrivateDns("dns", {
        ...common,
        resourceGroupName: "rg-dns",
        mode: "create",
        cloud: "AzureCloud",
        virtualNetworkId: VNET,
        namePrefix: "amldev",
      });
      new PrivateDns("gov", {
        ...common,
        resourceGroupName: "rg-gov",
        mode: "create",
        cloud: "AzureUSGovernment",
        virtualNetworkId: GOV_VNET,
        namePrefix: "amlgov",
      });
      new PrivateDns("china", {
        ...common,
        resourceGroupName: "rg-cn",
        mode: "create",
        cloud: "AzureChinaCloud",
        virtualNetworkId: CHINA_VNET,
        namePrefix: "amlcn",
      });
      const hub = new PrivateDns("hub", {
        resourceGroupName: "rg-spoke",
        mode: "existing",
        existingZoneIds: HUB_ZONES,
        cloud: "AzureCloud",
        zoneKeys: ["amlApi", "amlNotebooks", "blob", "vault", "registry"],
        virtualNetworkId: VNET,
        namePrefix: "amlhub",
      });
      const policy = new PrivateDns("policy", {
        resourceGroupName: "rg-policy",
        mode: "azurePolicy",
        cloud: "AzureCloud",
        zoneKeys: NEEDED,
        virtualNetworkId: VNET,
        namePrefix: "amlpol",
      });
      zoneIdsForUnknownKey = () => hub.zoneIdsFor(["dfs"]);
      return {
        publicOrdered: publicDns.zoneIdsFor(["registry", "amlApi", "blob"]),
        publicAll: publicDns.zoneIds,
        hubOrdered: hub.zoneIdsFor(["vault", "amlNotebooks", "amlApi"]),
        hubAll: hub.zoneIds,
        policyZoneIdsUnset: policy.zoneIds === undefined,
        policyZoneIdsForUnset: policy.zoneIdsFor(["blob"]) === undefined,
      };
    });
  });

  const childrenOf = (component: string) => plan.resources.filter((r) => r.parent?.endsWith(`::${component}`));
  const linkOf = (zone: PlannedResource) => one(plan, LINK, `${zone.name}-link`);

  describe("mode create", () => {
    it("creates one global zone per needed key, named for Azure public cloud, with logical names from the key", () => {
      const zones = childrenOf("dns").filter((r) => r.type === ZONE);
      expect(zones.map((z) => z.name).sort()).toEqual(NEEDED.map((k) => `dns-${k}`).sort());
      const names = Object.fromEntries(
        NEEDED.map((key) => [key, one(plan, ZONE, `dns-${key}`).inputs.privateZoneName]),
      );
      expect(names).toEqual({
        amlApi: "privatelink.api.azureml.ms",
        amlNotebooks: "privatelink.notebooks.azure.net",
        blob: "privatelink.blob.core.windows.net",
        file: "privatelink.file.core.windows.net",
        vault: "privatelink.vaultcore.azure.net",
        registry: "privatelink.azurecr.io",
      });
      for (const zone of zones) {
        expect(zone.inputs.location).toBe("global");
        expect(zone.inputs.resourceGroupName).toBe("rg-dns");
        expect(zone.inputs.tags).toEqual({ env: "test" });
      }
    });

    it("uses the US Government zone names", () => {
      const names = Object.fromEntries(
        NEEDED.map((key) => [key, one(plan, ZONE, `gov-${key}`).inputs.privateZoneName]),
      );
      expect(names).toEqual({
        amlApi: "privatelink.api.ml.azure.us",
        amlNotebooks: "privatelink.notebooks.usgovcloudapi.net",
        blob: "privatelink.blob.core.usgovcloudapi.net",
        file: "privatelink.file.core.usgovcloudapi.net",
        vault: "privatelink.vaultcore.usgovcloudapi.net",
        registry: "privatelink.azurecr.us",
      });
    });

    it("uses the China zone names", () => {
      const names = Object.fromEntries(
        NEEDED.map((key) => [key, one(plan, ZONE, `china-${key}`).inputs.privateZoneName]),
      );
      expect(names).toEqual({
        amlApi: "privatelink.api.ml.azure.cn",
        amlNotebooks: "privatelink.notebooks.chinacloudapi.cn",
        blob: "privatelink.blob.core.chinacloudapi.cn",
        file: "privatelink.file.core.chinacloudapi.cn",
        vault: "privatelink.vaultcore.azure.cn",
        registry: "privatelink.azurecr.cn",
      });
    });

    it("links every zone to its VNet without auto-registration or public fallback", () => {
      const cases = [
        ["dns", VNET, "vnetlink-amldev"],
        ["gov", GOV_VNET, "vnetlink-amlgov"],
        ["china", CHINA_VNET, "vnetlink-amlcn"],
      ] as const;
      for (const [component, vnetId, linkName] of cases) {
        const zones = childrenOf(component).filter((r) => r.type === ZONE);
        expect(childrenOf(component).filter((r) => r.type === LINK)).toHaveLength(zones.length);
        for (const zone of zones) {
          const link = linkOf(zone);
          expect(link.inputs.virtualNetwork).toEqual({ id: vnetId });
          expect(link.inputs.privateZoneName).toBe(zone.inputs.privateZoneName);
          expect(link.inputs.virtualNetworkLinkName).toBe(linkName);
          expect(link.inputs.registrationEnabled).toBe(false);
          expect(link.inputs.resolutionPolicy).toBe("Default");
          expect(link.inputs.location).toBe("global");
          expect(link.inputs.resourceGroupName).toBe(zone.inputs.resourceGroupName);
          expect(link.dependencies).toContain(zone.urn);
        }
      }
    });

    it("publishes the created zone ids per key, and zoneIdsFor returns them in the order asked", () => {
      const zoneId = (key: DnsZoneKey) => idOf(one(plan, ZONE, `dns-${key}`));
      expect(plan.outputs.publicOrdered).toEqual([zoneId("registry"), zoneId("amlApi"), zoneId("blob")]);
      expect(plan.outputs.publicOrdered).toEqual([
        `${SUB}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io`,
        `${SUB}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms`,
        `${SUB}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net`,
      ]);
      expect(plan.outputs.publicAll).toEqual(Object.fromEntries(NEEDED.map((key) => [key, zoneId(key)])));
    });
  });

  describe("mode existing", () => {
    it("creates nothing", () => {
      expect(childrenOf("hub")).toEqual([]);
    });

    it("uses the configured zone ids, for the needed keys only, in the order asked", () => {
      expect(plan.outputs.hubOrdered).toEqual([HUB_ZONES.vault, HUB_ZONES.amlNotebooks, HUB_ZONES.amlApi]);
      expect(plan.outputs.hubAll).toEqual({
        amlApi: HUB_ZONES.amlApi,
        amlNotebooks: HUB_ZONES.amlNotebooks,
        blob: HUB_ZONES.blob,
        vault: HUB_ZONES.vault,
        registry: HUB_ZONES.registry,
      });
    });

    it("names the missing keys of an existing config", () => {
      expect(
        missingZoneKeys({ mode: "existing", existingZoneIds: { amlApi: HUB_ZONES.amlApi } }, [
          "amlApi",
          "blob",
          "vault",
        ]),
      ).toEqual(["blob", "vault"]);
      expect(missingZoneKeys({ mode: "create" }, ["blob"])).toEqual([]);
    });

    it("throws a clear error when asked for a zone it does not have", () => {
      expect(zoneIdsForUnknownKey).toThrow(/no zone for "dfs".*add "dfs" to zoneKeys/);
    });
  });

  describe("mode azurePolicy", () => {
    it("creates nothing and has no zone ids", () => {
      expect(childrenOf("policy")).toEqual([]);
      expect(plan.outputs.policyZoneIdsUnset).toBe(true);
      expect(plan.outputs.policyZoneIdsForUnset).toBe(true);
    });
  });

  it("creates exactly one zone and one link per needed key per created component, none late", () => {
    expect(ofType(plan, ZONE)).toHaveLength(3 * NEEDED.length);
    expect(ofType(plan, LINK)).toHaveLength(3 * NEEDED.length);
    expect(plan.lateRegistrations).toEqual([]);
  });

  describe("mode arguments", () => {
    const link = { virtualNetworkId: VNET, namePrefix: "amldev" };
    it("accepts each mode with exactly its arguments", () => {
      expect(privateDnsArgsProblem({ mode: "create", zoneKeys: NEEDED, ...link })).toBeUndefined();
      expect(
        privateDnsArgsProblem({ mode: "existing", zoneKeys: ["amlApi", "blob"], existingZoneIds: HUB_ZONES }),
      ).toBeUndefined();
      expect(privateDnsArgsProblem({ mode: "azurePolicy", zoneKeys: NEEDED, ...link })).toBeUndefined();
    });

    it("rejects an unknown mode, zone ids outside mode existing, a create without its VNet link, and missing existing zones", () => {
      expect(privateDnsArgsProblem({ mode: "hub" as "create", zoneKeys: NEEDED, ...link })).toBe(
        'privateDns mode "hub" is not accepted; give one of create, existing, azurePolicy',
      );
      expect(privateDnsArgsProblem({ mode: "create", zoneKeys: NEEDED, existingZoneIds: HUB_ZONES, ...link })).toBe(
        'privateDns mode "create": existingZoneIds is given but used only in mode "existing"; remove it or set mode "existing"',
      );
      expect(privateDnsArgsProblem({ mode: "azurePolicy", zoneKeys: NEEDED, existingZoneIds: HUB_ZONES })).toMatch(
        /^privateDns mode "azurePolicy": existingZoneIds is given/,
      );
      expect(privateDnsArgsProblem({ mode: "create", zoneKeys: NEEDED })).toBe(
        'privateDns mode "create": virtualNetworkId and namePrefix missing; the created zones are linked to that VNet with link name vnetlink-<namePrefix>',
      );
      expect(privateDnsArgsProblem({ mode: "existing", zoneKeys: ["amlApi", "file", "queue"] })).toBe(
        'privateDns mode "existing": existingZoneIds has no id for amlApi, file, queue; give the resource id of each zone the environment needs',
      );
    });
  });
});
