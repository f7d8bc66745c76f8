import type * as ml from "@pulumi/azure-native/machinelearningservices";
import type { ModelDataCollection, MonitoredDeployment } from "../../components/modelDataCollection";

/**
 * The workspace the MLOps component tests build into, and the resources they share: training
 * clusters and the data collection of monitored deployments. Call the helpers inside `planWith`
 * (they import the SDK and components there, after the mocks are set).
 */

export const SUB_ID = "00000000-0000-0000-0000-000000000000";
export const SUB = `/subscriptions/${SUB_ID}`;
export const RG = "rg-mlops-test";
export const WORKSPACE = "mlw-mlops-ab12c";
export const WORKSPACE_ID = `${SUB}/resourceGroups/${RG}/providers/Microsoft.MachineLearningServices/workspaces/${WORKSPACE}`;

/** A private AmlCompute cluster of the test workspace, named `<key>-3fa91c`. */
export async function testCluster(key: string, vmSize: string): Promise<ml.Compute> {
  const sdk = await import("@pulumi/azure-native/machinelearningservices");
  return new sdk.Compute(key, {
    computeName: `${key}-3fa91c`,
    workspaceName: WORKSPACE,
    resourceGroupName: RG,
    properties: {
      computeType: "AmlCompute",
      disableLocalAuth: true,
      properties: { vmSize, enableNodePublicIp: false },
    },
  });
}

/** The data collection of the test workspace for these monitored deployments (none: nothing is created). */
export async function testDataCollection(
  deployments: Record<string, MonitoredDeployment> = {},
): Promise<ModelDataCollection> {
  const { ModelDataCollection } = await import("../../components/modelDataCollection");
  return new ModelDataCollection("mlops-data-collection", {
    resourceGroupName: RG,
    workspaceName: WORKSPACE,
    endpointIdentityClientId: "6e5d4c3b-2a19-4f8e-9d7c-6b5a4f3e2d1c",
    deployments,
  });
}
