import { describe, expect, it } from "vitest";
import { mlopsServingPolicies } from "../../policies/rules/mlopsServing";
import { mlopsPolicies } from "../../policies/stack/mlops";
import { onlineEndpoint, withProp } from "./fixtures/ml";
import { MlRuleCases, describeMlRules, describeShippedStacks } from "./fixtures/mlCases";
import { batchEndpoint, jobSchedule, monitorSchedule } from "./fixtures/mlopsServing";
import {
  BASE,
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
  without,
} from "./fixtures/stackResources";
import { UNKNOWN } from "./support/harness";

/** The MLOps serving rules: batch endpoints and schedules (resource rules), and the stack rules of policies/stack/mlops.ts. */

const batch = batchEndpoint();
const monitor = monitorSchedule();
const job = jobSchedule();
const MONITOR_IDENTITY = "properties.action.monitorDefinition.computeConfiguration.computeIdentity";
const JOB_IDENTITY = "properties.action.jobDefinition.identity";
const EMAILS = "properties.action.monitorDefinition.alertNotificationSettings.emailNotificationSettings.emails";

const table: MlRuleCases[] = [
  {
    policy: "aml-batch-endpoint-token-auth",
    compliant: [
      { title: "AADToken", resource: batch },
      { title: "any case", resource: withProp(batch, "properties.authMode", "aadtoken") },
      {
        title: "absent (the CLI and SDK default and the only mode batch endpoints support: AADToken)",
        resource: withProp(batch, "properties.authMode", undefined),
      },
      {
        title: "an online endpoint is not checked",
        resource: withProp(onlineEndpoint(), "properties.authMode", "AMLToken"),
      },
    ],
    violations: [
      {
        title: "Key",
        resource: withProp(batch, "properties.authMode", "Key"),
        messages: [
          /^properties\.authMode is "Key": batch endpoints accept only Microsoft Entra tokens .* set it to "AADToken"\.$/,
        ],
      },
      {
        title: "AMLToken",
        resource: withProp(batch, "properties.authMode", "AMLToken"),
        messages: [/^properties\.authMode is "AMLToken": batch endpoints accept only Microsoft Entra tokens/],
      },
    ],
    unknown: [
      { title: "authMode unknown", resource: withProp(batch, "properties.authMode", UNKNOWN.string) },
      { title: "properties unknown", resource: withProp(batch, "properties", UNKNOWN.object) },
    ],
  },
  {
    policy: "aml-monitor-schedule-managed-identity",
    compliant: [
      { title: "ManagedIdentity with the workspace identity", resource: monitor },
      {
        title: "system-assigned identity",
        resource: withProp(monitor, `${MONITOR_IDENTITY}.identity`, { type: "SystemAssigned" }),
      },
      {
        title: "a job schedule is not a monitor",
        resource: withProp(job, MONITOR_IDENTITY, { computeIdentityType: "AmlToken" }),
      },
    ],
    violations: [
      {
        title: "AmlToken",
        resource: withProp(monitor, MONITOR_IDENTITY, { computeIdentityType: "AmlToken" }),
        messages: [
          /computeIdentityType is "AmlToken": the monitor reads data with the workspace's stored datastore credentials .* set it to "ManagedIdentity"/,
        ],
      },
      {
        title: "absent (required by the API)",
        resource: withProp(monitor, MONITOR_IDENTITY, undefined),
        messages: [/computeIdentityType is not set; set it to "ManagedIdentity"/],
      },
      {
        title: "ManagedIdentity without an identity",
        resource: withProp(monitor, `${MONITOR_IDENTITY}.identity`, undefined),
        messages: [/identity\.type is not set: the monitor has no managed identity to read the collected data with/],
      },
      {
        title: "UserAssigned without identities",
        resource: withProp(monitor, `${MONITOR_IDENTITY}.identity.userAssignedIdentities`, []),
        messages: [
          /identity\.type is "UserAssigned" but .*userAssignedIdentities is \[\]: list the identity's resource id/,
        ],
      },
    ],
    unknown: [
      {
        title: "identity type unknown",
        resource: withProp(monitor, `${MONITOR_IDENTITY}.computeIdentityType`, UNKNOWN.string),
      },
      { title: "action type unknown", resource: withProp(monitor, "properties.action.actionType", UNKNOWN.string) },
    ],
  },
  {
    policy: "aml-schedule-job-managed-identity",
    compliant: [
      { title: "Managed with the cluster identity's client id", resource: job },
      { title: "any case", resource: withProp(job, `${JOB_IDENTITY}.identityType`, "managed") },
      { title: "a monitor schedule has no job", resource: monitor },
    ],
    violations: [
      {
        title: "absent (API default AMLToken)",
        resource: withProp(job, JOB_IDENTITY, undefined),
        messages: [
          /identityType is not set \(the API defaults to AMLToken\): the job reads and writes data with the workspace's stored datastore credentials .* set it to "Managed"/,
        ],
      },
      {
        title: "AMLToken",
        resource: withProp(job, JOB_IDENTITY, { identityType: "AMLToken" }),
        messages: [/identityType is "AMLToken": the job reads and writes data/],
      },
      {
        title: "UserIdentity",
        resource: withProp(job, JOB_IDENTITY, { identityType: "UserIdentity" }),
        messages: [/identityType is "UserIdentity": every scheduled run acts with the schedule creator's permissions/],
      },
    ],
    unknown: [
      { title: "identity type unknown", resource: withProp(job, `${JOB_IDENTITY}.identityType`, UNKNOWN.string) },
    ],
  },
  {
    policy: "aml-monitor-schedule-notifications",
    compliant: [
      { title: "one address", resource: monitor },
      { title: "a job schedule notifies through its job", resource: job },
    ],
    violations: [
      {
        title: "absent (nobody notified)",
        resource: withProp(monitor, "properties.action.monitorDefinition.alertNotificationSettings", undefined),
        messages: [/emails is not set: drift and data quality alerts reach nobody/],
      },
      {
        title: "empty list",
        resource: withProp(monitor, EMAILS, []),
        messages: [/emails is \[\]: drift and data quality alerts reach nobody/],
      },
    ],
    unknown: [{ title: "emails unknown", resource: withProp(monitor, EMAILS, UNKNOWN.object) }],
  },
];

describeMlRules("MLOps serving", /^aml-(batch|monitor|schedule)-/, mlopsServingPolicies, table);
describeShippedStacks("MLOps serving", mlopsServingPolicies, { dev: [], prod: [] });

// ------------------------------------------------------------------------------ stack rules

const PROD = { environment: "prod" };
const run = (name: string, specs: Spec[], mode: Mode = "known", config: Record<string, unknown> = PROD) =>
  runOn(rule(name), render(specs, mode), config);
const onlyRules = async (specs: Spec[], mode: Mode = "known", config: Record<string, unknown> = PROD) =>
  Object.keys(await violationsOfAll(render(specs, mode), config));
const OK = { kind: "violations", messages: [] };

const setProp = (specs: Spec[], name: string, path: string, value: unknown): Spec[] =>
  edit(specs, name, (spec) => {
    const keys = path.split(".");
    let target = spec.props;
    for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
    if (value === undefined) Reflect.deleteProperty(target, keys[keys.length - 1]);
    else target[keys[keys.length - 1]] = value;
  });

const green: Spec = {
  name: "green",
  type: "azure-native:machinelearningservices:OnlineDeployment",
  props: {
    deploymentName: "green",
    endpointName: nameOf("ep"),
    workspaceName: nameOf("ws"),
    resourceGroupName: nameOf("rg"),
    properties: { endpointComputeType: "Managed", egressPublicNetworkAccess: "Disabled" },
  },
  id: `${BASE}/Microsoft.MachineLearningServices/workspaces/mlw-ml/onlineEndpoints/ep-ml/deployments/green`,
  azureName: "green",
};

const retraining = (jobDefinition: Record<string, unknown>): Spec => ({
  name: "retraining",
  type: "azure-native:machinelearningservices:Schedule",
  props: {
    name: "retraining",
    workspaceName: nameOf("ws"),
    resourceGroupName: nameOf("rg"),
    properties: {
      isEnabled: true,
      trigger: { triggerType: "Cron", expression: "0 2 * * 0" },
      action: {
        actionType: "CreateJob",
        jobDefinition: { jobType: "Command", command: "python train.py", ...jobDefinition },
      },
    },
  },
  id: `${BASE}/Microsoft.MachineLearningServices/workspaces/mlw-ml/schedules/retraining`,
  azureName: "retraining",
});

/** A batch endpoint and deployment; `compute: null` leaves the deployment on serverless compute. */
const batchSpecs = (compute: unknown = idOf("cpu")): Spec[] => [
  {
    name: "batch",
    type: "azure-native:machinelearningservices:BatchEndpoint",
    props: {
      endpointName: "batch-ml",
      workspaceName: nameOf("ws"),
      resourceGroupName: nameOf("rg"),
      properties: { authMode: "AADToken" },
    },
    id: `${BASE}/Microsoft.MachineLearningServices/workspaces/mlw-ml/batchEndpoints/batch-ml`,
    azureName: "batch-ml",
  },
  {
    name: "batch-score",
    type: "azure-native:machinelearningservices:BatchDeployment",
    props: {
      deploymentName: "score",
      endpointName: nameOf("batch"),
      workspaceName: nameOf("ws"),
      resourceGroupName: nameOf("rg"),
      properties: compute === null ? { outputAction: "AppendRow" } : { compute, outputAction: "AppendRow" },
    },
    id: `${BASE}/Microsoft.MachineLearningServices/workspaces/mlw-ml/batchEndpoints/batch-ml/deployments/score`,
    azureName: "score",
  },
];

describe("stack rules of the MLOps serving loop", () => {
  it("are in the pack, named stack-*, and documented", () => {
    expect(mlopsPolicies.map((p) => p.name)).toEqual([
      "stack-prod-online-deployments-monitored",
      "stack-monitored-deployment-data-collection",
      "stack-batch-endpoint-private",
      "stack-ml-jobs-compute-private",
    ]);
    for (const policy of mlopsPolicies) expect(rule(policy.name)).toBe(policy);
  });
});

describe("stack-prod-online-deployments-monitored", () => {
  const name = "stack-prod-online-deployments-monitored";

  it.each(MODES)("passes the compliant stack (its deployment has a monitor) in prod (%s)", async (mode) => {
    expect(await run(name, compliantSpecs(), mode)).toEqual(OK);
  });

  it("does not apply to dev stacks (the default environment)", async () => {
    expect(await run(name, without(compliantSpecs(), "monitor-blue"), "known", {})).toEqual({ kind: "notApplicable" });
  });

  it.each(MODES)("reports an unmonitored production deployment, and only this rule fires (%s)", async (mode) => {
    const specs = without(compliantSpecs(), "monitor-blue");
    expect(await run(name, specs, mode)).toEqual({
      kind: "violations",
      messages: [
        "OnlineDeployment 'blue' serves a production model but no Schedule with a CreateMonitor action targets it and no scheduled job (CreateJob) reads its collected model inputs: drift and data quality problems go unnoticed.",
      ],
    });
    expect(await onlyRules(specs, mode)).toEqual([name]);
  });

  it.each(MODES)("reports the one deployment a monitor does not target (%s)", async (mode) => {
    const outcome = await run(name, [...compliantSpecs(), green], mode);
    expect(outcome).toEqual({
      kind: "violations",
      messages: [expect.stringMatching(/^OnlineDeployment 'green' serves a production model but no Schedule/)],
    });
  });

  it("does not count a disabled monitor, and counts one whose isEnabled is absent (API default on)", async () => {
    expect(await run(name, setProp(compliantSpecs(), "monitor-blue", "properties.isEnabled", false))).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /^OnlineDeployment 'blue' serves a production model but its monitor Schedule 'monitor-blue' is disabled \(properties\.isEnabled false\)/,
        ),
      ],
    });
    expect(await run(name, setProp(compliantSpecs(), "monitor-blue", "properties.isEnabled", true))).toEqual(OK);
  });

  it("accepts a target given as azureml:<endpoint>:<deployment>", async () => {
    const specs = setProp(
      compliantSpecs(),
      "monitor-blue",
      "properties.action.monitorDefinition.monitoringTarget.deploymentId",
      "azureml:ep-ml:blue",
    );
    expect(await run(name, specs)).toEqual(OK);
    const other = setProp(
      compliantSpecs(),
      "monitor-blue",
      "properties.action.monitorDefinition.monitoringTarget.deploymentId",
      "azureml:ep-ml:green",
    );
    expect(await run(name, other)).toEqual({
      kind: "violations",
      messages: [
        "OnlineDeployment 'blue' serves a production model but no Schedule with a CreateMonitor action targets it and no scheduled job (CreateJob) reads its collected model inputs: drift and data quality problems go unnoticed.",
      ],
    });
  });

  /** The job engine: blue collects its inputs into a data asset that a scheduled drift job reads. */
  const COLLECTED = "properties.dataCollector.collections.model_inputs.dataId";
  const inputsAsset: Spec = {
    name: "blue-inputs",
    type: "azure-native:machinelearningservices:DataVersion",
    props: {
      name: "ep-ml-blue-model_inputs",
      version: "1",
      workspaceName: nameOf("ws"),
      resourceGroupName: nameOf("rg"),
      properties: { dataType: "uri_folder" },
    },
    id: `${BASE}/Microsoft.MachineLearningServices/workspaces/mlw-ml/data/ep-ml-blue-model_inputs/versions/1`,
    azureName: "1",
  };
  const driftJob = (uri: unknown): Spec => ({
    name: "drift-blue",
    type: "azure-native:machinelearningservices:Schedule",
    props: {
      name: "drift-blue",
      workspaceName: nameOf("ws"),
      resourceGroupName: nameOf("rg"),
      properties: {
        trigger: { triggerType: "Cron", expression: "0 4 * * *" },
        action: {
          actionType: "CreateJob",
          jobDefinition: {
            jobType: "Command",
            command: "python3 drift_monitor.py",
            computeId: idOf("cpu"),
            inputs: { model_inputs: { jobInputType: "uri_folder", uri } },
          },
        },
      },
    },
    id: `${BASE}/Microsoft.MachineLearningServices/workspaces/mlw-ml/schedules/drift-blue`,
    azureName: "drift-blue",
  });
  const jobMonitored = (uri: unknown = idOf("blue-inputs")): Spec[] => [
    ...setProp(without(compliantSpecs(), "monitor-blue"), "blue", COLLECTED, idOf("blue-inputs")),
    inputsAsset,
    driftJob(uri),
  ];

  it.each(MODES)(
    "counts a scheduled drift job that reads the data asset the deployment collects its inputs into (%s)",
    async (mode) => {
      expect(await run(name, jobMonitored(), mode)).toEqual(OK);
    },
  );

  it.each(MODES)(
    "does not count a scheduled job that reads other data, or a deployment that collects nothing (%s)",
    async (mode) => {
      const unwatched =
        /^OnlineDeployment 'blue' serves a production model but no Schedule with a CreateMonitor action targets it and no scheduled job \(CreateJob\) reads its collected model inputs/;
      const otherData = jobMonitored("azureml://datastores/workspaceblobstore/paths/churn/training/");
      expect(await run(name, otherData, mode)).toEqual({
        kind: "violations",
        messages: [expect.stringMatching(unwatched)],
      });
      const uncollected = setProp(jobMonitored(), "blue", "properties.dataCollector", undefined);
      expect(await run(name, uncollected, mode)).toEqual({
        kind: "violations",
        messages: [expect.stringMatching(unwatched)],
      });
    },
  );

  it("does not count a disabled drift job", async () => {
    expect(await run(name, setProp(jobMonitored(), "drift-blue", "properties.isEnabled", false))).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /^OnlineDeployment 'blue' serves a production model but its monitor Schedule 'drift-blue' is disabled/,
        ),
      ],
    });
  });

  it("cannot tell when a monitor's target is unknown and traced to no resource, or its isEnabled is unknown", async () => {
    const untracedTarget = setProp(
      compliantSpecs(),
      "monitor-blue",
      "properties.action.monitorDefinition.monitoringTarget.deploymentId",
      UNKNOWN.string,
    );
    expect(await run(name, untracedTarget)).toEqual({ kind: "unknown" });
    expect(await run(name, setProp(compliantSpecs(), "monitor-blue", "properties.isEnabled", UNKNOWN.boolean))).toEqual(
      { kind: "unknown" },
    );
  });
});

