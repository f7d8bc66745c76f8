import { beforeAll, describe, expect, it } from "vitest";
import { Plan, PlannedResource } from "../../plan/contract";
import { dependsOn, idOf, one, ofType, planWith } from "../support/plan";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
const LOG_ANALYTICS_ID = `${SUB}/resourceGroups/rg-monitor/providers/Microsoft.OperationalInsights/workspaces/log-amldev`;
const HUB_VNET = `${SUB}/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub`;
const HUB_PE_SUBNET = `${HUB_VNET}/subnets/snet-pe`;

const VNET = "azure-native:network:VirtualNetwork";
const SUBNET = "azure-native:network:Subnet";
const NSG = "azure-native:network:NetworkSecurityGroup";
const DIAG = "azure-native:monitor:DiagnosticSetting";

interface Rule {
  direction: string;
  access: string;
  priority: number;
  sourceAddressPrefix?: string;
  sourceAddressPrefixes?: string[];
}

/** Sources that mean "anyone on the internet". */
const OPEN_SOURCES = ["internet", "*", "0.0.0.0/0", "any"];

function rulesOf(nsg: PlannedResource): Rule[] {
  return nsg.inputs.securityRules as Rule[];
}

function nsgIdOf(subnet: PlannedResource): string {
  return (subnet.inputs.networkSecurityGroup as { id: string }).id;
}

