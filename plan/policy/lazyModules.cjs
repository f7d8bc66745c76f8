"use strict";
/**
 * `require("@pulumi/pulumi")` loads, among everything else, two large modules that only closure
 * serialization (function serialization and code paths) uses, at call time: the TypeScript
 * compiler (about 9 MB of JavaScript, through its typescript-shim) and npm's Arborist (with
 * pacote, sigstore and tar behind it): together about 0.4 s on an idle core, twice that on a busy
 * one. `deferPulumiSerializationModules()` makes exactly those two `require`s return a stand-in
 * that loads the real module on first use; every other `require` is untouched. The planner
 * launcher (scripts/planner.cjs; the planner records dynamic providers as a marker unless
 * PLAN_EXACT_RUNTIME=1) and the prebuilt pack's server (servePack.cjs) use it.
 */
const Module = require("node:module");
const { join } = require("node:path");

/** Which `require` to defer: the module requested, the file requiring it, and how it reads the module. */
const DEFERRED = [
  // `const ts = require("../../typescript-shim")`, whose `module.exports = require("typescript")`.
  { request: "typescript", from: join("@pulumi", "pulumi", "typescript-shim.js"), esModule: false },
  // `__importStar(require("@npmcli/arborist"))`: answering __esModule keeps __importStar from copying every key now.
  {
    request: "@npmcli/arborist",
    from: join("@pulumi", "pulumi", "runtime", "closure", "codePaths.js"),
    esModule: true,
  },
];

let installed = false;

/** An object that forwards every operation to the module `load()` returns, loading it on first use. */
function onFirstUse(load, esModule) {
  let loaded;
  const target = () => (loaded ??= load());
  return new Proxy(
    {},
    {
      get: (_, key) => (esModule && key === "__esModule" ? true : Reflect.get(target(), key)),
      has: (_, key) => Reflect.has(target(), key),
      set: (_, key, value) => Reflect.set(target(), key, value),
      ownKeys: () => Reflect.ownKeys(target()),
      getOwnPropertyDescriptor: (_, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
        // The stand-in's own (empty) target does not have the key: a proxy must call it configurable.
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
}

/** Only an installed module is deferred: the typescript-shim falls back to a vendored compiler otherwise. */
function resolvable(request, parent) {
  try {
    Module._resolveFilename(request, parent);
    return true;
  } catch {
    return false;
  }
}

function deferPulumiSerializationModules() {
  if (installed) return;
  installed = true;
  const load = Module._load;
  Module._load = function loadDeferring(request, parent, isMain) {
    const deferred = DEFERRED.find((d) => d.request === request && parent?.filename?.endsWith(d.from));
    if (deferred && resolvable(request, parent))
      return onFirstUse(() => load.call(this, request, parent, isMain), deferred.esModule);
    return load.call(this, request, parent, isMain);
  };
}

module.exports = { deferPulumiSerializationModules };