describe("stack-monitored-deployment-data-collection", () => {
  const name = "stack-monitored-deployment-data-collection";
  const COLLECTOR = "properties.dataCollector";

  it.each(MODES)(
    "passes the compliant stack: the monitored deployment collects inputs and outputs (%s)",
    async (mode) => {
      expect(await run(name, compliantSpecs(), mode)).toEqual(OK);
    },
  );

  it.each(MODES)(
    "reports a monitored deployment without a data collector (absent = Disabled), and only this rule fires (%s)",
    async (mode) => {
      const specs = setProp(compliantSpecs(), "blue", COLLECTOR, undefined);
      expect(await run(name, specs, mode, {})).toEqual({
        kind: "violations",
        messages: [
          "OnlineDeployment 'blue' is monitored by Schedule 'monitor-blue' but does not collect model_inputs and model_outputs (properties.dataCollector.collections: model_inputs not set, model_outputs not set): the monitor has no production data to read.",
        ],
      });
      expect(await onlyRules(specs, mode, {})).toEqual([name]);
    },
  );

  it("names the one collection that is off", async () => {
    const specs = setProp(
      compliantSpecs(),
      "blue",
      `${COLLECTOR}.collections.model_outputs.dataCollectionMode`,
      "Disabled",
    );
    expect(await run(name, specs)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /does not collect model_outputs \(properties\.dataCollector\.collections: model_outputs "Disabled"\)/,
        ),
      ],
    });
  });

  it("does not check deployments no monitor targets", async () => {
    expect(await run(name, setProp(without(compliantSpecs(), "monitor-blue"), "blue", COLLECTOR, undefined))).toEqual(
      OK,
    );
  });

  it("cannot tell when a collection mode is unknown", async () => {
    expect(
      await run(
        name,
        setProp(compliantSpecs(), "blue", `${COLLECTOR}.collections.model_inputs.dataCollectionMode`, UNKNOWN.string),
      ),
    ).toEqual({ kind: "unknown" });
  });
});

