import { describe, expect, it } from "vitest";
import { readinessPolicies } from "../../policies/stack/readiness";
import { stackPolicies } from "../../policies/stack";
import {
  READINESS_ROLE as ROLE,
  WORKSPACE_GUID,
  batchSpecs,
  containerGrant,
  endpointGrants,
  endpointIdentity,
  grant,
  managedNetwork,
  mlRegistry,
  modelVersion,
  trafficResource,
  workspaceAssetId,
} from "./fixtures/readiness";
import {
  BASE,
  MODES,
  Mode,
  Spec,
  compliantSpecs,
  edit,
  idOf,
  nameOf,
  principalOf,
  render,
  rule,
  runOn,
  violationsOfAll,
  without,
} from "./fixtures/stackResources";
import { UNKNOWN } from "./support/harness";

/** The deploy-readiness stack rules (policies/stack/readiness.ts), on the compliant stack of stackResources.ts and additions. */

const OK = { kind: "violations", messages: [] };
const UNKNOWN_OUTCOME = { kind: "unknown" };
const run = (name: string, specs: Spec[], mode: Mode = "known", config: Record<string, unknown> = {}) =>
  runOn(rule(name), render(specs, mode), config);
const onlyRules = async (specs: Spec[], mode: Mode = "known") =>
  Object.keys(await violationsOfAll(render(specs, mode)));

/** The message of a rule's "not checked" / "unknown during preview" outcome. */
async function unknownMessage(name: string, specs: Spec[], mode: Mode = "known"): Promise<string> {
  const policy = rule(name);
  let message = "";
  const wrapped = {
    ...policy,
    validateStack: async (
      args: Parameters<NonNullable<typeof policy.validateStack>>[0],
      report: Parameters<NonNullable<typeof policy.validateStack>>[1],
    ) => {
      try {
        await policy.validateStack(args, report);
      } catch (error) {
        message = (error as Error).message;
        throw error;
      }
    },
  };
  const outcome = await runOn(wrapped, render(specs, mode));
  expect(outcome).toEqual(UNKNOWN_OUTCOME);
  return message;
}

const setProp = (specs: Spec[], name: string, path: string, value: unknown): Spec[] =>
  edit(specs, name, (spec) => {
    const keys = path.split(".");
    let target = spec.props;
    for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
    if (value === undefined) Reflect.deleteProperty(target, keys[keys.length - 1]);
    else target[keys[keys.length - 1]] = value;
  });

describe("the deploy-readiness rules", () => {
  it("are registered in the pack, mandatory, and each description cites Microsoft's documentation", () => {
    expect(readinessPolicies.map((p) => p.name)).toEqual([
      "stack-traffic-names-existing-deployments",
      "stack-assets-exist-before-use",
      "stack-data-collection-container-matches-isolation",
      "stack-required-service-roles",
    ]);
    for (const policy of readinessPolicies) {
      expect(stackPolicies).toContain(policy);
      expect(policy.enforcementLevel).toBe("mandatory");
      expect(policy.description).toMatch(/Microsoft/);
    }
  });

  it.each(MODES)("pass the compliant stack (%s)", async (mode) => {
    for (const policy of readinessPolicies)
      expect(await run(policy.name, compliantSpecs(), mode), policy.name).toEqual(OK);
  });
});

