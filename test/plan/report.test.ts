import { beforeAll, describe, expect, it } from "vitest";
import { Plan } from "../../plan/contract";
import { estimateCost } from "../../plan/cost/estimate";
import { CostEstimate } from "../../plan/cost/types";
import { renderMermaid, roleName } from "../../plan/diagram/mermaid";
import { DeployTimeEstimate, estimateDeployTime } from "../../plan/deployTime/estimate";
import { renderMarkdownReport } from "../../plan/report/markdown";
import { PolicySummary } from "../../plan/policy/report";
import { planStackFile } from "../support/stack";

/** End to end on the shipped dev stack: the real program, planned once, then cost, deploy time, diagram and the report. */
describe("PR report of the dev stack", () => {
  let plan: Plan;
  let cost: CostEstimate;
  let deployTime: DeployTimeEstimate;
  let report: string;

  beforeAll(async () => {
    plan = await planStackFile("dev");
    cost = await estimateCost(plan, { prices: "bundled" });
    deployTime = estimateDeployTime(plan);
    report = renderMarkdownReport(plan, { cost, deployTime, source: "Pulumi.dev.yaml" });
  });

  it("prices every private endpoint, DNS zone and the Premium registry of the plan as fixed idle cost", () => {
    const byType = (type: string) => cost.resources.filter((r) => r.type === type);
    const endpoints = plan.resources.filter((r) => r.type === "azure-native:network:PrivateEndpoint");
    expect(byType("azure-native:network:PrivateEndpoint").map((r) => r.fixedMonthly)).toEqual(endpoints.map(() => 7.3));
    const zones = plan.resources.filter((r) => r.type === "azure-native:privatedns:PrivateZone");
    expect(byType("azure-native:privatedns:PrivateZone")).toHaveLength(zones.length);
    expect(byType("azure-native:containerregistry:Registry")[0].items[0]).toMatchObject({
      label: "Premium registry unit",
      quote: { region: "westeurope" },
    });
    // dev allows FQDN destinations (package mirrors), so the managed network has a firewall: Basic in dev
    // (workspace.outbound.firewallSku), $0.395/h in the bundled prices.
    const workspace = byType("azure-native:machinelearningservices:Workspace")[0];
    expect(
      workspace.items
        .filter((i) => i.kind === "fixed" && i.label.startsWith("managed network Azure Firewall"))
        .map((i) => [i.label, i.monthly]),
    ).toEqual([["managed network Azure Firewall (Basic) for 15 FQDN rules", 288.35]]);
    expect(cost.totalFixedMonthly).toBeGreaterThan(288.35);
  });

  it("has the managed network on the critical path of a cold deploy", () => {
    expect(deployTime.totalMinutes).toBeGreaterThanOrEqual(43);
    expect(deployTime.criticalPath.map((s) => s.type)).toContain("azure-native:machinelearningservices:Workspace");
    expect(deployTime.resourceCount).toBe(plan.resources.filter((r) => r.custom).length);
  });

  it("lists every role assignment in the table beside the diagram, with its role name and why", () => {
    const assignments = plan.resources.filter((r) => r.type === "azure-native:authorization:RoleAssignment");
    expect(report).toContain(`### Role assignments (${assignments.length})\n\n| principal | role | scope | why |`);
    const table = report.slice(report.indexOf("### Role assignments")).split("\n\n")[1].split("\n");
    const rows = table.slice(2);
    expect(rows).toHaveLength(assignments.length);
    expect(report).toContain(
      "| id-amldev-endpoints (managed identity) | AcrPull | cramldevsmadh (container registry) | Deployments pull their inference image from the workspace registry. |",
    );
    expect(report).toContain(
      "| ml-engineers (Entra group 2b9f6c14) | AzureML Compute Operator | mlw-amldev-smadh (workspace) | ML engineers create, scale and delete compute. |",
    );
    // No role is drawn as an edge.
    const diagram = renderMermaid(plan);
    for (const role of new Set(assignments.map((a) => roleName(a.inputs.roleDefinitionId))))
      expect(diagram).not.toContain(`|"${role}"|`);
  });

  it("is PR-ready markdown: title, summary, policy, cost, deploy time and a Mermaid diagram", () => {
    expect(report.startsWith("## Offline plan of `secure-azureml` stack `dev` (Pulumi.dev.yaml)\n")).toBe(true);
    const custom = plan.resources.filter((r) => r.custom);
    expect(report).toContain(
      `| resources \`pulumi up\` would create | ${custom.length} (0 protected) in ${plan.resources.length - custom.length} components |`,
    );
    expect(report).toContain("| region | westeurope |");
    expect(report).toContain("| policy | not run |");
    expect(report).toContain(`| cold deploy | about ${Math.ceil(deployTime.totalMinutes)} min |`);
    expect(report).toContain("### Policy verdict\n\nNo policy check was run for this report.");
    expect(report).toContain("### Cost estimate");
    expect(report).toContain("### Deploy-time estimate");
    const mermaid = /```mermaid\n([\s\S]*?)\n```/.exec(report);
    expect(mermaid?.[1]).toBe(renderMermaid(plan));
    expect(report.indexOf("### Policy verdict")).toBeLessThan(report.indexOf("### Cost estimate"));
    expect(report.indexOf("### Cost estimate")).toBeLessThan(report.indexOf("### Deploy-time estimate"));
    expect(report.indexOf("### Deploy-time estimate")).toBeLessThan(report.indexOf("### Architecture"));
    expect(report.indexOf("### Architecture")).toBeLessThan(report.indexOf("### Role assignments"));
  });

  it("renders a policy verdict and its violations, mandatory first, when given", () => {
    const policy: PolicySummary = {
      verdict: "FAILED: 1 mandatory violation",
      violations: [
        {
          policy: "storage-min-tls",
          enforcementLevel: "advisory",
          urn: plan.resources.find((r) => r.type === "azure-native:storage:StorageAccount")?.urn ?? "",
          message: "Storage accounts require TLS 1.2.\nminimumTlsVersion is TLS1_0; set it to TLS1_2.",
        },
        {
          policy: "registry-no-admin",
          enforcementLevel: "mandatory",
          urn: plan.resources.find((r) => r.type === "azure-native:containerregistry:Registry")?.urn ?? "",
          message: "Registries must not enable the admin user.",
        },
      ],
    };
    const withPolicy = renderMarkdownReport(plan, { cost, deployTime, policy });
    expect(withPolicy).toContain("| policy | FAILED: 1 mandatory violation |");
    expect(withPolicy).toContain("**FAILED: 1 mandatory violation**");
    const rows = withPolicy.split("\n").filter((l) => l.startsWith("| mandatory |") || l.startsWith("| advisory |"));
    expect(rows).toEqual([
      "| mandatory | registry-no-admin | amldev-registry | Registries must not enable the admin user. |",
      // The finding after the policy's description; a one-line message is shown whole.
      "| advisory | storage-min-tls | amldev-storage | minimumTlsVersion is TLS1_0; set it to TLS1_2. |",
    ]);
  });
});
