import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Plan } from "../../plan/contract";
import { stackPolicies } from "../../policies/stack";
import { planStackFile } from "../support/stack";
import { SERVING_PROJECT } from "../support/layers";
import { Fixture } from "./fixtures/stackResources";
import { planAsDeployed, planAsFirstPreview, stackVerdict } from "./fixtures/stackPlan";
import { resourcePolicies } from "../../policies/rules";
import { planViolations } from "./fixtures/data";

const isServing = (urn: string | undefined) => urn?.split("::")[1] === SERVING_PROJECT;

/** The platform's first preview: nothing exists yet, and no serving resource either (the serving stack comes after). */
function platformFirstPreview(plan: Plan): Fixture {
  return planAsFirstPreview({ ...plan, resources: plan.resources.filter((r) => !isServing(r.urn)) });
}

/**
 * The serving stack's first preview: the platform is deployed (its resources as deployed, ids known), the
 * serving resources do not exist yet. A serving resource takes the platform's ids as plain values
 * from the StackReference, with no dependency on the platform's resources, so a view where those
 * resources are not created yet either is not a state any preview sees.
 */
function servingFirstPreview(plan: Plan): Fixture {
  const deployed = planAsDeployed(plan);
  const preview = planAsFirstPreview(plan);
  return { ...preview, resources: preview.resources.map((r, i) => (isServing(r.urn) ? r : deployed.resources[i])) };
}

/** One single weakening of the stack per rule family: [rule that must fire (alone), weakened resources]; `platformOnly` leaves out the serving resources' weakenings. */
function weakened(fixture: Fixture, platformOnly = false): [string, Fixture][] {
  const drop = (type: string, nameIncludes: string): Fixture => ({
    ...fixture,
    resources: fixture.resources.filter((r) => !(r.type === type && (r.name ?? "").includes(nameIncludes))),
  });
  const change = (type: string, nameIncludes: string, edit: (props: Record<string, unknown>) => void): Fixture => ({
    ...fixture,
    resources: fixture.resources.map((r) => {
      if (r.type !== type || !(r.name ?? "").includes(nameIncludes)) return r;
      const props = structuredClone(r.props);
      edit(props);
      return { ...r, props };
    }),
  });
  return [
    ["stack-aml-workspace-private-endpoint", drop("azure-native:network:PrivateEndpoint", "workspace-amlworkspace")],
    ["stack-paas-private-endpoint", drop("azure-native:network:PrivateDnsZoneGroup", "storage-file")],
    ["stack-private-dns-zone-vnet-link", drop("azure-native:privatedns:VirtualNetworkLink", "dns-blob")],
    ["stack-diagnostics-to-log-analytics", drop("azure-native:monitor:DiagnosticSetting", "registry-diag")],
    // Unset passes (Microsoft: with a managed network "Avoid setting this flag", deploy-audit M4); Enabled opens public egress.
    ...(platformOnly
      ? []
      : ([
          [
            "stack-online-deployment-egress-disabled",
            change(
              "azure-native:machinelearningservices:OnlineDeployment",
              "",
              (p) => ((p.properties as Record<string, unknown>).egressPublicNetworkAccess = "Enabled"),
            ),
          ],
        ] as [string, Fixture][])),
    [
      "stack-identity-least-privilege",
      change(
        "azure-native:authorization:RoleAssignment",
        "ra-compute-acrpull",
        (p) =>
          (p.roleDefinitionId = String(p.roleDefinitionId).replace(
            "7f951dda-4ed3-4680-a7ca-43fe172d538d",
            "8311e382-0749-4cb8-b61a-304f252e45ec",
          )),
      ),
    ],
    [
      "stack-network-subnet-nsg-in-use",
      change("azure-native:network:Subnet", "snet-pe", (p) => delete p.networkSecurityGroup),
    ],
    [
      "stack-app-insights-log-analytics",
      change("azure-native:applicationinsights:Component", "", (p) => delete p.workspaceResourceId),
    ],
  ];
}

/**
 * The shipped stacks against every stack rule: each plan is made once (the real program under
 * the offline engine) and judged as deployed (outputs, ids known) and as in a first preview
 * (ids unknown, related only by dependencies).
 */
/** The dev policy config's stack-paas-private-endpoint option: its Key Vault and registry have no client private endpoints. */
const DEV_MANAGED_NETWORK_ONLY = (
  JSON.parse(readFileSync(resolve(__dirname, "../../policy-config.dev.json"), "utf8")) as Record<
    string,
    { managedNetworkOnly?: string[] }
  >
)["stack-paas-private-endpoint"].managedNetworkOnly;

