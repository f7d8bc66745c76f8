import { describe, expect, it } from "vitest";
import { DnsZoneKey, dnsZoneNames } from "secure-azureml-facts";
import { issuesOf, validConfig } from "../support/config";

/** monitoring.privateLinkScope and monitoring.privateLinkAccessMode: the Azure Monitor Private Link Scope option. */

const MINIMUM = { location: "westeurope", namePrefix: "amlmon" };
const HUB =
  "/subscriptions/3f2a6c1e-8b4d-4e9a-9c7f-2d1b0e5a6f80/resourceGroups/rg-dns-hub/providers/Microsoft.Network/privateDnsZones";
const HUB_ZONES = Object.fromEntries(
  (["amlApi", "amlNotebooks", "blob", "file", "vault", "registry"] as DnsZoneKey[]).map((key) => [
    key,
    `${HUB}/${dnsZoneNames("AzureCloud")[key]}`,
  ]),
);

describe("monitoring.privateLinkScope", () => {
  it("defaults to false with no access mode, and accepts true in the public cloud with the stack's own zones", () => {
    const defaults = validConfig(MINIMUM);
    expect(defaults.monitoring.privateLinkScope).toBe(false);
    expect(defaults.monitoring.privateLinkAccessMode).toBeUndefined();
    const on = validConfig({ ...MINIMUM, monitoring: { privateLinkScope: true } });
    expect(on.monitoring.privateLinkScope).toBe(true);
    const open = validConfig({ ...MINIMUM, monitoring: { privateLinkScope: true, privateLinkAccessMode: "Open" } });
    expect(open.monitoring.privateLinkAccessMode).toBe("Open");
  });

  it("accepts it with an adopted VNet and subnet (the endpoint goes in network.privateEndpointSubnetId)", () => {
    const vnet =
      "/subscriptions/3f2a6c1e-8b4d-4e9a-9c7f-2d1b0e5a6f80/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke";
    const config = validConfig({
      ...MINIMUM,
      network: { mode: "existing", virtualNetworkId: vnet, privateEndpointSubnetId: `${vnet}/subnets/snet-pe` },
      monitoring: { privateLinkScope: true },
    });
    expect(config.monitoring.privateLinkScope).toBe(true);
  });

  it.each([
    ["existing", { mode: "existing", zoneIds: HUB_ZONES }],
    ["azurePolicy", { mode: "azurePolicy" }],
  ])("is refused with privateDns mode %s, naming the key, the mode and the hub alternative", (mode, privateDns) => {
    const issues = issuesOf({ ...MINIMUM, privateDns, monitoring: { privateLinkScope: true } });
    expect(issues.map((i) => [i.key, i.value])).toEqual([["secure-azureml:monitoring.privateLinkScope", "true"]]);
    expect(issues[0].message).toContain(
      `is true with privateDns mode "${mode}": accepted only with privateDns mode "create"`,
    );
    expect(issues[0].message).toContain("Design Azure Monitor Private Link configuration");
    expect(issues[0].message).toContain(
      "add this stack's Log Analytics workspace and Application Insights component to the hub's scope",
    );
  });

  it("is refused in AzureChinaCloud, where Microsoft lists no Azure Monitor private DNS zones", () => {
    const issues = issuesOf({
      location: "chinanorth3",
      cloud: "AzureChinaCloud",
      namePrefix: "amlcn",
      monitoring: { privateLinkScope: true },
    });
    expect(issues.map((i) => i.key)).toEqual(["secure-azureml:monitoring.privateLinkScope"]);
    expect(issues[0].message).toBe(
      'is true in cloud AzureChinaCloud: Microsoft\'s "Azure Private Endpoint private DNS zone values" lists no Azure Monitor private DNS zones there; accepted in AzureCloud and AzureUSGovernment',
    );
  });

  it("is accepted in AzureUSGovernment", () => {
    const config = validConfig({
      location: "usgovvirginia",
      cloud: "AzureUSGovernment",
      namePrefix: "amlgov",
      monitoring: { privateLinkScope: true },
    });
    expect(config.monitoring.privateLinkScope).toBe(true);
  });

  it("rejects a non-boolean with the key", () => {
    expect(issuesOf({ ...MINIMUM, monitoring: { privateLinkScope: "yes" } }).map((i) => i.key)).toEqual([
      "secure-azureml:monitoring.privateLinkScope",
    ]);
  });
});

describe("monitoring.privateLinkAccessMode", () => {
  it("is ignored while the scope is off (it configures the scope only)", () => {
    const config = validConfig({ ...MINIMUM, monitoring: { privateLinkAccessMode: "Open" } });
    expect([config.monitoring.privateLinkScope, config.monitoring.privateLinkAccessMode]).toEqual([false, "Open"]);
  });

  it("accepts only PrivateOnly and Open", () => {
    const issues = issuesOf({ ...MINIMUM, monitoring: { privateLinkScope: true, privateLinkAccessMode: "Private" } });
    expect(issues.map((i) => i.key)).toEqual(["secure-azureml:monitoring.privateLinkAccessMode"]);
    expect(issues[0].message).toMatch(/PrivateOnly.*Open/);
  });
});
