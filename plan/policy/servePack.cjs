"use strict";
/**
 * Serves a prebuilt JavaScript policy pack for the offline planner: `node servePack.cjs` in the
 * pack folder. It is @pulumi/pulumi's cmd/run-policy-pack (what `pulumi preview --policy-pack`
 * starts) minus the two things a JavaScript pack does not need and that cost most of its start:
 * registering ts-node (which loads the TypeScript compiler) and opening a V8 inspector session
 * for closure serialization (which makes V8 compile every module loaded afterwards more slowly).
 * The pack itself is loaded the same way: `require` of the pack folder, so package.json `main`
 * (load.js) decides, and `new PolicyPack()` starts @pulumi/policy's own Analyzer gRPC server and
 * prints its port. plan/policy/runner.ts uses it only for a pack whose build it has just found
 * fresh; load.js refuses a stale build here rather than loading it.
 */
const loggedErrors = new Set();
function report(error) {
  if (loggedErrors.has(error)) return;
  loggedErrors.add(error);
  process.stderr.write(`${(error && (error.stack || error.message)) || String(error)}\n`);
  process.exitCode = 1;
}
process.on("uncaughtException", report);
process.on("unhandledRejection", report);

require("./lazyModules.cjs").deferPulumiSerializationModules();
try {
  require(process.cwd());
} catch (error) {
  report(error);
  process.exit(1);
}
