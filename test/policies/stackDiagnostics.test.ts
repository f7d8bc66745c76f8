import { describe, expect, it } from "vitest";
import { UNKNOWN } from "./support/harness";
import {
  MODES,
  Mode,
  Spec,
  compliantSpecs,
  edit,
  idOf,
  render,
  rule,
  runOn,
  violationsOfAll,
  without,
} from "./fixtures/stackResources";

/** Stack rules on diagnostics and Application Insights (policies/stack/diagnostics.ts). */

const run = (name: string, specs: Spec[], mode: Mode = "known", config: Record<string, unknown> = {}) =>
  runOn(rule(name), render(specs, mode), config);
const onlyRule = async (specs: Spec[], mode: Mode = "known") => Object.keys(await violationsOfAll(render(specs, mode)));
const CENTRAL_LAW =
  "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-central/providers/Microsoft.OperationalInsights/workspaces/log-central";

describe("stack-diagnostics-to-log-analytics", () => {
  const name = "stack-diagnostics-to-log-analytics";

  it.each(MODES)("passes the compliant stack (%s)", async (mode) => {
    expect(await run(name, compliantSpecs(), mode)).toEqual({ kind: "violations", messages: [] });
  });

  it.each(MODES)("reports a Key Vault without a diagnostic setting, and only this rule (%s)", async (mode) => {
    const specs = without(compliantSpecs(), "diag-kv");
    expect(await run(name, specs, mode)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(/^Vault 'kv': no azure-native:monitor:DiagnosticSetting has resourceUri set to its id/),
      ],
    });
    expect(await onlyRule(specs, mode)).toEqual([name]);
  });

  it("reports every data-bearing type (workspace, storage, registry)", async () => {
    const outcome = await run(name, without(compliantSpecs(), "diag-ws", "diag-storage", "diag-acr"));
    expect(outcome).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(/^Workspace 'ws'/),
        expect.stringMatching(/^StorageAccount 'storage'/),
        expect.stringMatching(/^Registry 'acr'/),
      ],
    });
  });

  it.each(MODES)(
    "reports a setting that sends to a storage account instead of Log Analytics (absent workspaceId) (%s)",
    async (mode) => {
      const specs = edit(compliantSpecs(), "diag-acr", (s) => {
        delete s.props.workspaceId;
        s.props.storageAccountId = idOf("storage");
      });
      expect(await run(name, specs, mode)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /^Registry 'acr': its diagnostic settings \(DiagnosticSetting 'diag-acr'\) send to no Log Analytics workspace \(workspaceId not set\)/,
          ),
        ],
      });
    },
  );

  it("reports a workspaceId that is not a Log Analytics workspace", async () => {
    const specs = edit(compliantSpecs(), "diag-ws", (s) => {
      s.props.workspaceId = idOf("appi");
    });
    expect(await run(name, specs)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(/^Workspace 'ws': its diagnostic settings .* send to no Log Analytics workspace/),
      ],
    });
  });

  it("ignores a setting on a sub-resource (blobServices/default) for the account itself", async () => {
    const specs = edit(compliantSpecs(), "diag-storage", (s) => {
      s.props.resourceUri =
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/stml/blobServices/default";
    });
    expect(await run(name, specs)).toEqual({
      kind: "violations",
      messages: [expect.stringMatching(/^StorageAccount 'storage': no azure-native:monitor:DiagnosticSetting/)],
    });
  });

  it.each(MODES)("accepts a central Log Analytics workspace outside the stack (%s)", async (mode) => {
    const specs = edit(compliantSpecs(), "diag-kv", (s) => {
      s.props.workspaceId = CENTRAL_LAW;
    });
    expect(await run(name, specs, mode)).toEqual({ kind: "violations", messages: [] });
  });

  it("accepts a resourceUri written by hand while the target's id is unknown (matched by name)", async () => {
    const specs = edit(compliantSpecs(), "diag-kv", (s) => {
      s.props.resourceUri =
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.KeyVault/vaults/kv-ml";
    });
    expect(await run(name, specs, "unknown")).toEqual({ kind: "violations", messages: [] });
  });

  it("cannot decide when the workspaceId is unknown and comes from no resource of the stack", async () => {
    const specs = edit(compliantSpecs(), "diag-kv", (s) => {
      s.props.workspaceId = UNKNOWN.string;
    });
    expect(await run(name, specs, "unknown")).toEqual({ kind: "unknown" });
  });

  it("cannot decide when a setting's resourceUri is unknown and comes from no resource of the stack", async () => {
    const specs = edit(without(compliantSpecs(), "diag-kv"), "diag-acr", (s) => {
      s.props.resourceUri = UNKNOWN.string;
    });
    expect(await run(name, specs, "unknown")).toEqual({ kind: "unknown" });
  });
});

describe("stack-app-insights-log-analytics", () => {
  const name = "stack-app-insights-log-analytics";

  it.each(MODES)("passes the compliant stack (%s)", async (mode) => {
    expect(await run(name, compliantSpecs(), mode)).toEqual({ kind: "violations", messages: [] });
  });

  it.each(MODES)("reports a classic component (no workspaceResourceId), and only this rule (%s)", async (mode) => {
    const specs = edit(compliantSpecs(), "appi", (s) => {
      delete s.props.workspaceResourceId;
    });
    expect(await run(name, specs, mode)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /^Component 'appi' has no workspaceResourceId: a classic \(not workspace-based\) component/,
        ),
      ],
    });
    expect(await onlyRule(specs, mode)).toEqual([name]);
  });

  it("reports a workspace outside the stack unless allowExternalWorkspaces", async () => {
    const specs = edit(compliantSpecs(), "appi", (s) => {
      s.props.workspaceResourceId = CENTRAL_LAW;
    });
    expect(await run(name, specs)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /has workspaceResourceId ".*log-central", which is not a Log Analytics workspace of this stack/,
        ),
      ],
    });
    expect(await run(name, specs, "known", { allowExternalWorkspaces: true })).toEqual({
      kind: "violations",
      messages: [],
    });
  });

  it("reports a workspaceResourceId that is not a Log Analytics workspace, even with allowExternalWorkspaces", async () => {
    const specs = edit(compliantSpecs(), "appi", (s) => {
      s.props.workspaceResourceId = idOf("storage");
    });
    expect(await run(name, specs, "known", { allowExternalWorkspaces: true })).toEqual({
      kind: "violations",
      messages: [expect.stringMatching(/nor a Log Analytics workspace id/)],
    });
  });

  it("reports ingestionMode ApplicationInsights", async () => {
    const specs = edit(compliantSpecs(), "appi", (s) => {
      s.props.ingestionMode = "ApplicationInsights";
    });
    expect(await run(name, specs)).toEqual({
      kind: "violations",
      messages: [expect.stringMatching(/has ingestionMode "ApplicationInsights"/)],
    });
  });

  it("cannot decide when workspaceResourceId is unknown and comes from no resource of the stack", async () => {
    const specs = edit(compliantSpecs(), "appi", (s) => {
      s.props.workspaceResourceId = UNKNOWN.string;
    });
    expect(await run(name, specs, "unknown")).toEqual({ kind: "unknown" });
  });
});