describe("stack-batch-endpoint-private", () => {
  const name = "stack-batch-endpoint-private";

  it.each(MODES)("passes a batch endpoint of the private workspace (%s)", async (mode) => {
    expect(await run(name, [...compliantSpecs(), ...batchSpecs()], mode)).toEqual(OK);
  });

  it.each(MODES)(
    "reports a batch endpoint of a workspace with public network access Enabled or absent (%s)",
    async (mode) => {
      for (const [value, shown] of [
        ["Enabled", '"Enabled"'],
        [undefined, "not set \\(Azure defaults to Enabled\\)"],
      ] as const) {
        const specs = setProp([...compliantSpecs(), ...batchSpecs()], "ws", "publicNetworkAccess", value);
        expect(await run(name, specs, mode)).toEqual({
          kind: "violations",
          messages: [
            expect.stringMatching(
              new RegExp(
                `^BatchEndpoint 'batch' belongs to Workspace 'ws' whose publicNetworkAccess is ${shown}: batch endpoints take the workspace's network setting`,
              ),
            ),
          ],
        });
      }
    },
  );

  it("does not judge a batch endpoint of a workspace outside the stack", async () => {
    const specs = setProp([...compliantSpecs(), ...batchSpecs()], "batch", "workspaceName", "mlw-shared");
    expect(await run(name, specs)).toEqual(OK);
  });

  it("cannot tell when the workspace name is unknown and traced to nothing, or its public access is unknown", async () => {
    expect(
      await run(name, setProp([...compliantSpecs(), ...batchSpecs()], "batch", "workspaceName", UNKNOWN.string)),
    ).toEqual({ kind: "unknown" });
    expect(
      await run(name, setProp([...compliantSpecs(), ...batchSpecs()], "ws", "publicNetworkAccess", UNKNOWN.string)),
    ).toEqual({ kind: "unknown" });
  });
});

