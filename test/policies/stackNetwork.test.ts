import { describe, expect, it } from "vitest";
import { UNKNOWN } from "./support/harness";
import {
  MODES,
  Mode,
  Spec,
  compliantSpecs,
  edit,
  idOf,
  nameOf,
  render,
  rule,
  runOn,
  violationsOfAll,
} from "./fixtures/stackResources";

/** Stack rules on subnets and online deployments (policies/stack/network.ts). */

const run = (name: string, specs: Spec[], mode: Mode = "known", config: Record<string, unknown> = {}) =>
  runOn(rule(name), render(specs, mode), config);
const onlyRule = async (specs: Spec[], mode: Mode = "known") => Object.keys(await violationsOfAll(render(specs, mode)));
const properties = (spec: Spec) => spec.props.properties as Record<string, unknown>;

/** A VNet with inline subnets (`subnets`), one with and one without an NSG, and the blob endpoint moved into `into`. */
function inlineVnet(into: "snet-a" | "snet-b"): Spec[] {
  const vnet: Spec = {
    name: "vnet2",
    type: "azure-native:network:VirtualNetwork",
    props: {
      virtualNetworkName: "vnet-two",
      resourceGroupName: nameOf("rg"),
      subnets: [
        {
          name: "snet-a",
          addressPrefix: "10.1.0.0/24",
          networkSecurityGroup: { id: idOf("nsg-pe") },
          privateEndpointNetworkPolicies: "Enabled",
        },
        { name: "snet-b", addressPrefix: "10.1.1.0/24", privateEndpointNetworkPolicies: "Enabled" },
      ],
    },
    id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Network/virtualNetworks/vnet-two",
    azureName: "vnet-two",
  };
  return [
    ...edit(compliantSpecs(), "pe-blob", (s) => {
      s.props.subnet = {
        id: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Network/virtualNetworks/vnet-two/subnets/${into}`,
      };
    }),
    vnet,
  ];
}

describe("stack-network-subnet-nsg-in-use", () => {
  const name = "stack-network-subnet-nsg-in-use";

  it.each(MODES)("passes the compliant stack (%s)", async (mode) => {
    expect(await run(name, compliantSpecs(), mode)).toEqual({ kind: "violations", messages: [] });
  });

  it.each(MODES)("reports the private endpoint subnet without an NSG, and only this rule (%s)", async (mode) => {
    const specs = edit(compliantSpecs(), "snet-pe", (s) => {
      delete s.props.networkSecurityGroup;
    });
    expect(await run(name, specs, mode)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(/^Subnet 'snet-pe' holds PrivateEndpoint 'pe-ws' but has no networkSecurityGroup/),
      ],
    });
    expect(await onlyRule(specs, mode)).toEqual([name]);
  });

  it.each(MODES)("reports the compute subnet without an NSG (%s)", async (mode) => {
    const specs = edit(compliantSpecs(), "snet-compute", (s) => {
      s.props.networkSecurityGroup = {};
    });
    expect(await run(name, specs, mode)).toEqual({
      kind: "violations",
      messages: [expect.stringMatching(/^Subnet 'snet-compute' holds Compute 'cpu' but has no networkSecurityGroup/)],
    });
  });

  it("accepts an NSG whose id is still unknown, and ignores subnets outside the stack", async () => {
    const unknownNsg = edit(compliantSpecs(), "snet-pe", (s) => {
      s.props.networkSecurityGroup = { id: UNKNOWN.string };
    });
    expect(await run(name, unknownNsg)).toEqual({ kind: "violations", messages: [] });
    const external = edit(compliantSpecs(), "cpu", (s) => {
      (properties(s).properties as Record<string, unknown>).subnet = {
        id: "/subscriptions/hub/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/ml",
      };
    });
    expect(await run(name, external)).toEqual({ kind: "violations", messages: [] });
  });

  it("judges subnets defined inline in a VirtualNetwork (subnets[].networkSecurityGroup)", async () => {
    expect(await run(name, inlineVnet("snet-a"))).toEqual({ kind: "violations", messages: [] });
    expect(await run(name, inlineVnet("snet-b"))).toEqual({
      kind: "violations",
      messages: [expect.stringMatching(/^subnet 'snet-b' of VirtualNetwork 'vnet2' holds PrivateEndpoint 'pe-blob'/)],
    });
    expect(await run(name, inlineVnet("snet-b"), "unknown")).toEqual({
      kind: "violations",
      messages: [expect.stringMatching(/^subnet 'snet-b' of VirtualNetwork 'vnet2'/)],
    });
  });

  it("cannot decide when an endpoint's subnet id is unknown and only its VNet is known (one inline subnet lacks an NSG)", async () => {
    const specs = edit(inlineVnet("snet-a"), "pe-blob", (s) => {
      s.props.subnet = { id: idOf("vnet2") };
    });
    expect(await run(name, specs, "unknown")).toEqual({ kind: "unknown" });
  });

  it("cannot decide when an endpoint's subnet id is unknown and comes from no resource of the stack", async () => {
    const specs = edit(compliantSpecs(), "pe-blob", (s) => {
      s.props.subnet = { id: UNKNOWN.string };
    });
    expect(await run(name, specs, "unknown")).toEqual({ kind: "unknown" });
  });
});

describe("stack-network-private-endpoint-subnet-policies", () => {
  const name = "stack-network-private-endpoint-subnet-policies";

  it.each(MODES)("passes the compliant stack (%s)", async (mode) => {
    expect(await run(name, compliantSpecs(), mode)).toEqual({ kind: "violations", messages: [] });
  });

  it.each(MODES)(
    "reports an endpoint subnet without network policies (absent = Disabled), and only this rule (%s)",
    async (mode) => {
      const specs = edit(compliantSpecs(), "snet-pe", (s) => {
        delete s.props.privateEndpointNetworkPolicies;
      });
      expect(await run(name, specs, mode)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /^Subnet 'snet-pe' holds PrivateEndpoint 'pe-ws' but privateEndpointNetworkPolicies is not set \(Azure default Disabled\)/,
          ),
        ],
      });
      expect(await onlyRule(specs, mode)).toEqual([name]);
    },
  );

  it("reports Disabled and RouteTableEnabled, accepts NetworkSecurityGroupEnabled", async () => {
    for (const [value, ok] of [
      ["Disabled", false],
      ["RouteTableEnabled", false],
      ["NetworkSecurityGroupEnabled", true],
      ["enabled", true],
    ] as const) {
      const specs = edit(compliantSpecs(), "snet-pe", (s) => {
        s.props.privateEndpointNetworkPolicies = value;
      });
      const outcome = await run(name, specs);
      expect(outcome).toEqual({
        kind: "violations",
        messages: ok ? [] : [expect.stringContaining(`privateEndpointNetworkPolicies is "${value}"`)],
      });
    }
  });

  it("does not judge compute subnets", async () => {
    expect(await run(name, compliantSpecs())).toEqual({ kind: "violations", messages: [] });
  });

  it("cannot decide when the subnet's network policies are unknown", async () => {
    const specs = edit(compliantSpecs(), "snet-pe", (s) => {
      s.props.privateEndpointNetworkPolicies = UNKNOWN.string;
    });
    expect(await run(name, specs)).toEqual({ kind: "unknown" });
  });
});

describe("stack-online-deployment-egress-disabled", () => {
  const name = "stack-online-deployment-egress-disabled";

  it.each(MODES)("passes the compliant stack (%s)", async (mode) => {
    expect(await run(name, compliantSpecs(), mode)).toEqual({ kind: "violations", messages: [] });
  });

  it.each(MODES)(
    "passes a deployment without egressPublicNetworkAccess: Microsoft says to leave it unset with a workspace managed network (%s)",
    async (mode) => {
      const specs = edit(compliantSpecs(), "blue", (s) => {
        delete properties(s).egressPublicNetworkAccess;
      });
      expect(await run(name, specs, mode)).toEqual({ kind: "violations", messages: [] });
    },
  );

  it.each(MODES)("reports egress Enabled, and only this rule (%s)", async (mode) => {
    const specs = edit(compliantSpecs(), "blue", (s) => {
      properties(s).egressPublicNetworkAccess = "Enabled";
    });
    expect(await run(name, specs, mode)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /^OnlineDeployment 'blue' runs under OnlineEndpoint 'ep' \(publicNetworkAccess Disabled\) but properties\.egressPublicNetworkAccess is "Enabled"/,
        ),
      ],
    });
    expect(await onlyRule(specs, mode)).toEqual([name]);
  });

  it("does not apply under a public endpoint, nor to an endpoint of the same name in another workspace", async () => {
    const publicEndpoint = edit(
      edit(compliantSpecs(), "ep", (s) => {
        properties(s).publicNetworkAccess = "Enabled";
      }),
      "blue",
      (s) => {
        properties(s).egressPublicNetworkAccess = "Enabled";
      },
    );
    expect(await run(name, publicEndpoint)).toEqual({ kind: "violations", messages: [] });
    const otherWorkspace = edit(compliantSpecs(), "blue", (s) => {
      properties(s).egressPublicNetworkAccess = "Enabled";
      s.props.workspaceName = "mlw-other";
    });
    expect(await run(name, otherWorkspace)).toEqual({ kind: "violations", messages: [] });
  });

  it("matches the endpoint by a name written by hand while the endpoint's name output is unknown", async () => {
    const specs = edit(compliantSpecs(), "blue", (s) => {
      s.props.endpointName = "ep-ml";
      properties(s).egressPublicNetworkAccess = "Enabled";
    });
    expect(await run(name, specs, "unknown")).toEqual({
      kind: "violations",
      messages: [expect.stringMatching(/^OnlineDeployment 'blue' runs under OnlineEndpoint 'ep'/)],
    });
  });

  it("cannot decide when egress is unknown, or the endpoint's public access is unknown", async () => {
    const egress = edit(compliantSpecs(), "blue", (s) => {
      properties(s).egressPublicNetworkAccess = UNKNOWN.string;
    });
    expect(await run(name, egress)).toEqual({ kind: "unknown" });
    const access = edit(compliantSpecs(), "ep", (s) => {
      properties(s).publicNetworkAccess = UNKNOWN.string;
    });
    expect(await run(name, access)).toEqual({ kind: "unknown" });
  });
});