describe("Network", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planWith(async () => {
      const { Network } = await import("../../components/network");
      const full = new Network("full", {
        resourceGroupName: "rg-full",
        location: "westeurope",
        tags: { env: "test" },
        namePrefix: "amldev",
        create: { addressSpace: "10.40.0.0/16", privateEndpointSubnet: "10.40.0.0/24", jumpboxSubnet: "10.40.8.0/27" },
        diagnostics: { logAnalyticsWorkspaceId: LOG_ANALYTICS_ID },
      });
      const minimal = new Network("minimal", {
        resourceGroupName: "rg-minimal",
        location: "westeurope",
        namePrefix: "amlmin",
        create: { addressSpace: "10.50.0.0/16", privateEndpointSubnet: "10.50.0.0/24" },
      });
      const adopted = new Network("adopted", {
        resourceGroupName: "rg-adopted",
        location: "westeurope",
        namePrefix: "amlhub",
        existing: { virtualNetworkId: HUB_VNET, privateEndpointSubnetId: HUB_PE_SUBNET },
        diagnostics: { logAnalyticsWorkspaceId: LOG_ANALYTICS_ID },
      });
      const rejected: string[] = [];
      for (const [badName, modes] of [
        [
          "both",
          {
            create: { addressSpace: "10.60.0.0/16", privateEndpointSubnet: "10.60.0.0/24" },
            existing: { virtualNetworkId: HUB_VNET, privateEndpointSubnetId: HUB_PE_SUBNET },
          },
        ],
        ["neither", {}],
      ] as const) {
        try {
          new Network(badName, { resourceGroupName: "rg-bad", location: "westeurope", namePrefix: "amlbad", ...modes });
        } catch (error) {
          rejected.push((error as Error).message);
        }
      }
      return {
        rejected,
        fullVnet: full.virtualNetworkId,
        fullPe: full.privateEndpointSubnetId,
        fullHasComputeSubnet: "computeSubnetId" in full,
        fullJumpbox: full.jumpboxSubnetId,
        fullNsgs: full.networkSecurityGroupIds,
        minimalJumpboxIsUnset: minimal.jumpboxSubnetId === undefined,
        minimalNsgKeys: Object.keys(minimal.networkSecurityGroupIds).join(","),
        adoptedVnet: adopted.virtualNetworkId,
        adoptedPe: adopted.privateEndpointSubnetId,
        adoptedJumpboxIsUnset: adopted.jumpboxSubnetId === undefined,
        adoptedNsgCount: Object.keys(adopted.networkSecurityGroupIds).length,
      };
    });
  });

  const childrenOf = (component: string) => plan.resources.filter((r) => r.parent?.endsWith(`::${component}`));

  describe("mode create", () => {
    it("creates the VNet with the configured address space and no inline subnets", () => {
      const vnet = one(plan, VNET, "full-vnet");
      expect(vnet.inputs.virtualNetworkName).toBe("vnet-amldev");
      expect(vnet.inputs.addressSpace).toEqual({ addressPrefixes: ["10.40.0.0/16"] });
      expect(vnet.inputs.subnets).toBeUndefined();
      expect(vnet.inputs.tags).toEqual({ env: "test" });
    });

    it("creates each subnet with its CIDR and name in the VNet", () => {
      const expected = { pe: "10.40.0.0/24", jumpbox: "10.40.8.0/27" };
      for (const [short, cidr] of Object.entries(expected)) {
        const subnet = one(plan, SUBNET, `full-snet-${short}`);
        expect(subnet.inputs.addressPrefix).toBe(cidr);
        expect(subnet.inputs.subnetName).toBe(`snet-amldev-${short}`);
        expect(subnet.inputs.virtualNetworkName).toBe("vnet-amldev");
        expect(subnet.inputs.resourceGroupName).toBe("rg-full");
      }
    });

    it("attaches each subnet's own NSG by id", () => {
      for (const short of ["pe", "jumpbox"]) {
        const subnet = one(plan, SUBNET, `full-snet-${short}`);
        const nsg = one(plan, NSG, `full-nsg-${short}`);
        expect(nsg.inputs.networkSecurityGroupName).toBe(`nsg-amldev-${short}`);
        expect(nsgIdOf(subnet)).toBe(idOf(nsg));
      }
      const ids = new Set(ofType(plan, SUBNET).map(nsgIdOf));
      expect(ids.size).toBe(ofType(plan, SUBNET).length);
    });

    it("turns default outbound access off and private endpoint network policies on for every subnet", () => {
      for (const subnet of ofType(plan, SUBNET)) {
        expect(subnet.inputs.defaultOutboundAccess).toBe(false);
        expect(subnet.inputs.privateEndpointNetworkPolicies).toBe("Enabled");
      }
      expect(one(plan, SUBNET, "full-snet-pe").inputs.privateEndpointNetworkPolicies).toBe("Enabled");
    });

    it("has no NSG rule that allows inbound traffic from the internet or anywhere", () => {
      const nsgs = ofType(plan, NSG);
      expect(nsgs).toHaveLength(3);
      for (const nsg of nsgs) {
        const openAllows = rulesOf(nsg).filter(
          (rule) =>
            rule.direction === "Inbound" &&
            rule.access === "Allow" &&
            [rule.sourceAddressPrefix, ...(rule.sourceAddressPrefixes ?? [])].some(
              (source) => source !== undefined && OPEN_SOURCES.includes(source.toLowerCase()),
            ),
        );
        expect(openAllows).toEqual([]);
        expect(rulesOf(nsg).filter((rule) => rule.access === "Allow")).toEqual([]);
      }
    });

    it("denies inbound internet traffic explicitly at priority 4096", () => {
      for (const nsg of ofType(plan, NSG)) {
        expect(rulesOf(nsg)).toContainEqual(
          expect.objectContaining({
            direction: "Inbound",
            access: "Deny",
            priority: 4096,
            sourceAddressPrefix: "Internet",
            destinationPortRange: "*",
            protocol: "*",
          }),
        );
      }
    });

    it("creates subnets one after another (pe, then jumpbox)", () => {
      const pe = one(plan, SUBNET, "full-snet-pe");
      const jumpbox = one(plan, SUBNET, "full-snet-jumpbox");
      expect(jumpbox.dependencies).toContain(pe.urn);
      expect(dependsOn(plan, pe, jumpbox)).toBe(false);
      expect(dependsOn(plan, pe, one(plan, VNET, "full-vnet"))).toBe(true);
    });

    it("creates no compute subnet or NSG: the managed virtual network hosts compute (deploy-audit M6)", () => {
      expect(ofType(plan, SUBNET).map((s) => s.inputs.subnetName)).not.toContain("snet-amldev-compute");
      expect(ofType(plan, NSG).map((n) => n.inputs.networkSecurityGroupName)).not.toContain("nsg-amldev-compute");
      expect(ofType(plan, SUBNET).filter((s) => s.name.endsWith("-snet-compute"))).toEqual([]);
      expect(plan.outputs.fullHasComputeSubnet).toBe(false);
    });

    it("sends each NSG's logs (no metrics) to the given Log Analytics workspace", () => {
      for (const short of ["pe", "jumpbox"]) {
        const diag = one(plan, DIAG, `full-nsg-${short}-diag`);
        expect(diag.inputs.resourceUri).toBe(idOf(one(plan, NSG, `full-nsg-${short}`)));
        expect(diag.inputs.workspaceId).toBe(LOG_ANALYTICS_ID);
        expect(diag.inputs.logs).toEqual([{ categoryGroup: "allLogs", enabled: true }]);
        expect(diag.inputs.metrics).toEqual([]);
      }
      expect(ofType(plan, DIAG)).toHaveLength(2);
    });

    it("publishes the created ids", () => {
      expect(plan.outputs.fullVnet).toBe(idOf(one(plan, VNET, "full-vnet")));
      expect(plan.outputs.fullPe).toBe(idOf(one(plan, SUBNET, "full-snet-pe")));
      expect(plan.outputs.fullJumpbox).toBe(idOf(one(plan, SUBNET, "full-snet-jumpbox")));
      expect(plan.outputs.fullNsgs).toEqual({
        privateEndpoints: idOf(one(plan, NSG, "full-nsg-pe")),
        jumpbox: idOf(one(plan, NSG, "full-nsg-jumpbox")),
      });
    });

    it("creates no jumpbox subnet or NSG when none is configured", () => {
      expect(
        childrenOf("minimal")
          .map((r) => r.name)
          .sort(),
      ).toEqual(["minimal-nsg-pe", "minimal-snet-pe", "minimal-vnet"]);
      expect(plan.outputs.minimalJumpboxIsUnset).toBe(true);
      expect(plan.outputs.minimalNsgKeys).toBe("privateEndpoints");
    });

    it("parents every resource to its component and registers nothing late", () => {
      expect(childrenOf("full")).toHaveLength(1 + 2 + 2 + 2);
      expect(plan.lateRegistrations).toEqual([]);
    });
  });

  describe("mode existing", () => {
    it("creates nothing, not even diagnostic settings", () => {
      expect(childrenOf("adopted")).toEqual([]);
    });

    it("publishes the configured ids", () => {
      expect(plan.outputs.adoptedVnet).toBe(HUB_VNET);
      expect(plan.outputs.adoptedPe).toBe(HUB_PE_SUBNET);
      expect(plan.outputs.adoptedJumpboxIsUnset).toBe(true);
      expect(plan.outputs.adoptedNsgCount).toBe(0);
    });
  });

  describe("mode arguments", () => {
    it("rejects both create and existing, and neither, naming the arguments, and creates nothing for them", () => {
      expect(plan.outputs.rejected).toEqual([
        "network: both create and existing are given; give create to build a VNet, or existing to adopt subnets, not both",
        "network: neither create nor existing is given; give create (addressSpace, privateEndpointSubnet) or existing (virtualNetworkId, privateEndpointSubnetId)",
      ]);
      expect([...childrenOf("both"), ...childrenOf("neither")]).toEqual([]);
    });
  });
});
