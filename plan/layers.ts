import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { PROJECT_NAME } from "../config";
import { SERVING_PROJECT_NAME, platformStackName, rawServingConfig } from "../config";
import { Plan } from "./contract";
import { planProgramWithOutputs } from "./engine";
import { recordPhase } from "./policy/timings";
import { StackFileConfig } from "./stackFile";

/** The serving stack file beside a platform stack file: `serving/Pulumi.<stack>.yaml` under the same folder. */
export function servingStackFileFor(platformFile: string, stack: string): string {
  return join(dirname(platformFile), "serving", `Pulumi.${stack}.yaml`);
}

export interface LayeredPlanOptions {
  /** Required. The stack name (the same for both layers, as the shipped stacks are named). */
  stack: string;
  /** Required. The platform stack file's config. */
  platform: StackFileConfig;
  /** Optional. The serving stack file's config; without it only the platform is planned. */
  serving?: StackFileConfig;
}

/**
 * Plan both layers offline, in deploy order: the platform program, then the serving program with
 * its StackReference answered by the platform plan's outputs (secrets included, in memory only).
 * The result is one plan: every layer's resources in deploy order, the outputs merged, and
 * `layers` listing each project with its own outputs.
 */
export async function planLayers(options: LayeredPlanOptions): Promise<Plan> {
  const started = performance.now();
  const plan = await planBothLayers(options);
  recordPhase("plan", started);
  return plan;
}

async function planBothLayers(options: LayeredPlanOptions): Promise<Plan> {
  const { buildProgram } = await import("../program");
  const platform = await planProgramWithOutputs({
    project: PROJECT_NAME,
    stack: options.stack,
    config: options.platform.config,
    secretKeys: options.platform.secretKeys,
    secretPlaceholders: options.platform.secretKeys,
    program: buildProgram,
  });
  if (!options.serving)
    return { ...platform.plan, layers: [{ project: PROJECT_NAME, outputs: platform.plan.outputs }] };

  const { buildServingProgram } = await import("../serving/program");
  const servingConfig = options.serving;
  const platformStack = platformStackName(rawServingConfig(servingConfig.config), options.stack);
  const serving = await planProgramWithOutputs({
    project: SERVING_PROJECT_NAME,
    stack: options.stack,
    config: servingConfig.config,
    secretKeys: servingConfig.secretKeys,
    secretPlaceholders: servingConfig.secretKeys,
    program: buildServingProgram,
    stackOutputs: { [platformStack]: platform.rawOutputs },
  });
  return {
    ...platform.plan,
    resources: [...platform.plan.resources, ...serving.plan.resources],
    outputs: { ...platform.plan.outputs, ...serving.plan.outputs },
    secretPlaceholders: [...platform.plan.secretPlaceholders, ...serving.plan.secretPlaceholders],
    lateRegistrations: [...platform.plan.lateRegistrations, ...serving.plan.lateRegistrations],
    layers: [
      { project: PROJECT_NAME, outputs: platform.plan.outputs },
      { project: SERVING_PROJECT_NAME, outputs: serving.plan.outputs },
    ],
  };
}

/** Whether a serving stack file exists for this platform file and stack. */
export function hasServingStack(platformFile: string, stack: string): boolean {
  return existsSync(servingStackFileFor(platformFile, stack));
}