describe("stack-traffic-names-existing-deployments", () => {
  const name = "stack-traffic-names-existing-deployments";

  it.each(MODES)(
    "passes traffic set by the traffic resource that depends on the deployment, directly or through another resource (%s)",
    async (mode) => {
      expect(await run(name, [...compliantSpecs(), trafficResource()], mode)).toEqual(OK);
      // monitor-blue depends on blue (its target id): a transitive dependency is enough.
      expect(await run(name, [...compliantSpecs(), trafficResource({}, ["monitor-blue"])], mode)).toEqual(OK);
    },
  );

  it.each(MODES)(
    "reports traffic and mirror traffic on the endpoint naming its own deployment, and only this rule fires (%s)",
    async (mode) => {
      const specs = setProp(
        setProp(compliantSpecs(), "ep", "properties.traffic", { blue: 100 }),
        "ep",
        "properties.mirrorTraffic",
        { blue: 10 },
      );
      expect(await run(name, specs, mode)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /^OnlineEndpoint 'ep' sets properties\.traffic naming deployment 'blue' \(OnlineDeployment 'blue'\), which depends on the endpoint and is created after it: .*you can't set this field during online endpoint creation/,
          ),
          expect.stringMatching(
            /^OnlineEndpoint 'ep' sets properties\.mirrorTraffic naming deployment 'blue' \(OnlineDeployment 'blue'\)/,
          ),
        ],
      });
      expect(await onlyRules(specs, mode)).toEqual([name]);
    },
  );

  it.each(MODES)("reports a batch endpoint created with its default deployment (%s)", async (mode) => {
    const specs = [...compliantSpecs(), ...batchSpecs({ authMode: "AADToken", defaults: { deploymentName: "score" } })];
    expect(await run(name, specs, mode)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /^BatchEndpoint 'batch' sets properties\.defaults\.deploymentName naming deployment 'score' \(BatchDeployment 'batch-score'\), which depends on the endpoint/,
        ),
      ],
    });
  });

  it.each(MODES)("reports the traffic resource when it does not depend on a deployment it names (%s)", async (mode) => {
    expect(await run(name, [...compliantSpecs(), trafficResource({}, [])], mode)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /^Resource 'ep-traffic' sets traffic naming deployment 'blue' \(OnlineDeployment 'blue'\) of OnlineEndpoint 'ep' but does not depend on it/,
        ),
      ],
    });
    const batchDefault = trafficResource(
      { endpointId: idOf("batch"), endpointKind: "batch", traffic: {}, defaultDeployment: "score" },
      [],
    );
    expect(await run(name, [...compliantSpecs(), ...batchSpecs(), batchDefault], mode)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /^Resource 'ep-traffic' sets defaultDeployment naming deployment 'score' \(BatchDeployment 'batch-score'\) of BatchEndpoint 'batch' but does not depend on it/,
        ),
      ],
    });
    expect(
      await run(name, [...compliantSpecs(), ...batchSpecs(), { ...batchDefault, dependsOn: ["batch-score"] }], mode),
    ).toEqual(OK);
  });

  it("does not check a deployment no resource of the stack creates (not managed by this stack)", async () => {
    const message = await unknownMessage(name, [...compliantSpecs(), trafficResource({ traffic: { green: 100 } })]);
    expect(message).toMatch(
      /^not checked: Resource 'ep-traffic' traffic names deployment 'green' of OnlineEndpoint 'ep', which no resource of this stack creates/,
    );
    const outside = `${BASE}/Microsoft.MachineLearningServices/workspaces/mlw-shared/onlineEndpoints/ep-shared`;
    expect(await unknownMessage(name, [...compliantSpecs(), trafficResource({ endpointId: outside })])).toMatch(
      /names deployment 'blue' of endpoint \/subscriptions\/.*\/ep-shared, which no resource of this stack creates/,
    );
  });

  it("cannot decide during preview when the endpoint id or the traffic map is unknown and traced to nothing", async () => {
    expect(await run(name, [...compliantSpecs(), trafficResource({ endpointId: UNKNOWN.string })], "unknown")).toEqual(
      UNKNOWN_OUTCOME,
    );
    expect(await run(name, [...compliantSpecs(), trafficResource({ traffic: UNKNOWN.object })])).toEqual(
      UNKNOWN_OUTCOME,
    );
    expect(await run(name, setProp(compliantSpecs(), "ep", "properties.traffic", UNKNOWN.object))).toEqual(
      UNKNOWN_OUTCOME,
    );
  });
});

