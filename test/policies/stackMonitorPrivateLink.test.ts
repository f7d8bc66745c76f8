import { describe, expect, it } from "vitest";
import { TYPES as T } from "secure-azureml-facts";
import { UNKNOWN } from "./support/harness";
import {
  BASE,
  MODES,
  Mode,
  Spec,
  compliantSpecs,
  edit,
  idOf,
  nameOf,
  render,
  rule,
  runOn,
  violationsOfAll,
  without,
} from "./fixtures/stackResources";

/** The Azure Monitor private link rule (policies/stack/monitorPrivateLink.ts). */

const name = "stack-monitor-private-link-only";
const run = (specs: Spec[], mode: Mode = "known") => runOn(rule(name), render(specs, mode));
const onlyRule = async (specs: Spec[], mode: Mode = "known") => Object.keys(await violationsOfAll(render(specs, mode)));

const CLOSED = { publicNetworkAccessForIngestion: "Disabled", publicNetworkAccessForQuery: "Disabled" };

/** A scoped resource of `scope` linking `target` (as MonitorPrivateLinkScope creates it). */
const scoped = (key: string, target: string, scope: Spec["props"]["scopeName"] = nameOf("ampls")): Spec => ({
  name: `ampls-${key}`,
  type: T.monitorScopedResource,
  props: { name: key, scopeName: scope, resourceGroupName: nameOf("rg"), linkedResourceId: idOf(target) },
  id: `${BASE}/Microsoft.Insights/privateLinkScopes/ampls-ml/scopedResources/${key}`,
  azureName: key,
});

/** The compliant stack with a scope holding its Log Analytics workspace and Application Insights component, both closed. */
function withScope(): Spec[] {
  const closed = ["law", "appi"].reduce(
    (specs, target) => edit(specs, target, (s) => Object.assign(s.props, CLOSED)),
    compliantSpecs(),
  );
  return [
    ...closed,
    {
      name: "ampls",
      type: T.monitorPrivateLinkScope,
      props: {
        scopeName: "ampls-ml",
        resourceGroupName: nameOf("rg"),
        location: "global",
        accessModeSettings: { ingestionAccessMode: "PrivateOnly", queryAccessMode: "PrivateOnly" },
      },
      id: `${BASE}/Microsoft.Insights/privateLinkScopes/ampls-ml`,
      azureName: "ampls-ml",
    },
    scoped("log-analytics", "law"),
    scoped("app-insights", "appi"),
  ];
}

const opened = (specs: Spec[], target: string, props: Record<string, unknown>) =>
  edit(specs, target, (s) => Object.assign(s.props, props));

describe("stack-monitor-private-link-only", () => {
  it("is mandatory", () => {
    expect(rule(name).enforcementLevel).toBe("mandatory");
  });

  it.each(MODES)(
    "passes a stack whose Log Analytics and Application Insights are in its scope and closed (%s)",
    async (mode) => {
      expect(await run(withScope(), mode)).toEqual({ kind: "violations", messages: [] });
      expect(await onlyRule(withScope(), mode)).toEqual([]);
    },
  );

  it("does not apply without a scope, public access or not (the dev stack's case)", async () => {
    expect(await run(compliantSpecs())).toEqual({ kind: "notApplicable" });
    const open = opened(compliantSpecs(), "law", { publicNetworkAccessForIngestion: "Enabled" });
    expect(await run(open)).toEqual({ kind: "notApplicable" });
  });

  it.each(MODES)("reports Log Analytics ingestion open to public networks, and only this rule (%s)", async (mode) => {
    const specs = opened(withScope(), "law", { publicNetworkAccessForIngestion: "Enabled" });
    expect(await run(specs, mode)).toEqual({
      kind: "violations",
      messages: [
        `Workspace 'law' has publicNetworkAccessForIngestion "Enabled" in a stack with an Azure Monitor Private Link Scope: telemetry is accepted from public networks, around the scope; set it to "Disabled".`,
      ],
    });
    expect(await onlyRule(specs, mode)).toEqual([name]);
  });

  it("reports Application Insights whose public access is not set (Azure defaults to Enabled)", async () => {
    const specs = edit(withScope(), "appi", (s) => {
      delete s.props.publicNetworkAccessForIngestion;
      delete s.props.publicNetworkAccessForQuery;
    });
    expect(await run(specs)).toEqual({
      kind: "violations",
      messages: [
        `Component 'appi' has publicNetworkAccessForIngestion not set (Azure defaults to Enabled) in a stack with an Azure Monitor Private Link Scope: telemetry is accepted from public networks, around the scope; set it to "Disabled".`,
        `Component 'appi' has publicNetworkAccessForQuery not set (Azure defaults to Enabled) in a stack with an Azure Monitor Private Link Scope: logs can be queried from public networks, around the scope; set it to "Disabled".`,
      ],
    });
  });

  const NOT_LINKED = `Component 'appi' is not in the stack's Azure Monitor Private Link Scope (PrivateLinkScope 'ampls'): no azure-native:monitor:PrivateLinkScopedResource links it (linkedResourceId = its id), so networks connected to the scope cannot reach it over private link (with PrivateOnly access mode not at all); add it to the scope.`;

  it.each(MODES)("reports a closed Application Insights component that is not in the scope (%s)", async (mode) => {
    const specs = without(withScope(), "ampls-app-insights");
    expect(await run(specs, mode)).toEqual({ kind: "violations", messages: [NOT_LINKED] });
    expect(await onlyRule(specs, mode)).toEqual([name]);
  });

  it("does not count a link that names the Application Insights component in another scope", async () => {
    const elsewhere = [
      ...without(withScope(), "ampls-app-insights"),
      { ...scoped("app-insights", "appi", "ampls-hub"), name: "hub-app-insights" },
    ];
    expect(await run(elsewhere)).toEqual({ kind: "violations", messages: [NOT_LINKED] });
  });

  it("does not count a scoped resource linking the Log Analytics workspace for the component", async () => {
    const wrongTarget = edit(withScope(), "ampls-app-insights", (s) => (s.props.linkedResourceId = idOf("law")));
    expect(await run(wrongTarget)).toEqual({ kind: "violations", messages: [NOT_LINKED] });
  });

  it.each(["known", "unknown"] as const)(
    "cannot decide while a public access value or an untraced link is unknown (%s)",
    async (mode) => {
      const unknownAccess = opened(withScope(), "law", { publicNetworkAccessForQuery: UNKNOWN.string });
      expect(await run(unknownAccess, mode)).toEqual({ kind: "unknown" });
      // A linkedResourceId computed from nothing in the stack may name the unlinked component.
      const untraced = [
        ...without(withScope(), "ampls-app-insights"),
        {
          ...scoped("app-insights", "appi"),
          props: { ...scoped("app-insights", "appi").props, linkedResourceId: UNKNOWN.string },
        },
      ];
      expect(await run(untraced, mode)).toEqual({ kind: "unknown" });
    },
  );
});
