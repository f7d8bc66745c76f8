/**
 * Entry point for `pulumi up` / `pulumi preview`: validates the stack configuration, builds
 * the secure Azure ML environment and exports its outputs. The offline planner (`npm start`)
 * runs this same module under Pulumi's mock engine.
 */
import { buildProgram } from "./program";

export = buildProgram();
