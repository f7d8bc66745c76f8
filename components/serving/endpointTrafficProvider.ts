import type * as pulumi from "@pulumi/pulumi";
import { chooseArmCredential, createArmCredential } from "./armCredential";
import {
  AllocationTarget,
  ArmConnection,
  applyAllocation,
  clearAllocation,
  readAllocation,
} from "./endpointTrafficArm";
import { EndpointTrafficState, desiredAllocation, diffTrafficState, stateErrors } from "./endpointTrafficSpec";

/**
 * The dynamic provider behind EndpointTraffic. Pulumi serializes this object (with the local
 * modules it uses) into the resource's `__provider` input and runs it in its own process, so
 * it must not use @pulumi/pulumi at run time (types only) and requires the Azure SDK lazily.
 */

/** Builds the ARM connection for an endpoint's cloud. */
export type ArmConnector = (armEndpoint: string) => ArmConnection;

/** Production: credentials from the azure-native provider's environment variables. */
export function connectFromEnvironment(armEndpoint: string): ArmConnection {
  return { credential: createArmCredential(chooseArmCredential(process.env), armEndpoint), armEndpoint };
}

function target(state: EndpointTrafficState): AllocationTarget {
  return { endpointId: state.endpointId, endpointKind: state.endpointKind, apiVersion: state.apiVersion };
}

/** Only the fields this resource owns (drops the provider's own `__provider`). */
function ownState(state: EndpointTrafficState): EndpointTrafficState {
  const {
    resourceKind,
    endpointId,
    endpointKind,
    traffic,
    mirrorTraffic,
    defaultDeployment,
    apiVersion,
    armEndpoint,
    revision,
  } = state;
  return {
    resourceKind,
    endpointId,
    endpointKind,
    ...(traffic !== undefined ? { traffic } : {}),
    ...(mirrorTraffic !== undefined ? { mirrorTraffic } : {}),
    ...(defaultDeployment !== undefined ? { defaultDeployment } : {}),
    apiVersion,
    armEndpoint,
    ...(revision !== undefined ? { revision } : {}),
  };
}

function assertValid(state: EndpointTrafficState): void {
  const errors = stateErrors(state);
  if (errors.length > 0) throw new Error(errors.join("\n"));
}

/** A stable id: the endpoint's id plus what is set on it (this is not an ARM resource of its own). */
function resourceId(state: EndpointTrafficState): string {
  return `${state.endpointId}#${state.endpointKind === "batch" ? "defaultDeployment" : "traffic"}`;
}

/** The provider, with the way to reach ARM injected (tests pass a fake credential and CA). */
export function createEndpointTrafficProvider(
  connect: ArmConnector,
): pulumi.dynamic.ResourceProvider<EndpointTrafficState, EndpointTrafficState> {
  return {
    check(_olds, news) {
      const failures = stateErrors(news).map((reason) => ({ property: "traffic", reason }));
      return Promise.resolve({ inputs: news, failures });
    },

    diff(_id, olds, news) {
      return Promise.resolve(diffTrafficState(olds, news));
    },

    async create(inputs) {
      assertValid(inputs);
      await applyAllocation(target(inputs), desiredAllocation(inputs), connect(inputs.armEndpoint));
      return { id: resourceId(inputs), outs: ownState(inputs) };
    },

    async update(_id, _olds, news) {
      assertValid(news);
      await applyAllocation(target(news), desiredAllocation(news), connect(news.armEndpoint));
      return { outs: ownState(news) };
    },

    async delete(_id, props) {
      await clearAllocation(target(props), connect(props.armEndpoint));
    },

    async read(id, props) {
      if (!props) return { id, props: {} as EndpointTrafficState };
      const live = await readAllocation(target(props), connect(props.armEndpoint));
      // A missing endpoint means the allocation is gone too: an empty id removes it from state.
      if (!live) return { id: "", props: {} as EndpointTrafficState };
      const { traffic: _traffic, mirrorTraffic: _mirror, defaultDeployment: _default, ...rest } = ownState(props);
      return { id, props: { ...rest, ...live } };
    },
  };
}

/** The provider Pulumi runs. */
export const endpointTrafficProvider = createEndpointTrafficProvider(connectFromEnvironment);
