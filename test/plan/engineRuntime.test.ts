import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { DYNAMIC_PROVIDER_MARKER, planProgram } from "../../plan/engine";

/** A dynamic resource as the program declares one (the SDK class is abstract). */
class TrafficStep extends pulumi.dynamic.Resource {}

/**
 * The offline engine skips the Pulumi runtime's work that a plan never uses (dynamic provider
 * serialization, a stack trace per promise and per resource) and puts the runtime back afterwards;
 * `exactRuntime` (PLAN_EXACT_RUNTIME=1) keeps all of it. Either way the plan is the same.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const closure = require("@pulumi/pulumi/runtime/closure/serializeClosure") as {
  serializeFunction: (...args: unknown[]) => Promise<{ text: string }>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: unknown };
const resourceClass = pulumi.Resource as unknown as { callsites: unknown };

const provider: pulumi.dynamic.ResourceProvider = {
  create: (inputs: Record<string, unknown>) => Promise.resolve({ id: "traffic", outs: inputs }),
};

/** A program with one dynamic resource; counts the provider serializations and records the stack limit it saw. */
async function planDynamic(exactRuntime: boolean) {
  const original = closure.serializeFunction;
  let serializations = 0;
  closure.serializeFunction = (...args: unknown[]) => {
    serializations += 1;
    return original(...args);
  };
  let errorStack = "";
  try {
    const plan = await planProgram({
      project: "secure-azureml",
      stack: "test",
      config: {},
      exactRuntime,
      program: () => {
        new TrafficStep(provider, "traffic", { endpointId: "/e/1", endpointKind: "online" });
        errorStack = new Error("program error").stack ?? "";
        return {};
      },
    });
    return { plan, serializations: () => serializations, errorStack };
  } finally {
    closure.serializeFunction = original;
  }
}

describe("offline engine runtime work", () => {
  it("records the marker without serializing the provider, and keeps errors' stack traces", async () => {
    const before = { debuggable: debuggable.debuggablePromise, callsites: resourceClass.callsites };
    const { plan, serializations, errorStack } = await planDynamic(false);
    const dynamic = plan.resources.find((r) => r.type === "pulumi-nodejs:dynamic:Resource");
    expect(dynamic?.inputs).toEqual({
      __provider: DYNAMIC_PROVIDER_MARKER,
      endpointId: "/e/1",
      endpointKind: "online",
    });
    expect(serializations()).toBe(0);
    expect(errorStack).toMatch(/^Error: program error\n\s+at /);
    // The runtime is put back.
    expect(debuggable.debuggablePromise).toBe(before.debuggable);
    expect(resourceClass.callsites).toBe(before.callsites);
    expect(Error.stackTraceLimit).toBe(10);
  });

  it("serializes the provider with exactRuntime, with the same plan", async () => {
    const exact = await planDynamic(true);
    const quick = await planDynamic(false);
    expect(exact.serializations()).toBe(1);
    expect(exact.plan).toEqual(quick.plan);
  });
});