describe("stack-ml-jobs-compute-private", () => {
  const name = "stack-ml-jobs-compute-private";
  const withJobs = () => [...compliantSpecs(), retraining({ computeId: idOf("cpu") }), ...batchSpecs()];

  it.each(MODES)(
    "passes jobs on a cluster without public IPs and monitors on serverless compute without public IPs (%s)",
    async (mode) => {
      expect(await run(name, withJobs(), mode)).toEqual(OK);
      expect(await run(name, [...compliantSpecs(), retraining({}), ...batchSpecs(null)], mode)).toEqual(OK);
    },
  );

  it.each(MODES)(
    "reports the scheduled job and the batch deployment on a cluster with public IPs (true or absent), and only this rule fires (%s)",
    async (mode) => {
      for (const [value, shown] of [
        [true, "true"],
        [undefined, "not set \\(Azure defaults to true\\)"],
      ] as const) {
        const specs = setProp(withJobs(), "cpu", "properties.properties.enableNodePublicIp", value);
        expect(await run(name, specs, mode)).toEqual({
          kind: "violations",
          messages: [
            expect.stringMatching(
              new RegExp(
                `^the job of Schedule 'retraining' runs on Compute 'cpu', whose properties\\.properties\\.enableNodePublicIp is ${shown}: its nodes can be reached from the internet`,
              ),
            ),
            expect.stringMatching(
              new RegExp(
                `^batch scoring of BatchDeployment 'batch-score' runs on Compute 'cpu', whose properties\\.properties\\.enableNodePublicIp is ${shown}`,
              ),
            ),
          ],
        });
        expect(await onlyRules(specs, mode, {})).toEqual([name]);
      }
    },
  );

  it("reports monitors, serverless jobs and serverless batch scoring when the workspace gives serverless nodes public IPs (absent = false)", async () => {
    const specs = setProp(
      [...compliantSpecs(), retraining({}), ...batchSpecs(null)],
      "ws",
      "serverlessComputeSettings",
      undefined,
    );
    const outcome = await run(name, specs);
    expect(outcome).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /^the monitoring job of Schedule 'monitor-blue' runs on serverless compute of Workspace 'ws', whose serverlessComputeSettings\.serverlessComputeNoPublicIP is not set/,
        ),
        expect.stringMatching(/^the job of Schedule 'retraining' runs on serverless compute of Workspace 'ws'/),
        expect.stringMatching(
          /^batch scoring of BatchDeployment 'batch-score' runs on serverless compute of Workspace 'ws'/,
        ),
      ],
    });
  });

  it("does not judge a cluster outside the stack", async () => {
    const outside = `${BASE}/Microsoft.MachineLearningServices/workspaces/mlw-shared/computes/shared-cpu`;
    expect(await run(name, [...compliantSpecs(), retraining({ computeId: outside })])).toEqual(OK);
  });

  it("cannot tell when the compute id is unknown and traced to nothing, or the cluster's public IP setting is unknown", async () => {
    expect(await run(name, [...compliantSpecs(), retraining({ computeId: UNKNOWN.string })])).toEqual({
      kind: "unknown",
    });
    expect(
      await run(name, setProp(withJobs(), "cpu", "properties.properties.enableNodePublicIp", UNKNOWN.boolean)),
    ).toEqual({ kind: "unknown" });
  });
});
