import { describe, expect, it } from "vitest";
import { generalPolicies } from "../../policies/rules/general";
import { UNKNOWN, runResourcePolicy } from "./support/harness";

const [locationAllowed] = generalPolicies;
const vault = (location: unknown) => ({ type: "azure-native:keyvault:Vault", props: { location, vaultName: "kv" } });
const approved = { allowedLocations: ["westeurope", "northeurope"] };

describe("azure-location-allowed", () => {
  it("passes a resource in an approved region, in any spelling, and global resources", async () => {
    expect(await runResourcePolicy(locationAllowed, vault("westeurope"), approved)).toEqual({
      kind: "violations",
      messages: [],
    });
    expect(await runResourcePolicy(locationAllowed, vault("West Europe"), approved)).toEqual({
      kind: "violations",
      messages: [],
    });
    expect(await runResourcePolicy(locationAllowed, vault("global"), approved)).toEqual({
      kind: "violations",
      messages: [],
    });
  });

  it("flags a resource outside the approved regions", async () => {
    const outcome = await runResourcePolicy(locationAllowed, vault("eastus"), approved);
    expect(outcome).toEqual({
      kind: "violations",
      messages: [
        'location is "eastus", which is not an approved region (westeurope, northeurope); deploy to an approved region.',
      ],
    });
  });

  it("checks nothing with the default empty allow-list, or for non-Azure resources", async () => {
    expect(await runResourcePolicy(locationAllowed, vault("eastus"))).toEqual({ kind: "violations", messages: [] });
    expect(
      await runResourcePolicy(
        locationAllowed,
        { type: "random:index/randomString:RandomString", props: { location: "eastus" } },
        approved,
      ),
    ).toEqual({ kind: "violations", messages: [] });
  });

  it("does not guess when the location is unknown during preview", async () => {
    expect(await runResourcePolicy(locationAllowed, vault(UNKNOWN.string), approved)).toEqual({ kind: "unknown" });
  });
});