describe("stack-assets-exist-before-use", () => {
  const name = "stack-assets-exist-before-use";
  const withModel = (model: unknown, extra: Spec[] = []) =>
    setProp([...compliantSpecs(), ...extra], "blue", "properties.model", model);

  it.each(MODES)(
    "passes a model version the stack creates and the deployment depends on, and references into workspaces outside the stack (%s)",
    async (mode) => {
      expect(await run(name, withModel(idOf("model-churn-1"), [modelVersion()]), mode)).toEqual(OK);
      expect(
        await run(
          name,
          withModel(`${BASE}/Microsoft.MachineLearningServices/workspaces/mlw-shared/models/churn/versions/1`),
          mode,
        ),
      ).toEqual(OK);
      expect(await run(name, withModel("azureml://registries/mlr-shared/models/churn/versions/1"), mode)).toEqual(OK);
    },
  );

  it.each(MODES)(
    "reports a model version in the stack's new workspace that nothing creates, and only this rule fires (%s)",
    async (mode) => {
      const specs = withModel(workspaceAssetId("models", "churn", "1"));
      expect(await run(name, specs, mode)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /^OnlineDeployment 'blue' properties\.model references model churn:1 \(\/subscriptions\/.*\/workspaces\/mlw-ml\/models\/churn\/versions\/1\) in Workspace 'ws', which this stack creates, and no resource of the stack creates that version before it: on a first deploy the workspace is new and empty/,
          ),
        ],
      });
      expect(await onlyRules(specs, mode)).toEqual([name]);
    },
  );

  it("reports a created version the deployment does not depend on (both created in parallel)", async () => {
    expect(await run(name, withModel(workspaceAssetId("models", "churn", "1"), [modelVersion()]))).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /^OnlineDeployment 'blue' properties\.model references model churn:1 .*, which ModelVersion 'model-churn-1' creates, but does not depend on it/,
        ),
      ],
    });
  });

  it.each(MODES)(
    "reports registry models of a registry the stack creates, short workspace ids, batch models and scheduled job assets (%s)",
    async (mode) => {
      const registryModel = "azureml://registries/mlr-ml/models/churn/versions/1";
      expect(await run(name, withModel(registryModel, [mlRegistry()]), mode)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /^OnlineDeployment 'blue' properties\.model references model churn:1 \(azureml:\/\/registries\/mlr-ml\/.*\) in Registry 'mlr', which this stack creates.*the registry is new and empty/,
          ),
        ],
      });
      expect(await run(name, withModel("azureml:churn:1"), mode)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /^OnlineDeployment 'blue' properties\.model references model churn:1 \(azureml:churn:1\) in Workspace 'ws'/,
          ),
        ],
      });
      const batch = batchSpecs(undefined, {
        model: { referenceType: "Id", assetId: registryModel },
        environmentId: workspaceAssetId("environments", "churn-batch", "3"),
      });
      expect(await run(name, [...compliantSpecs(), mlRegistry(), ...batch], mode)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /^BatchDeployment 'batch-score' properties\.model\.assetId references model churn:1 .* in Registry 'mlr'/,
          ),
          expect.stringMatching(
            /^BatchDeployment 'batch-score' properties\.environmentId references environment churn-batch:3 .* in Workspace 'ws'/,
          ),
        ],
      });
      const retraining: Spec = {
        name: "retraining",
        type: "azure-native:machinelearningservices:Schedule",
        props: {
          name: "retraining",
          workspaceName: nameOf("ws"),
          resourceGroupName: nameOf("rg"),
          properties: {
            trigger: { triggerType: "Cron", expression: "0 2 * * 0" },
            action: {
              actionType: "CreateJob",
              jobDefinition: {
                jobType: "Command",
                command: "python train.py",
                environmentId: workspaceAssetId("environments", "churn-train", "1"),
                codeId: workspaceAssetId("codes", "churn-train-src", "1"),
                inputs: {
                  training: { jobInputType: "uri_folder", uri: "azureml://datastores/workspaceblobstore/paths/churn" },
                  reference: { jobInputType: "uri_file", uri: "azureml:churn-reference:2" },
                },
              },
            },
          },
        },
      };
      expect(await run(name, [...compliantSpecs(), retraining], mode)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /^Schedule 'retraining' properties\.action\.jobDefinition\.environmentId references environment churn-train:1 /,
          ),
          expect.stringMatching(
            /^Schedule 'retraining' properties\.action\.jobDefinition\.codeId references code churn-train-src:1 /,
          ),
          expect.stringMatching(
            /^Schedule 'retraining' properties\.action\.jobDefinition\.inputs\.reference\.uri references data churn-reference:2 \(azureml:churn-reference:2\) in Workspace 'ws'/,
          ),
        ],
      });
    },
  );

  it("does not judge a workspace of another stack (an earlier layer has created its assets)", async () => {
    const fixture = render(withModel(workspaceAssetId("models", "churn", "1")), "known");
    const resources = fixture.resources.map((r) =>
      r.type === "azure-native:machinelearningservices:Workspace"
        ? { ...r, urn: r.urn?.replace("::secure-azureml::", "::secure-azureml-platform::") }
        : r,
    );
    expect(await runOn(rule(name), { ...fixture, resources })).toEqual(OK);
  });

  it("cannot decide during preview when a reference is unknown and traced to nothing", async () => {
    expect(await run(name, withModel(UNKNOWN.string), "unknown")).toEqual(UNKNOWN_OUTCOME);
  });
});