describe.each([
  { stack: "dev", config: { environment: "dev", managedNetworkOnly: DEV_MANAGED_NETWORK_ONLY } },
  { stack: "prod", config: { environment: "prod" } },
])("stack rules on the shipped $stack stack", ({ stack, config }) => {
  let plan: Plan;

  beforeAll(async () => {
    plan = await planStackFile(stack);
  });

  it("has no violation, mandatory or advisory, as deployed", async () => {
    const verdict = await stackVerdict(planAsDeployed(plan), config);
    expect(verdict.mandatory).toEqual({});
    expect(verdict.advisory).toEqual({});
    expect(Object.values(verdict.outcomes)).not.toContain("unknown");
  });

  it.each([
    ["the platform's", platformFirstPreview],
    ["the serving stack's (platform deployed)", servingFirstPreview],
  ] as const)("has no violation in %s first preview, and every rule decides", async (_, view) => {
    const verdict = await stackVerdict(view(plan), config);
    expect(verdict.mandatory).toEqual({});
    expect(verdict.advisory).toEqual({});
    expect(Object.values(verdict.outcomes)).not.toContain("unknown");
  });

  it("has client private endpoints for its Key Vault and registry (prod), or needs the dev policy config's managedNetworkOnly for them (dev)", async () => {
    const strict = await stackVerdict(planAsDeployed(plan), { environment: stack });
    if (stack === "prod") {
      expect(strict.mandatory).toEqual({});
      return;
    }
    expect(DEV_MANAGED_NETWORK_ONLY).toEqual(["vault", "registry"]);
    expect(strict.mandatory).toEqual({
      "stack-paas-private-endpoint": [
        expect.stringMatching(
          /^Vault 'amldev-keyvault' has properties\.publicNetworkAccess Disabled but no private endpoint with groupIds \["vault"\]/,
        ),
        expect.stringMatching(
          /^Registry 'amldev-registry' has publicNetworkAccess Disabled but no private endpoint with groupIds \["registry"\]/,
        ),
      ],
    });
  });

  it("judges the prod protection rule only in prod, where storage is both protected and locked", async () => {
    const deployed = planAsDeployed(plan);
    expect((await stackVerdict(deployed, config)).outcomes["stack-prod-data-protected"]).toBe(
      stack === "prod" ? "violations" : "notApplicable",
    );
    const isStorage = (r: { type: string }) => r.type === "azure-native:storage:StorageAccount";
    const unprotected = {
      ...deployed,
      resources: deployed.resources.map((r) => (isStorage(r) ? { ...r, protect: false } : r)),
    };
    const unlocked = {
      ...unprotected,
      resources: unprotected.resources.filter(
        (r) =>
          !(r.type === "azure-native:authorization:ManagementLockByScope" && (r.name ?? "").endsWith("-storage-lock")),
      ),
    };
    expect((await stackVerdict(unprotected, config)).mandatory).toEqual({});
    expect(Object.keys((await stackVerdict(unlocked, config)).mandatory)).toEqual(
      stack === "prod" ? ["stack-prod-data-protected"] : [],
    );
  });

  it.each([
    ["as deployed", planAsDeployed, false],
    ["in the platform's first preview", platformFirstPreview, true],
    ["in the serving stack's first preview", servingFirstPreview, false],
  ] as const)(
    "is caught by each rule family when weakened, %s (the plan is not vacuous for the rules)",
    async (_, view, platformOnly) => {
      for (const [rule, fixture] of weakened(view(plan), platformOnly)) {
        const verdict = await stackVerdict(fixture, config);
        expect(Object.keys(verdict.mandatory), rule).toEqual([rule]);
      }
    },
  );
});

/** The shipped prod policy config (per-rule options and enforcement levels). */
const PROD_POLICY_CONFIG = JSON.parse(
  readFileSync(resolve(__dirname, "../../policy-config.prod.json"), "utf8"),
) as Record<string, Record<string, unknown>>;

type PlanEdit = (plan: Plan) => Plan;

/** The plan without the resource of this type and name (which must exist). */
const dropResource =
  (type: string, name: string): PlanEdit =>
  (plan) => {
    const kept = plan.resources.filter((r) => !(r.type === type && r.name === name));
    if (kept.length !== plan.resources.length - 1) throw new Error(`no single ${type} ${name} in the plan`);
    return { ...plan, resources: kept };
  };

/** The plan with one property of the resource of this type and name changed, in its inputs and outputs alike. */
const editResource =
  (type: string, name: string, edit: (props: Record<string, unknown>) => void): PlanEdit =>
  (plan) => {
    if (plan.resources.filter((r) => r.type === type && r.name === name).length !== 1)
      throw new Error(`no single ${type} ${name} in the plan`);
    return {
      ...plan,
      resources: plan.resources.map((r) => {
        if (r.type !== type || r.name !== name) return r;
        const inputs = structuredClone(r.inputs);
        const outputs = structuredClone(r.outputs);
        edit(inputs);
        edit(outputs);
        return { ...r, inputs, outputs };
      }),
    };
  };

