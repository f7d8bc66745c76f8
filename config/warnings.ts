import { keyVaultWarnings } from "./sections/dataServices";
import { sharesFromWorkspace } from "./sections/assets";
import { monitorEngine } from "./sections/modelOperations";
import { retirementWarnings } from "./shared/retirements";
import type { StackConfig } from "./stack";

// Warnings: accepted settings the program should point out, over the whole validated config.

/** A setting that is valid but weakens the defaults, to be logged when the program runs. */
export interface ConfigWarning {
  /** Fully qualified key, e.g. `secure-azureml:endpoints.scoring.authMode`. */
  readonly key: string;
  readonly message: string;
}

/** Warnings about a validated configuration (`project` is the config namespace; `now` the day retirements are judged on). */
export function configWarnings(
  config: StackConfig,
  project = "secure-azureml",
  now: Date = new Date(),
): ConfigWarning[] {
  const at = (path: string, message: string): ConfigWarning => ({ key: `${project}:${path}`, message });
  const warnings: ConfigWarning[] = retirementWarnings(config, now).map((warning) =>
    at(warning.path.join("."), warning.message),
  );
  warnings.push(...keyVaultWarnings(config).map((warning) => at(warning.path.join("."), warning.message)));
  for (const [name, endpoint] of Object.entries(config.endpoints)) {
    if (endpoint.authMode === "Key") {
      warnings.push(
        at(
          `endpoints.${name}.authMode`,
          "key auth is allowed (allowKeyAuth: true): endpoint keys are long-lived shared secrets that anyone holding them can use until regenerated; prefer AADToken",
        ),
      );
    }
  }
  for (const [name, cluster] of Object.entries(config.compute.clusters)) {
    if (cluster.minNodes > 0) {
      warnings.push(
        at(
          `compute.clusters.${name}.minNodes`,
          `keeps ${cluster.minNodes} node(s) of ${cluster.vmSize} running and billed while idle; 0 lets the cluster scale to zero`,
        ),
      );
    }
  }
  const receivers = config.alerts.emailReceivers.length + config.alerts.webhookReceivers.length;
  if (Object.keys(config.endpoints).length > 0 && receivers === 0) {
    warnings.push(
      at(
        "alerts",
        "has no receivers: endpoint alerts (latency, 5xx rate, GPU utilisation) fire into an action group nobody receives; add emailReceivers or webhookReceivers",
      ),
    );
  }
  if (sharesFromWorkspace(config.mlRegistry)) {
    warnings.push(
      at(
        "mlRegistry.shareFromWorkspace",
        "is true: the workspace storage account's public endpoint is on (public network access Enabled, deny by default), admitting only the ML registry instance so that az ml model share works; turn it off when nothing is shared",
      ),
    );
  }
  for (const [name, monitor] of Object.entries(config.modelMonitoring)) {
    if (monitorEngine(monitor, config.workspace.outbound.mode) !== "builtin") continue;
    warnings.push(
      at(
        `modelMonitoring.${name}.engine`,
        "is builtin: its serverless Spark jobs need the managed network provisioned for Spark once after the first deploy (`az ml workspace provision-network --include-spark`), which no resource property does",
      ),
    );
  }
  return warnings;
}