describe("stack-data-collection-container-matches-isolation", () => {
  const name = "stack-data-collection-container-matches-isolation";
  const stack = (isolation: boolean | undefined, container: string) =>
    setProp(
      setProp(
        [...compliantSpecs(), endpointIdentity(), containerGrant(container)],
        "ws",
        "enableDataIsolation",
        isolation,
      ),
      "ws",
      "workspaceId",
      WORKSPACE_GUID,
    );

  it("passes the container name each setting gives the workspace, and containers of accounts outside the stack", async () => {
    expect(await run(name, stack(true, `${WORKSPACE_GUID}-azureml-blobstore`))).toEqual(OK);
    expect(await run(name, stack(false, `azureml-blobstore-${WORKSPACE_GUID}`))).toEqual(OK);
    expect(await run(name, stack(undefined, `azureml-blobstore-${WORKSPACE_GUID}`))).toEqual(OK);
    const elsewhere = edit(stack(true, "x"), "ra-endpoints-data-collection", (s) => {
      s.props.scope = `${BASE}/Microsoft.Storage/storageAccounts/stother/blobServices/default/containers/azureml-blobstore-${WORKSPACE_GUID}`;
    });
    expect(await run(name, elsewhere)).toEqual(OK);
  });

  it("reports azureml-blobstore-<guid> on a workspace with data isolation, and <guid>-azureml-blobstore without it, and only this rule fires", async () => {
    const isolated = stack(true, `azureml-blobstore-${WORKSPACE_GUID}`);
    expect(await run(name, isolated)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          new RegExp(
            `^RoleAssignment 'ra-endpoints-data-collection' is scoped to container 'azureml-blobstore-${WORKSPACE_GUID}' of the storage account of Workspace 'ws', whose enableDataIsolation is true: with data isolation the workspace's blob container is named '${WORKSPACE_GUID}-azureml-blobstore'`,
          ),
        ),
      ],
    });
    expect(await onlyRules(isolated)).toEqual([name]);
    expect(await run(name, stack(undefined, `${WORKSPACE_GUID}-azureml-blobstore`))).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          new RegExp(
            `whose enableDataIsolation is not set: without data isolation the workspace's blob container is named 'azureml-blobstore-${WORKSPACE_GUID}'`,
          ),
        ),
      ],
    });
  });

  it("cannot decide during preview when the container scope is built from the unknown workspace GUID, or the setting is unknown", async () => {
    const preview = edit(
      [...compliantSpecs(), endpointIdentity(), containerGrant("x")],
      "ra-endpoints-data-collection",
      (s) => {
        s.props.scope = UNKNOWN.string;
        s.dependsOn = ["ws", "storage"];
      },
    );
    for (const mode of ["unknown", "dependenciesOnly"] as const)
      expect(await run(name, preview, mode)).toEqual(UNKNOWN_OUTCOME);
    expect(
      await run(name, stack(UNKNOWN.boolean as unknown as boolean, `${WORKSPACE_GUID}-azureml-blobstore`)),
    ).toEqual(UNKNOWN_OUTCOME);
  });
});

