import * as monitor from "@pulumi/azure-native/monitor";
import * as pulumi from "@pulumi/pulumi";
import { MAX_ACTION_GROUP_SHORT_NAME } from "./endpointMonitoring";

/** An e-mail receiver of the action group. */
export interface EmailReceiverArgs {
  /** Required. Receiver name, unique within the action group. */
  name: string;
  /** Required. The e-mail address notified. */
  email: string;
}

/** A webhook receiver of the action group. */
export interface WebhookReceiverArgs {
  /** Required. Receiver name, unique within the action group. */
  name: string;
  /** Required. The https:// URL called. */
  serviceUri: string;
}

/** Who the action group notifies. */
export interface AlertReceiversArgs {
  /** Required. E-mail receivers (may be empty). */
  emailReceivers: readonly EmailReceiverArgs[];
  /** Required. Webhook receivers, https only (may be empty). */
  webhookReceivers: readonly WebhookReceiverArgs[];
}

export interface AlertActionGroupArgs {
  /** Required. Resource group of the action group. */
  resourceGroupName: pulumi.Input<string>;
  /** Optional. Tags on the action group. Default: none. */
  tags?: Record<string, string>;
  /** Required. The stack's name prefix: the group is `ag-<prefix>-ml-endpoints`, short name `<prefix>-ml` (12 characters at most). */
  namePrefix: string;
  /**
   * Required. Who is notified: e-mail and webhook receivers (webhooks must be https). An empty
   * list still creates the group (with a warning) so receivers can be added later without
   * touching the alerts of any serving stack.
   */
  receivers: AlertReceiversArgs;
}

/**
 * The one action group every alert of the environment notifies: endpoint alerts and drift job
 * alerts of every serving stack. It belongs to the platform, so serving stacks need no rights to
 * create one and all of them reach the same receivers.
 */
export function createAlertActionGroup(
  name: string,
  args: AlertActionGroupArgs,
  opts: pulumi.CustomResourceOptions,
): monitor.ActionGroup {
  const { emailReceivers, webhookReceivers } = args.receivers;
  if (emailReceivers.length + webhookReceivers.length === 0) {
    void pulumi.log.warn(
      `${name}: no alert receivers configured (alerts.emailReceivers, alerts.webhookReceivers); alerts will notify nobody`,
    );
  }
  return new monitor.ActionGroup(
    name,
    {
      actionGroupName: `ag-${args.namePrefix}-ml-endpoints`,
      groupShortName: `${args.namePrefix}-ml`.slice(0, MAX_ACTION_GROUP_SHORT_NAME),
      resourceGroupName: args.resourceGroupName,
      location: "global",
      tags: args.tags,
      enabled: true,
      emailReceivers: emailReceivers.map((r) => ({ name: r.name, emailAddress: r.email, useCommonAlertSchema: true })),
      webhookReceivers: webhookReceivers.map((r) => ({
        name: r.name,
        serviceUri: r.serviceUri,
        useCommonAlertSchema: true,
      })),
    },
    opts,
  );
}