/**
 * Single-property weakenings of the real prod plan, each taken from a baseline the pack enforces
 * (issue 13), and the mandatory rules (resource and stack rules, under policy-config.prod.json)
 * that must report it: exactly these, no other.
 */
const PROD_WEAKENINGS: [string, string[], PlanEdit][] = [
  [
    "the ML registry without its CanNotDelete lock",
    ["stack-prod-data-protected"],
    dropResource("azure-native:authorization:ManagementLockByScope", "amlprod-mlops-registry-registry-lock"),
  ],
  [
    "the blob service without its diagnostic setting",
    ["stack-diagnostics-to-log-analytics"],
    dropResource("azure-native:monitor:DiagnosticSetting", "amlprod-storage-blob-service-diag"),
  ],
  [
    "file share soft delete off",
    ["storage-file-share-soft-delete"],
    editResource(
      "azure-native:storage:FileServiceProperties",
      "amlprod-storage-file-service",
      (p) => ((p.shareDeleteRetentionPolicy as Record<string, unknown>).enabled = false),
    ),
  ],
  [
    "the container registry accepting ARM-audience tokens",
    ["acr-arm-audience-token-disabled"],
    editResource(
      "azure-native:containerregistry:Registry",
      "amlprod-registry",
      (p) => ((p.policies as Record<string, unknown>).azureADAuthenticationAsArmPolicy = { status: "enabled" }),
    ),
  ],
  [
    "Log Analytics ingestion open to public networks beside its private link scope",
    ["monitoring-log-analytics-public-network-disabled", "stack-monitor-private-link-only"],
    editResource(
      "azure-native:operationalinsights:Workspace",
      "amlprod-monitoring-log",
      (p) => (p.publicNetworkAccessForIngestion = "Enabled"),
    ),
  ],
];

/** The mandatory rules, resource and stack, that report something on a view of the plan, sorted. */
async function mandatoryRules(plan: Plan, view: (plan: Plan) => Fixture): Promise<string[]> {
  const resourceRules = (await planViolations(plan, resourcePolicies, PROD_POLICY_CONFIG))
    .filter((v) => v.level === "mandatory" || v.level === "unknown")
    .map((v) => (v.level === "unknown" ? `${v.policy} (unknown)` : v.policy));
  const stackRules = Object.keys((await stackVerdict(view(plan), { environment: "prod" })).mandatory);
  return [...new Set([...resourceRules, ...stackRules])].sort();
}

describe("single-property weakenings of the real prod plan", () => {
  let plan: Plan;

  beforeAll(async () => {
    plan = await planStackFile("prod");
  });

  it.each([
    ["as deployed", planAsDeployed],
    ["in the platform's first preview", platformFirstPreview],
  ] as const)("are each caught by exactly the expected mandatory rules, %s", async (_, view) => {
    expect(await mandatoryRules(plan, view)).toEqual([]);
    for (const [weakening, rules, edit] of PROD_WEAKENINGS)
      expect(await mandatoryRules(edit(plan), view), weakening).toEqual([...rules].sort());
  });

  it("judge Azure Monitor private link in prod (it has a scope) and not in dev (none)", async () => {
    const dev = await planStackFile("dev");
    const outcome = async (p: Plan) =>
      (await stackVerdict(planAsDeployed(p), { environment: "prod" })).outcomes["stack-monitor-private-link-only"];
    expect(await outcome(plan)).toBe("violations");
    expect(await outcome(dev)).toBe("notApplicable");
  });
});

describe("the stack rules", () => {
  it("are at least 10, each documented, named stack-*, with config defaults for every config key", () => {
    expect(stackPolicies.length).toBeGreaterThanOrEqual(10);
    expect(new Set(stackPolicies.map((p) => p.name)).size).toBe(stackPolicies.length);
    for (const policy of stackPolicies) {
      expect(policy.name).toMatch(/^stack-[a-z0-9-]+$/);
      expect(policy.description.length).toBeGreaterThan(40);
      expect(policy.remediationSteps.length).toBeGreaterThan(40);
      expect(["mandatory", "advisory"]).toContain(policy.enforcementLevel);
      for (const [key, schema] of Object.entries(
        (policy.configSchema?.properties ?? {}) as Record<string, { default?: unknown }>,
      ))
        expect(schema.default, `${policy.name}.${key}`).toBeDefined();
    }
  });
});
