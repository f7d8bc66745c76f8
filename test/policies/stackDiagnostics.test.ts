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

const STORAGE_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/stml";

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

  it("reports every data-bearing target (workspace, registry, the blob and file services)", async () => {
    const outcome = await run(
      name,
      without(compliantSpecs(), "diag-ws", "diag-acr", "diag-blob-service", "diag-file-service"),
    );
    expect(outcome).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(/^Workspace 'ws'/),
        expect.stringMatching(/^Registry 'acr'/),
        `StorageAccount 'storage': its blob service (resourceUri ${STORAGE_ID.toLowerCase()}/blobServices/default): no azure-native:monitor:DiagnosticSetting has resourceUri set to it: reads, writes and deletes in its blob service leave no searchable audit trail (the account resource itself exports metrics only).`,
        expect.stringMatching(/^StorageAccount 'storage': its file service \(resourceUri .*\/fileServices\/default\)/),
      ],
    });
  });

  it.each(MODES)("reports a metrics-only setting on a Key Vault, and only this rule (%s)", async (mode) => {
    const specs = edit(compliantSpecs(), "diag-kv", (s) => {
      s.props.logs = [];
      s.props.metrics = [{ category: "AllMetrics", enabled: true }];
    });
    expect(await run(name, specs, mode)).toEqual({
      kind: "violations",
      messages: [
        "Vault 'kv': its diagnostic settings do not count (DiagnosticSetting 'diag-kv' carries no enabled log category or category group (metrics only)): access to and changes of this Key Vault leave no searchable audit trail.",
      ],
    });
    expect(await onlyRule(specs, mode)).toEqual([name]);
  });

  it("does not count disabled log entries or entries naming neither a category nor a group", async () => {
    for (const logs of [
      [{ categoryGroup: "allLogs", enabled: false }],
      [{ category: "AuditEvent", enabled: false }],
      [{ enabled: true }],
    ]) {
      const specs = edit(compliantSpecs(), "diag-kv", (s) => {
        s.props.logs = logs;
      });
      expect(await run(name, specs)).toEqual({
        kind: "violations",
        messages: [expect.stringMatching(/^Vault 'kv': .*carries no enabled log category or category group/)],
      });
    }
  });

  it("accepts a single enabled category or the audit category group instead of allLogs", async () => {
    for (const logs of [[{ category: "AuditEvent", enabled: true }], [{ categoryGroup: "audit", enabled: true }]]) {
      const specs = edit(compliantSpecs(), "diag-kv", (s) => {
        s.props.logs = logs;
      });
      expect(await run(name, specs)).toEqual({ kind: "violations", messages: [] });
    }
  });

  it("reports a storage account whose only setting is on the account (metrics only): the services carry the logs", async () => {
    const specs = without(compliantSpecs(), "diag-blob-service", "diag-file-service");
    expect(await run(name, specs)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /^StorageAccount 'storage': its blob service .*: no azure-native:monitor:DiagnosticSetting/,
        ),
        expect.stringMatching(
          /^StorageAccount 'storage': its file service .*: no azure-native:monitor:DiagnosticSetting/,
        ),
      ],
    });
  });

  it("reports a missing blob service setting during preview too, unless the account's setting, which may be it, carries logs", async () => {
    // In a preview, `${account.id}/blobServices/default` and `account.id` are both unknown values computed from the account:
    // the account's setting may be the blob service's, but a metrics-only setting cannot count either way.
    const specs = without(compliantSpecs(), "diag-blob-service");
    for (const mode of ["unknown", "dependenciesOnly"] as const)
      expect(await run(name, specs, mode)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /^StorageAccount 'storage': its blob service .*: no azure-native:monitor:DiagnosticSetting has resourceUri set to it/,
          ),
        ],
      });
    const accountWithLogs = edit(specs, "diag-storage", (s) => {
      s.props.logs = [{ categoryGroup: "allLogs", enabled: true }];
    });
    for (const mode of ["unknown", "dependenciesOnly"] as const)
      expect(await run(name, accountWithLogs, mode)).toEqual({ kind: "unknown" });
  });

  it("reports a metrics-only setting on the file service (during preview too: the account's setting, which may be the file service's, has no logs)", async () => {
    const specs = edit(compliantSpecs(), "diag-file-service", (s) => {
      s.props.logs = [];
    });
    expect(await run(name, specs, "unknown")).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(/^StorageAccount 'storage': its file service .*: its diagnostic settings do not count/),
      ],
    });
    expect(await run(name, specs)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /^StorageAccount 'storage': its file service .*: its diagnostic settings do not count \(DiagnosticSetting 'diag-file-service' carries no enabled log category/,
        ),
      ],
    });
  });

  it("accepts service settings whose resourceUri is written by hand, by id or (ids unknown) by name", async () => {
    const specs = edit(
      edit(compliantSpecs(), "diag-blob-service", (s) => {
        s.props.resourceUri = `${STORAGE_ID}/blobServices/default`;
      }),
      "diag-file-service",
      (s) => {
        s.props.resourceUri = `${STORAGE_ID}/fileServices/default`;
      },
    );
    for (const mode of MODES) expect(await run(name, specs, mode)).toEqual({ kind: "violations", messages: [] });
  });

  it("does not count a setting on another account's blob service or on another service of this one", async () => {
    const specs = edit(compliantSpecs(), "diag-blob-service", (s) => {
      s.props.resourceUri = `${STORAGE_ID.replace("stml", "stother")}/blobServices/default`;
    });
    const queue = edit(compliantSpecs(), "diag-blob-service", (s) => {
      s.props.resourceUri = `${STORAGE_ID}/queueServices/default`;
    });
    for (const variant of [specs, queue])
      expect(await run(name, variant)).toEqual({
        kind: "violations",
        messages: [expect.stringMatching(/^StorageAccount 'storage': its blob service/)],
      });
  });

  it("holds BlockBlobStorage accounts to the blob service only and FileStorage accounts to the file service only", async () => {
    const blockBlob = edit(without(compliantSpecs(), "diag-file-service"), "storage", (s) => {
      s.props.kind = "BlockBlobStorage";
    });
    expect(await run(name, blockBlob)).toEqual({ kind: "violations", messages: [] });
    const fileStorage = edit(without(compliantSpecs(), "diag-blob-service"), "storage", (s) => {
      s.props.kind = "FileStorage";
    });
    expect(await run(name, fileStorage)).toEqual({ kind: "violations", messages: [] });
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
          "Registry 'acr': its diagnostic settings do not count (DiagnosticSetting 'diag-acr' sends to no Log Analytics workspace (workspaceId not set)): access to and changes of this container registry leave no searchable audit trail.",
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
        expect.stringMatching(/^Workspace 'ws': its diagnostic settings .* sends to no Log Analytics workspace/),
      ],
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

  it("cannot decide when the only setting's logs are unknown", async () => {
    for (const logs of [UNKNOWN.string, [{ categoryGroup: "allLogs", enabled: UNKNOWN.boolean }]]) {
      const specs = edit(compliantSpecs(), "diag-kv", (s) => {
        s.props.logs = logs;
      });
      expect(await run(name, specs)).toEqual({ kind: "unknown" });
    }
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
