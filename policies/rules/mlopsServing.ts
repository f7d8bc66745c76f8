import { ResourceValidationArgs } from "@pulumi/policy";
import { ADVISORY, BaselineResourcePolicy, MANDATORY } from "../support/baseline";
import { TYPES, forType, propertiesAt, shown } from "../support/ml";
import { managedIdentityProblem, sameText } from "../support/props";

/**
 * Rules for the MLOps serving loop: Azure ML batch endpoints (`azure-native:machinelearningservices:BatchEndpoint`,
 * settings under `properties`) and schedules (`...:Schedule`, settings under `properties`, the
 * action at `properties.action`: `CreateMonitor` with `monitorDefinition`, or `CreateJob` with
 * `jobDefinition`). Network and "monitored in production" checks relate several resources and
 * live in policies/stack/mlops.ts.
 */

const BATCH_ENDPOINT = TYPES.batchEndpoint;
const SCHEDULE = TYPES.schedule;

/** Runs `check` on schedules whose action type is `actionType` (any case). */
function forScheduleAction(
  actionType: string,
  check: (args: ResourceValidationArgs, report: (message: string) => void) => void,
) {
  return forType(SCHEDULE, (args, report) => {
    if (sameText(propertiesAt(args, "action.actionType"), actionType)) check(args, report);
  });
}

const MONITOR_IDENTITY = "action.monitorDefinition.computeConfiguration.computeIdentity";
const JOB_IDENTITY = "action.jobDefinition.identity";

export const mlopsServingPolicies: BaselineResourcePolicy[] = [
  {
    name: "aml-batch-endpoint-token-auth",
    description:
      "Azure ML batch endpoints must authenticate callers with Microsoft Entra tokens (properties.authMode AADToken); an absent authMode is accepted because AADToken is the Azure ML CLI and SDK default and the only mode batch endpoints support.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      'Set `properties.authMode: "AADToken"` on the azure-native:machinelearningservices:BatchEndpoint and give callers a role with the batch endpoint jobs write action (e.g. AzureML Data Scientist) on the workspace.',
    validateResource: forType(BATCH_ENDPOINT, (args, report) => {
      const value = propertiesAt(args, "authMode");
      if (value === undefined || sameText(value, "AADToken")) return;
      report(
        `properties.authMode is ${shown(value)}: batch endpoints accept only Microsoft Entra tokens (keys and AML tokens are not tied to the caller's identity); set it to "AADToken".`,
      );
    }),
  },
  {
    name: "aml-monitor-schedule-managed-identity",
    description:
      "Azure ML model monitoring schedules must run their Spark jobs as a managed identity (properties.action.monitorDefinition.computeConfiguration.computeIdentity.computeIdentityType ManagedIdentity, with a user-assigned or system-assigned identity); AmlToken (datastore credentials) or an absent identity is a violation.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      'Set `computeIdentity: { computeIdentityType: "ManagedIdentity", identity: { type: "UserAssigned", userAssignedIdentities: [<workspace identity id>] } }` under properties.action.monitorDefinition.computeConfiguration of the azure-native:machinelearningservices:Schedule; that identity needs read access to the collected data (Storage Blob Data Reader or Contributor).',
    validateResource: forScheduleAction("CreateMonitor", (args, report) => {
      const type = propertiesAt(args, `${MONITOR_IDENTITY}.computeIdentityType`);
      if (!sameText(type, "ManagedIdentity")) {
        const why = sameText(type, "AmlToken")
          ? ": the monitor reads data with the workspace's stored datastore credentials instead of an identity scoped by RBAC"
          : "";
        report(
          `${MONITOR_IDENTITY}.computeIdentityType is ${shown(type)}${why}; set it to "ManagedIdentity" with an identity that holds data access.`,
        );
        return;
      }
      const problem = managedIdentityProblem(
        propertiesAt(args, `${MONITOR_IDENTITY}.identity`),
        `${MONITOR_IDENTITY}.identity`,
        'the monitor has no managed identity to read the collected data with; set it to "UserAssigned" with the workspace identity.',
      );
      if (problem) report(problem);
    }),
  },
  {
    name: "aml-schedule-job-managed-identity",
    description:
      "Jobs submitted by Azure ML schedules (properties.action.jobDefinition of a CreateJob schedule) must run as the compute's managed identity (identity.identityType Managed); an absent identity is treated as AMLToken, the API default, and UserIdentity runs every scheduled job as the schedule's creator.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      'Set `identity: { identityType: "Managed", clientId: <client id of the cluster\'s user-assigned identity> }` in properties.action.jobDefinition of the azure-native:machinelearningservices:Schedule, and grant that identity the data roles the job needs.',
    validateResource: forScheduleAction("CreateJob", (args, report) => {
      const type = propertiesAt(args, `${JOB_IDENTITY}.identityType`);
      if (sameText(type, "Managed")) return;
      const why = sameText(type, "UserIdentity")
        ? ": every scheduled run acts with the schedule creator's permissions"
        : ": the job reads and writes data with the workspace's stored datastore credentials (AMLToken), not with an identity scoped by RBAC";
      report(
        `${JOB_IDENTITY}.identityType is ${type === undefined ? "not set (the API defaults to AMLToken)" : shown(type)}${why}; set it to "Managed".`,
      );
    }),
  },
  {
    name: "aml-monitor-schedule-notifications",
    description:
      "Azure ML model monitoring schedules should e-mail someone when a threshold is crossed (properties.action.monitorDefinition.alertNotificationSettings.emailNotificationSettings.emails not empty); absent settings mean nobody is told about drift. Advisory: who is told is an operational choice (alerts may go through Azure Monitor instead); a stack's policy config can raise it.",
    enforcementLevel: ADVISORY,
    severity: "low",
    remediationSteps:
      'Set `alertNotificationSettings: { emailNotificationSettings: { emails: [<team address>] } }` under properties.action.monitorDefinition of the azure-native:machinelearningservices:Schedule (at most 499 characters in all), and `notificationTypes: ["AmlNotification"]` on its signals.',
    validateResource: forScheduleAction("CreateMonitor", (args, report) => {
      const emails = propertiesAt(
        args,
        "action.monitorDefinition.alertNotificationSettings.emailNotificationSettings.emails",
      );
      if (Array.isArray(emails) && emails.length > 0) return;
      report(
        `properties.action.monitorDefinition.alertNotificationSettings.emailNotificationSettings.emails is ${shown(emails)}: drift and data quality alerts reach nobody; list the team's address.`,
      );
    }),
  },
];
