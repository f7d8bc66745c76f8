/**
 * Entry point of the serving layer's `pulumi up` / `pulumi preview` (run in this folder): reads the
 * platform stack, validates this stack's config, checks the referenced assets exist, then creates
 * the endpoints, deployments, traffic, monitors, batch endpoints and retraining.
 */
import { buildServingProgram } from "./program";

export = buildServingProgram();
