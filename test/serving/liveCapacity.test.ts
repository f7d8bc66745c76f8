import { describe, expect, it } from "vitest";
import { liveCapacity } from "../../serving/liveCapacity";

/** Deploy-audit M5: an autoscaled deployment is sent the count autoscale chose; a failed read never silently resets it. */
const platform = {
  resourceGroupName: "rg-amlprod",
  workspace: { name: "mlw-amlprod-ab12c", id: "", guid: "" },
  nameSuffix: "ab12c",
};
const deployment = (autoscale: boolean) => ({
  instanceType: "Standard_E4s_v3",
  instanceCount: 3,
  ...(autoscale ? { autoscale: { minInstances: 3, maxInstances: 10 } } : {}),
});
const config = {
  endpoints: { churn: { deployments: { blue: deployment(true), green: deployment(false) } } },
} as unknown as Parameters<typeof liveCapacity>[0];

describe("liveCapacity", () => {
  it("reads only autoscaled deployments, by their Azure endpoint name, and returns what Azure reports", async () => {
    const reads: string[] = [];
    const counts = await liveCapacity(config, platform, (at) => {
      reads.push(`${at.resourceGroupName}/${at.workspaceName}/${at.endpointName}/${at.deploymentName}`);
      return Promise.resolve(7);
    });
    expect(reads).toEqual(["rg-amlprod/mlw-amlprod-ab12c/churn-ab12c/blue"]);
    expect(counts).toEqual({ "churn/blue": 7 });
  });

  it("leaves a deployment that does not exist yet (404) to its configured count", async () => {
    const counts = await liveCapacity(config, platform, () =>
      Promise.reject(new Error("ResourceNotFound: deployment blue was not found (404)")),
    );
    expect(counts).toEqual({});
  });

  it("stops with the deployment named when Azure cannot answer, instead of resetting autoscale's count", async () => {
    await expect(
      liveCapacity(config, platform, () => Promise.reject(new Error("AuthorizationFailed (403)"))),
    ).rejects.toThrow(
      "could not read the instance count of deployment churn/blue (online endpoint churn-ab12c), which autoscale owns: AuthorizationFailed (403)",
    );
  });
});
