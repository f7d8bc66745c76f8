import * as pulumi from "@pulumi/pulumi";
import { endpointTrafficProvider } from "./endpointTrafficProvider";
import {
  ENDPOINT_TRAFFIC_RESOURCE_KIND,
  EndpointKind,
  ML_ENDPOINT_API_VERSION,
  PUBLIC_ARM_ENDPOINT,
  TrafficSplit,
  endpointIdErrors,
  trafficRequestErrors,
} from "./endpointTrafficSpec";

/**
 * The traffic of an online endpoint (live and mirrored) or the default deployment of a batch
 * endpoint, applied AFTER the deployments exist.
 *
 * Azure accepts an allocation only for deployments that already exist, and every deployment
 * depends on its endpoint, so the endpoint itself cannot carry it at creation (deploy-audit B1,
 * B6). This resource sets it on the existing endpoint (GET + PUT of the whole endpoint with
 * api-version 2025-12-01) once its deployments are up: pass `dependsOn` with the deployments.
 * On delete it sets online traffic and mirror traffic to `{}`, so the deployments (deleted after
 * it, since it depends on them) are free to go.
 *
 * Give the endpoint itself no traffic (leave `properties.traffic`/`mirrorTraffic` unset, and
 * `ignoreChanges` them so a refresh does not fight this resource), and pass `revision` = a hash
 * of the endpoint's inputs: an endpoint update PUTs the endpoint and may reset its traffic, and a
 * new revision re-applies it.
 *
 * The registered type is `pulumi-nodejs:dynamic:Resource` (every dynamic resource has it); the
 * input `resourceKind` = `secure-azureml:EndpointTraffic` identifies this one.
 */
export interface EndpointTrafficArgs {
  /** Required. ARM id of the online or batch endpoint (e.g. `endpoint.id`); a new id replaces this resource. */
  endpointId: pulumi.Input<string>;
  /** Required. "online" (traffic, mirrorTraffic) or "batch" (defaultDeployment); a change replaces this resource. */
  endpointKind: EndpointKind;
  /**
   * Conditional (online). Deployment name -> integer percentage 0-100, summing to 100, or `{}`
   * (default) / all zeros for no traffic. Names only deployments this resource `dependsOn`.
   */
  traffic?: Record<string, number>;
  /**
   * Optional (online). Deployment name -> percentage of live traffic to copy to it, integer 0-50,
   * at most one deployment, summing to at most 50; that deployment must have no live traffic.
   * Default `{}` (no mirroring).
   */
  mirrorTraffic?: Record<string, number>;
  /** Conditional (batch, required there). Name of the existing deployment that batch invocations use by default. */
  defaultDeployment?: string;
  /** Optional. Microsoft.MachineLearningServices API version; default "2025-12-01" (the one azure-native 3.28 uses). */
  apiVersion?: string;
  /**
   * Optional. ARM base URL of the endpoint's cloud; default https://management.azure.com.
   * AzureUSGovernment: https://management.usgovcloudapi.net; AzureChinaCloud: https://management.chinacloudapi.cn.
   */
  armEndpoint?: string;
  /** Optional. Opaque string (e.g. a hash of the endpoint's inputs); a new value re-applies the allocation. */
  revision?: pulumi.Input<string>;
}

export class EndpointTraffic extends pulumi.dynamic.Resource {
  /** The live traffic split set on an online endpoint (undefined for batch). */
  declare readonly traffic: pulumi.Output<TrafficSplit | undefined>;
  /** The mirrored traffic set on an online endpoint (undefined for batch). */
  declare readonly mirrorTraffic: pulumi.Output<TrafficSplit | undefined>;
  /** The default deployment set on a batch endpoint (undefined for online). */
  declare readonly defaultDeployment: pulumi.Output<string | undefined>;

  constructor(name: string, args: EndpointTrafficArgs, opts?: pulumi.CustomResourceOptions) {
    const online = args.endpointKind === "online";
    const request = {
      endpointKind: args.endpointKind,
      traffic: online ? (args.traffic ?? {}) : args.traffic,
      mirrorTraffic: online ? (args.mirrorTraffic ?? {}) : args.mirrorTraffic,
      defaultDeployment: args.defaultDeployment,
    };
    // Plain values are checked now, so a bad split fails the program (and the offline plan), not the deploy.
    const errors = [
      ...trafficRequestErrors(request, name),
      ...(typeof args.endpointId === "string" ? endpointIdErrors(args.endpointId, args.endpointKind, name) : []),
    ];
    if (errors.length > 0) throw new Error(errors.join("\n"));
    super(
      endpointTrafficProvider,
      name,
      {
        resourceKind: ENDPOINT_TRAFFIC_RESOURCE_KIND,
        endpointId: args.endpointId,
        endpointKind: args.endpointKind,
        traffic: online ? request.traffic : undefined,
        mirrorTraffic: online ? request.mirrorTraffic : undefined,
        defaultDeployment: online ? undefined : args.defaultDeployment,
        apiVersion: args.apiVersion ?? ML_ENDPOINT_API_VERSION,
        armEndpoint: args.armEndpoint ?? PUBLIC_ARM_ENDPOINT,
        revision: args.revision,
      },
      opts,
    );
  }
}