describe("stack-required-service-roles", () => {
  const name = "stack-required-service-roles";
  const approverOnGroup = grant("workspace-approver", principalOf("id-workspace"), ROLE.approver, idOf("rg"));
  const withNetwork = (rules: Parameters<typeof managedNetwork>[0], extra: Spec[] = [approverOnGroup]) =>
    setProp([...compliantSpecs(), ...extra], "ws", "managedNetwork", managedNetwork(rules));
  const withEndpointIdentity = (grants: Spec[] = endpointGrants()) =>
    setProp([...compliantSpecs(), endpointIdentity(), ...grants], "ep", "identity", {
      type: "UserAssigned",
      userAssignedIdentities: [idOf("id-endpoint")],
    });

  it.each(MODES)(
    "reports a workspace identity without Contributor on the workspace, and only this rule fires; accepts the resource group (%s)",
    async (mode) => {
      const specs = without(compliantSpecs(), "ra-workspace-self");
      expect(await run(name, specs, mode)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /^the user-assigned identity UserAssignedIdentity 'id-workspace' of Workspace 'ws' holds no Contributor \(b24988ac-6180-42a0-ab88-20f7382dd24c\) or Owner \(8e3af657-.*\) on Workspace 'ws' \(or a scope that contains it\): .*how-to-identity-based-service-authentication/,
          ),
        ],
      });
      expect(await onlyRules(specs, mode)).toEqual([name]);
      const onGroup = edit(compliantSpecs(), "ra-workspace-self", (s) => {
        s.props.scope = idOf("rg");
      });
      expect(await run(name, onGroup, mode)).toEqual(OK);
    },
  );

  it.each(MODES)(
    "requires the network connection approver at resource group scope for a managed network (%s)",
    async (mode) => {
      expect(await run(name, withNetwork({}), mode)).toEqual(OK);
      expect(await run(name, withNetwork({}, []), mode)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /holds no Azure AI Enterprise Network Connection Approver \(b556d68e-0be0-4f35-a333-ad7ee1ce17ea\) .* on the resource group of Workspace 'ws' \(or a broader scope\): .*how-to-managed-network/,
          ),
        ],
      });
      const onWorkspaceOnly = [grant("workspace-approver", principalOf("id-workspace"), ROLE.approver, idOf("ws"))];
      expect(await run(name, withNetwork({}, onWorkspaceOnly), mode)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /holds no Azure AI Enterprise Network Connection Approver .* on the resource group of Workspace 'ws'/,
          ),
        ],
      });
    },
  );

  it("finds the approver on a resource group the workspace names by a literal resourceGroupName, while the group's id is unknown (preview)", async () => {
    // The workspace names its group as a plain string; the role assignment's scope is the group's id, unknown in the
    // first preview: the group is matched by its resourceGroupName input (its `name` output is unknown too).
    const literalGroup = setProp(withNetwork({}), "ws", "resourceGroupName", "rg-ml");
    expect(await run(name, literalGroup, "unknown")).toEqual(OK);
    expect(await run(name, literalGroup, "known")).toEqual(OK);
  });

  it.each(MODES)(
    "requires a role that approves registry private endpoints for an amlregistry outbound rule: not the approver, not Azure AI Administrator (%s)",
    async (mode) => {
      const registryRule = { "pe-ml-registry": { target: idOf("mlr"), sub: "amlregistry" } };
      const aiAdmin = grant("workspace-registry", principalOf("id-workspace"), ROLE.aiAdministrator, idOf("mlr"));
      expect(await run(name, withNetwork(registryRule, [approverOnGroup, mlRegistry(), aiAdmin]), mode)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /^the user-assigned identity UserAssignedIdentity 'id-workspace' of Workspace 'ws' holds no Contributor .* or Owner .* on Registry 'mlr' \(or a scope that contains it\): outbound rule 'pe-ml-registry' is a private endpoint to an ML registry \(amlregistry\), .*registries\/privateEndpointConnectionsApproval\/action/,
          ),
        ],
      });
      const contributor = grant("workspace-registry", principalOf("id-workspace"), ROLE.contributor, idOf("mlr"));
      expect(await run(name, withNetwork(registryRule, [approverOnGroup, mlRegistry(), contributor]), mode)).toEqual(
        OK,
      );
      const custom = "2f1c3b4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
      const customGrant = grant("workspace-registry", principalOf("id-workspace"), custom, idOf("mlr"));
      expect(
        await runOn(rule(name), render(withNetwork(registryRule, [approverOnGroup, mlRegistry(), customGrant]), mode), {
          registryApprovalRoleIds: [custom],
        }),
      ).toEqual(OK);
    },
  );

  it("does not check a registry outside the stack", async () => {
    const outside = `${BASE}/Microsoft.MachineLearningServices/registries/mlr-shared`;
    expect(
      await unknownMessage(name, withNetwork({ "pe-ml-registry": { target: outside, sub: "amlregistry" } })),
    ).toMatch(
      /^not checked: the user-assigned identity UserAssignedIdentity 'id-workspace' of Workspace 'ws' needs Contributor .* on \/subscriptions\/.*\/mlr-shared, which is not in this stack: the role is granted outside this stack/,
    );
  });

  it.each(MODES)(
    "requires AcrPull, Storage Blob Data Reader and AzureML Metrics Writer for an online endpoint's user-assigned identity (%s)",
    async (mode) => {
      expect(await run(name, withEndpointIdentity(), mode)).toEqual(OK);
      const [acr, , metrics] = endpointGrants();
      expect(await run(name, withEndpointIdentity([acr, metrics]), mode)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /^the user-assigned identity UserAssignedIdentity 'id-endpoint' of OnlineEndpoint 'ep' holds no Storage Blob Data Reader \(2a2b9908-6ea1-4ae2-8e65-a410df84e7d1\) or Storage Blob Data Contributor .* on StorageAccount 'storage'/,
          ),
        ],
      });
      expect(await run(name, withEndpointIdentity([acr]), mode)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(/holds no Storage Blob Data Reader/),
          expect.stringMatching(
            /holds no AzureML Metrics Writer \(635dd51f-9968-44d3-b7fb-6d9a6bd613ae\) .* on Workspace 'ws'/,
          ),
        ],
      });
    },
  );

  it("does not check an endpoint identity that lives in another stack", async () => {
    const specs = setProp(compliantSpecs(), "ep", "identity", {
      type: "UserAssigned",
      userAssignedIdentities: [`${BASE}/Microsoft.ManagedIdentity/userAssignedIdentities/id-platform-endpoints`],
    });
    expect(await unknownMessage(name, specs)).toMatch(
      /^not checked: OnlineEndpoint 'ep' uses identity .*id-platform-endpoints, which is not in this stack: the role is granted outside this stack/,
    );
  });

  it.each(MODES)(
    "requires queue and table data roles for the cluster identity of a batch deployment, and queue and table private endpoints in a managed network (%s)",
    async (mode) => {
      expect(await run(name, [...compliantSpecs(), ...batchSpecs()], mode)).toEqual(OK);
      expect(await run(name, without([...compliantSpecs(), ...batchSpecs()], "ra-compute-queue"), mode)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /^the identity of Compute 'cpu', which runs BatchDeployment 'batch-score' holds no Storage Queue Data Contributor \(974c5e8b-45b9-4653-ba55-5f855dd0fb88\) on StorageAccount 'storage'/,
          ),
        ],
      });
      expect(
        await run(
          name,
          withNetwork({ "pe-storage-queue": { target: idOf("storage"), sub: "queue" } }, [
            approverOnGroup,
            ...batchSpecs(),
          ]),
          mode,
        ),
      ).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /^Workspace 'ws' runs batch deployments \(BatchDeployment 'batch-score'\) in a managed network without PrivateEndpoint outbound rules to table of its storage account StorageAccount 'storage'/,
          ),
        ],
      });
      const both = {
        "pe-storage-queue": { target: idOf("storage"), sub: "queue" },
        "pe-storage-table": { target: idOf("storage"), sub: "table" },
      };
      expect(await run(name, withNetwork(both, [approverOnGroup, ...batchSpecs()]), mode)).toEqual(OK);
    },
  );

  it("cannot decide during preview when a matching assignment's role is unknown", async () => {
    const specs = edit(compliantSpecs(), "ra-workspace-self", (s) => {
      s.props.roleDefinitionId = UNKNOWN.string;
    });
    expect(await run(name, specs)).toEqual(UNKNOWN_OUTCOME);
  });
});
