import { beforeAll, describe, expect, it } from "vitest";
import { Plan } from "../../plan/contract";
import { planStackFile } from "../support/stack";
import { UNKNOWN } from "./support/harness";
import {
  BASE,
  MODES,
  Mode,
  ROLE,
  Spec,
  SUB,
  compliantSpecs,
  deterministicName,
  edit,
  idOf,
  render,
  roleDefinition,
  rule,
  runOn,
  violationsOfAll,
} from "./fixtures/stackResources";
import { Fixture } from "./fixtures/stackResources";
import { planAsDeployed, planAsFirstPreview } from "./fixtures/stackPlan";

/** Stack rules on identities and role assignments (policies/stack/identity.ts). */

const run = (name: string, specs: Spec[], mode: Mode = "known", config: Record<string, unknown> = {}) =>
  runOn(rule(name), render(specs, mode), config);
const onlyRule = async (specs: Spec[], mode: Mode = "known") => Object.keys(await violationsOfAll(render(specs, mode)));

/** Built-in role GUIDs the least-privilege cases use besides the fixture's (Microsoft Learn, "Azure built-in roles"). */
const ROLES = {
  ...ROLE,
  owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  userAccessAdministrator: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
  keyVaultAdministrator: "00482a5a-887f-4fb3-b363-3b7fe8e74483",
  blobDataOwner: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
  blobDataReader: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  metricsWriter: "635dd51f-9968-44d3-b7fb-6d9a6bd613ae",
  dataScientist: "f6c7c914-8db3-469d-8ca1-694a8f32e121",
  computeOperator: "e503ece1-11d0-4e8e-8e2c-7a6c3bf38815",
};
const DATA_SCIENTISTS = "7d3e1a52-3c4b-4f0e-9a61-0b5c2d8e4f11";
const READERS = "9c4d2e73-5f1a-4b8c-a2d6-3e7f1b0c9d33";
const EXTERNAL_APP = "44444444-dddd-4ddd-8ddd-000000000001";
const OTHER_REGISTRY = `/subscriptions/${SUB}/resourceGroups/rg-other/providers/Microsoft.MachineLearningServices/registries/mlr-shared`;
const CONTAINER = `${BASE}/Microsoft.Storage/storageAccounts/stml/blobServices/default/containers/azureml-blobstore-1`;

/** A role assignment spec (principal: a fixture reference or a literal id). */
const grant = (
  key: string,
  principal: Spec["props"][string],
  role: string,
  scope: Spec["props"][string],
  /** `null`: no principalType (the SDK sends User). */
  principalType: string | null = "ServicePrincipal",
): Spec => ({
  name: `ra-${key}`,
  type: "azure-native:authorization:RoleAssignment",
  props: {
    principalId: principal,
    ...(principalType === null ? {} : { principalType }),
    roleAssignmentName: deterministicName(key),
    roleDefinitionId: roleDefinition(role),
    scope,
  },
});
const principal = (ref: string) => ({ ref, attr: "principalId" as const });

/**
 * The fixture stack with the rest of the platform's documented grants: the endpoint identity
 * (recognised by its name, as the platform names it; no endpoint of the stack uses it), the
 * workspace identity's Key Vault and ML registry roles, the registry this stack creates, and the
 * reader and ML engineer personas.
 */
function platformSpecs(): Spec[] {
  return [
    ...compliantSpecs(),
    {
      name: "id-endpoints",
      type: "azure-native:managedidentity:UserAssignedIdentity",
      props: { resourceName: "id-ml-endpoints", resourceGroupName: { ref: "rg", attr: "name" } },
      id: `${BASE}/Microsoft.ManagedIdentity/userAssignedIdentities/id-ml-endpoints`,
      azureName: "id-ml-endpoints",
      principalId: "11111111-aaaa-4aaa-8aaa-000000000003",
    },
    {
      name: "mlr",
      type: "azure-native:machinelearningservices:Registry",
      props: { registryName: "mlr-ml", resourceGroupName: { ref: "rg", attr: "name" } },
      id: `${BASE}/Microsoft.MachineLearningServices/registries/mlr-ml`,
      azureName: "mlr-ml",
    },
    grant("endpoints-acrpull", principal("id-endpoints"), ROLES.acrPull, idOf("acr")),
    grant("endpoints-blob-reader", principal("id-endpoints"), ROLES.blobDataReader, idOf("storage")),
    grant("endpoints-metrics", principal("id-endpoints"), ROLES.metricsWriter, idOf("ws")),
    grant("endpoints-registry-read", principal("id-endpoints"), ROLES.reader, idOf("mlr")),
    grant("workspace-kv-admin", principal("id-workspace"), ROLES.keyVaultAdministrator, idOf("kv")),
    grant("workspace-kv-contributor", principal("id-workspace"), ROLES.contributor, idOf("kv")),
    grant("workspace-ml-registry", principal("id-workspace"), ROLES.contributor, idOf("mlr")),
    grant("workspace-approver", principal("id-workspace"), "b556d68e-0be0-4f35-a333-ad7ee1ce17ea", idOf("rg")),
    grant("readers", READERS, ROLES.reader, idOf("ws"), "Group"),
    grant("ml-engineers", "2b9f6c14-8e2d-4a7b-b3c5-6d1e0f9a8b22", ROLES.computeOperator, idOf("ws"), "Group"),
  ];
}

/** The platform specs with one more grant. */
const plus = (...extra: Spec[]) => [...platformSpecs(), ...extra];

describe("stack-identity-least-privilege", () => {
  const name = "stack-identity-least-privilege";

  it.each(MODES)(
    "passes every documented grant: workspace, compute and endpoint identities, personas (%s)",
    async (mode) => {
      expect(await run(name, compliantSpecs(), mode)).toEqual({ kind: "violations", messages: [] });
      expect(await run(name, platformSpecs(), mode)).toEqual({ kind: "violations", messages: [] });
    },
  );

  describe("workspace identity", () => {
    it("names a role that is no known built-in role by its GUID, as a role", async () => {
      const custom = "0d6f2a41-5b7e-4c38-9a1f-7e2c4b8d9f10";
      const specs = plus(grant("workspace-custom", principal("id-workspace"), custom, idOf("storage")));
      const outcome = await run(name, specs, "known");
      expect(outcome.kind === "violations" && outcome.messages.map((m) => m.split(": not a documented")[0])).toEqual([
        `RoleAssignment 'ra-workspace-custom' grants role ${custom} to workspace identity UserAssignedIdentity 'id-workspace' at "${BASE}/Microsoft.Storage/storageAccounts/stml"`,
      ]);
    });

    it.each(MODES)(
      "reports Owner on its storage account, naming identity, role, scope and what is allowed (%s)",
      async (mode) => {
        const specs = plus(grant("workspace-owner", principal("id-workspace"), ROLES.owner, idOf("storage")));
        const scope =
          mode === "known"
            ? `"${BASE}/Microsoft.Storage/storageAccounts/stml"`
            : "a scope built from StorageAccount 'storage'";
        expect(await run(name, specs, mode)).toEqual({
          kind: "violations",
          messages: [
            `RoleAssignment 'ra-workspace-owner' grants Owner (8e3af657-a8ff-443c-a75c-2fe8c4bcb635) to workspace identity UserAssignedIdentity 'id-workspace' at ${scope}: not a documented requirement of the workspace identity; allowed: Contributor on a storage account; Storage Blob Data Contributor on a storage account; Storage File Data Privileged Contributor on a storage account; Contributor on a Key Vault; Key Vault Administrator on a Key Vault; Contributor on a container registry; Contributor on an Application Insights component; Azure AI Enterprise Network Connection Approver on the resource group; Key Vault Crypto Service Encryption User on a Key Vault; Contributor on an Azure ML workspace; Reader on a private endpoint; Contributor on an Azure ML registry created by this stack; AzureML Registry User on an Azure ML registry.`,
          ],
        });
        expect(await onlyRule(specs, mode)).toEqual([name]);
      },
    );

    it.each(MODES)("reports Contributor at resource group scope (%s)", async (mode) => {
      const specs = plus(grant("workspace-rg", principal("id-workspace"), ROLES.contributor, idOf("rg")));
      expect(await run(name, specs, mode)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /^RoleAssignment 'ra-workspace-rg' grants Contributor \(b24988ac-6180-42a0-ab88-20f7382dd24c\) to workspace identity UserAssignedIdentity 'id-workspace' on resourceGroup scope \(.*\): documented only on a storage account or a Key Vault or a container registry or an Application Insights component or an Azure ML workspace or an Azure ML registry created by this stack; allowed: /,
          ),
        ],
      });
    });

    it("reports Contributor at subscription, management group and tenant root scope", async () => {
      for (const [scope, kind] of [
        [`/subscriptions/${SUB}`, "subscription"],
        ["/providers/Microsoft.Management/managementGroups/platform", "managementGroup"],
        ["/", "root"],
      ])
        expect(
          await run(name, plus(grant("workspace-broad", principal("id-workspace"), ROLES.contributor, scope))),
        ).toEqual({
          kind: "violations",
          messages: [expect.stringMatching(new RegExp(`grants Contributor .* on ${kind} scope \\(`))],
        });
    });

    it.each(MODES)(
      "reports Contributor on an ML registry this stack does not create (issue 10, R1) (%s)",
      async (mode) => {
        const specs = plus(
          grant("workspace-shared-registry", principal("id-workspace"), ROLES.contributor, OTHER_REGISTRY),
        );
        expect(await run(name, specs, mode)).toEqual({
          kind: "violations",
          messages: [
            expect.stringMatching(
              /^RoleAssignment 'ra-workspace-shared-registry' grants Contributor .* on ".*\/registries\/mlr-shared": documented only on .* an Azure ML registry created by this stack; allowed:/,
            ),
          ],
        });
      },
    );

    it("reports Contributor on a resource type no requirement names (a virtual network)", async () => {
      expect(
        await run(name, plus(grant("workspace-vnet", principal("id-workspace"), ROLES.contributor, idOf("vnet")))),
      ).toEqual({
        kind: "violations",
        messages: [expect.stringMatching(/grants Contributor .* on ".*virtualNetworks\/vnet-ml": documented only on/)],
      });
    });

    it("holds no privileged role once code runs as it (also a compute identity, by use or by config)", async () => {
      const shared = edit(platformSpecs(), "cpu", (s) => {
        s.props.identity = { type: "UserAssigned", userAssignedIdentities: [idOf("id-workspace")] };
      });
      const messages = (await run(name, shared)) as { messages: string[] };
      expect(messages.messages).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^RoleAssignment 'ra-workspace-storage' grants Contributor .* to workspace and compute identity UserAssignedIdentity 'id-workspace' .*: not a documented requirement of the workspace and compute identity/,
          ),
          expect.stringMatching(/'ra-workspace-kv-admin' grants Key Vault Administrator/),
        ]),
      );
      for (const named of ["id-workspace", `${BASE}/Microsoft.ManagedIdentity/userAssignedIdentities/id-workspace`])
        expect(
          (
            (await run(name, platformSpecs(), "known", { computeIdentities: [named] })) as { messages: string[] }
          ).messages.map((m) => m.split(" grants ")[0]),
        ).toEqual([
          "RoleAssignment 'ra-workspace-storage'",
          "RoleAssignment 'ra-workspace-self'",
          "RoleAssignment 'ra-workspace-kv-admin'",
          "RoleAssignment 'ra-workspace-kv-contributor'",
          "RoleAssignment 'ra-workspace-ml-registry'",
        ]);
    });
  });

  describe("compute identity", () => {
    it.each(MODES)("reports AcrPush on the registry, and only this rule (%s)", async (mode) => {
      const specs = edit(platformSpecs(), "ra-compute-acrpull", (s) => {
        s.props.roleDefinitionId = roleDefinition(ROLES.acrPush);
      });
      expect(await run(name, specs, mode)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /^RoleAssignment 'ra-compute-acrpull' grants AcrPush \(8311e382-0749-4cb8-b61a-304f252e45ec\) to compute identity UserAssignedIdentity 'id-compute' at .*: not a documented requirement of the compute identity; allowed: AzureML Data Scientist on an Azure ML workspace; Storage Queue Data Contributor on a storage account; Storage Table Data Contributor on a storage account; AcrPull on a container registry; Storage Blob Data Contributor on a storage account; AzureML Registry User on an Azure ML registry; Reader on an Azure ML registry\.$/,
          ),
        ],
      });
      expect(await onlyRule(specs, mode)).toEqual([name]);
    });

    it.each(MODES)("reports a data role at resource group scope, and Contributor on storage (%s)", async (mode) => {
      const broad = edit(platformSpecs(), "ra-compute-blob", (s) => {
        s.props.scope = idOf("rg");
      });
      expect(await run(name, broad, mode)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /grants Storage Blob Data Contributor .* to compute identity .* on resourceGroup scope .*: documented only on a storage account; allowed:/,
          ),
        ],
      });
      const contributor = edit(platformSpecs(), "ra-compute-blob", (s) => {
        s.props.roleDefinitionId = roleDefinition(ROLES.contributor);
      });
      expect(await run(name, contributor, mode)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /grants Contributor .* to compute identity .*: not a documented requirement of the compute identity/,
          ),
        ],
      });
    });

    it("follows a compute's system-assigned identity", async () => {
      const specs = [
        ...edit(platformSpecs(), "cpu", (s) => {
          s.props.identity = { type: "SystemAssigned" };
          s.principalId = "22222222-bbbb-4bbb-8bbb-000000000001";
        }),
        grant("cpu-push", { ref: "cpu", attr: "identity.principalId" }, ROLES.acrPush, idOf("acr")),
      ];
      for (const mode of MODES)
        expect(await run(name, specs, mode)).toEqual({
          kind: "violations",
          messages: [expect.stringMatching(/'ra-cpu-push' grants AcrPush .* to compute identity Compute 'cpu'/)],
        });
    });
  });

  describe("endpoint identity", () => {
    it.each(MODES)(
      "reports Contributor on the workspace for the identity named id-<prefix>-endpoints (%s)",
      async (mode) => {
        const specs = plus(grant("endpoints-contributor", principal("id-endpoints"), ROLES.contributor, idOf("ws")));
        expect(await run(name, specs, mode)).toEqual({
          kind: "violations",
          messages: [
            expect.stringMatching(
              /^RoleAssignment 'ra-endpoints-contributor' grants Contributor .* to endpoint identity UserAssignedIdentity 'id-endpoints' at .*: not a documented requirement of the endpoint identity; allowed: Storage Blob Data Contributor on a blob container; AcrPull on a container registry; Storage Blob Data Reader on a storage account; AzureML Metrics Writer on an Azure ML workspace; Reader on an Azure ML registry\.$/,
            ),
          ],
        });
      },
    );

    it("reports Storage Blob Data Contributor on the whole account (documented on the data collector's container only)", async () => {
      const account = plus(
        grant("endpoints-collect", principal("id-endpoints"), ROLES.blobDataContributor, idOf("storage")),
      );
      expect(await run(name, account)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /grants Storage Blob Data Contributor .* to endpoint identity .* on ".*storageAccounts\/stml": documented only on a blob container;/,
          ),
        ],
      });
      const container = plus(
        grant("endpoints-collect", principal("id-endpoints"), ROLES.blobDataContributor, CONTAINER),
      );
      expect(await run(name, container)).toEqual({ kind: "violations", messages: [] });
    });

    it("recognises an endpoint identity by the online endpoint using it, or by config", async () => {
      const renamed = (specs: Spec[]) =>
        edit(specs, "id-endpoints", (s) => {
          s.props.resourceName = "id-serving";
          s.azureName = "id-serving";
        });
      const extra = renamed(
        plus(grant("endpoints-owner", principal("id-endpoints"), ROLES.blobDataOwner, idOf("storage"))),
      );
      // Not recognised: only privileged roles are judged for an unrecognised identity.
      expect(await run(name, extra)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /grants Storage Blob Data Owner .* to the managed identity of UserAssignedIdentity 'id-endpoints' .*: it is no workspace identity/,
          ),
        ],
      });
      const reader = renamed(plus(grant("endpoints-reader", principal("id-endpoints"), ROLES.reader, idOf("storage"))));
      expect(await run(name, reader)).toEqual({ kind: "violations", messages: [] });
      const used = edit(reader, "ep", (s) => {
        s.props.identity = { type: "UserAssigned", userAssignedIdentities: [idOf("id-endpoints")] };
      });
      for (const [specs, config] of [
        [used, {}],
        [reader, { endpointIdentities: ["id-serving"] }],
      ] as const)
        expect(await run(name, specs, "known", config)).toEqual({
          kind: "violations",
          messages: [
            expect.stringMatching(
              /'ra-endpoints-reader' grants Reader .* to endpoint identity .* documented only on an Azure ML registry;/,
            ),
          ],
        });
    });
  });

  describe("people and other principals", () => {
    it.each(MODES)("reports Owner to a user on a single storage account (%s)", async (mode) => {
      const specs = plus(
        grant("alice-owner", "55555555-eeee-4eee-8eee-000000000001", ROLES.owner, idOf("storage"), "User"),
      );
      expect(await run(name, specs, mode)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /^RoleAssignment 'ra-alice-owner' grants Owner \(8e3af657-a8ff-443c-a75c-2fe8c4bcb635\) to User "55555555-eeee-4eee-8eee-000000000001" at .*: not a documented requirement of any persona \(people get persona roles only\); allowed: AzureML Data Scientist on an Azure ML workspace; Storage Blob Data Contributor on a storage account; Storage File Data Privileged Contributor on a storage account; AzureML Compute Operator on an Azure ML workspace; AzureML Registry User on an Azure ML registry; Reader on an Azure ML workspace\.$/,
          ),
        ],
      });
    });

    it("reports Contributor to a group at resource group scope, User Access Administrator to a foreign group, and Reader on the subscription with principalType absent", async () => {
      const cases: [Spec, RegExp][] = [
        [
          grant("group-rg", DATA_SCIENTISTS, ROLES.contributor, idOf("rg"), "Group"),
          /to Group "7d3e1a52-.*" at .*: not a documented requirement of any persona/,
        ],
        [
          grant(
            "foreign-uaa",
            "66666666-ffff-4fff-8fff-000000000001",
            ROLES.userAccessAdministrator,
            "/providers/Microsoft.Management/managementGroups/platform",
            "ForeignGroup",
          ),
          /grants User Access Administrator .* to ForeignGroup "66666666-.*" at "\/providers\/Microsoft.Management\/managementGroups\/platform": not a documented/,
        ],
        [
          grant("absent-reader", "77777777-aaaa-4aaa-8aaa-000000000001", ROLES.reader, `/subscriptions/${SUB}`, null),
          /grants Reader .* to principalType not set \(sent as User\) "77777777-.*" on subscription scope .*: documented only on an Azure ML workspace;/,
        ],
      ];
      for (const [spec, message] of cases)
        expect(await run(name, plus(spec))).toEqual({ kind: "violations", messages: [expect.stringMatching(message)] });
    });

    it("holds a group named in personaGroups to its persona's roles", async () => {
      const specs = plus(grant("readers-ds", READERS, ROLES.dataScientist, idOf("ws"), "Group"));
      expect(await run(name, specs)).toEqual({ kind: "violations", messages: [] });
      expect(
        await run(name, specs, "known", { personaGroups: { readers: [READERS], dataScientists: [DATA_SCIENTISTS] } }),
      ).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /'ra-readers-ds' grants AzureML Data Scientist .* to Group "9c4d2e73-.*" at .*: not a documented requirement of the readers persona; allowed: Reader on an Azure ML workspace\.$/,
          ),
        ],
      });
    });

    it.each(MODES)(
      "reports a privileged role to a service principal or device that is not the workspace identity (%s)",
      async (mode) => {
        const external = plus(grant("app-contributor", EXTERNAL_APP, ROLES.contributor, idOf("storage")));
        expect(await run(name, external, mode)).toEqual({
          kind: "violations",
          messages: [
            expect.stringMatching(
              /^RoleAssignment 'ra-app-contributor' grants Contributor .* to principalType "ServicePrincipal" "44444444-.*" at .*: not an identity of this stack, and only the workspace identity's documented requirements justify a privileged role; allowed: no privileged role\.$/,
            ),
          ],
        });
        const device = plus(grant("device-owner", EXTERNAL_APP, ROLES.blobDataOwner, idOf("storage"), "Device"));
        expect(await run(name, device, mode)).toEqual({
          kind: "violations",
          messages: [expect.stringMatching(/grants Storage Blob Data Owner .* to principalType "Device"/)],
        });
        const pull = plus(grant("app-pull", EXTERNAL_APP, ROLES.acrPull, idOf("acr")));
        expect(await run(name, pull, mode)).toEqual({ kind: "violations", messages: [] });
      },
    );
  });

  describe("unknown values", () => {
    it("cannot decide when the role is unknown", async () => {
      const specs = edit(platformSpecs(), "ra-compute-acrpull", (s) => {
        s.props.roleDefinitionId = UNKNOWN.string;
      });
      expect(await run(name, specs)).toEqual({ kind: "unknown" });
    });

    it("cannot decide a privileged grant whose principal is unknown and comes from no resource of the stack", async () => {
      const specs = plus(grant("computed-principal", UNKNOWN.string, ROLES.contributor, idOf("storage")));
      expect(await run(name, specs)).toEqual({ kind: "unknown" });
      const pull = plus(grant("computed-principal", UNKNOWN.string, ROLES.acrPull, idOf("acr")));
      expect(await run(name, pull)).toEqual({ kind: "violations", messages: [] });
    });

    it("cannot decide when a principal's type or a documented role's scope is unknown and untraced", async () => {
      const type = plus(grant("typeless", EXTERNAL_APP, ROLES.reader, idOf("ws"), UNKNOWN.string));
      expect(await run(name, type)).toEqual({ kind: "unknown" });
      const scope = edit(platformSpecs(), "ra-compute-blob", (s) => {
        s.props.scope = UNKNOWN.string;
      });
      expect(await run(name, scope)).toEqual({ kind: "unknown" });
    });

    it("cannot decide a group's persona when personaGroups is set and the principal id is unknown", async () => {
      const specs = plus(grant("computed-group", UNKNOWN.string, ROLES.reader, idOf("ws"), "Group"));
      expect(await run(name, specs)).toEqual({ kind: "violations", messages: [] });
      expect(await run(name, specs, "known", { personaGroups: { readers: [READERS] } })).toEqual({ kind: "unknown" });
    });
  });

  describe("on the shipped prod plan", () => {
    let plan: Plan;
    beforeAll(async () => {
      plan = await planStackFile("prod");
    });
    const views: [string, (p: Plan) => Fixture][] = [
      ["as deployed", planAsDeployed],
      ["in the first preview", planAsFirstPreview],
    ];
    const changed = (
      fixture: Fixture,
      nameIncludes: string,
      change: (props: Record<string, unknown>) => void,
    ): Fixture => ({
      ...fixture,
      resources: fixture.resources.map((r) => {
        if (r.type !== "azure-native:authorization:RoleAssignment" || !(r.name ?? "").includes(nameIncludes)) return r;
        const props = structuredClone(r.props);
        change(props);
        return { ...r, props };
      }),
    });
    const withRole = (guid: string) => (props: Record<string, unknown>) => {
      props.roleDefinitionId = String(props.roleDefinitionId).replace(/[0-9a-f-]{36}$/, guid);
    };

    it.each(views)(
      "is clean, and reports an extra role on each of the three identities and a persona (%s)",
      async (_, view) => {
        const fixture = view(plan);
        expect(await runOn(rule(name), fixture)).toEqual({ kind: "violations", messages: [] });
        const cases: [string, string, RegExp][] = [
          [
            "ra-endpoints-metrics-writer",
            ROLES.contributor,
            /to endpoint identity UserAssignedIdentity 'amlprod-identities-endpoints'/,
          ],
          [
            "ra-compute-acrpull",
            ROLES.acrPush,
            /to compute identity UserAssignedIdentity 'amlprod-identities-compute'/,
          ],
          [
            "ra-workspace-pe-blob-reader",
            ROLES.owner,
            /to workspace identity UserAssignedIdentity 'amlprod-identities-workspace'/,
          ],
          ["ra-readers-", ROLES.owner, /grants Owner .* to Group "9c4d2e73-5f1a-4b8c-a2d6-3e7f1b0c9d33"/],
        ];
        for (const [assignment, role, message] of cases)
          expect(await runOn(rule(name), changed(fixture, assignment, withRole(role)))).toEqual({
            kind: "violations",
            messages: [expect.stringMatching(message)],
          });
      },
    );

    it("reports the workspace identity's registry Contributor moved to a registry the stack does not create", async () => {
      const fixture = changed(planAsDeployed(plan), "ra-workspace-ml-registry-approver", (props) => {
        props.scope = OTHER_REGISTRY;
      });
      expect(await runOn(rule(name), fixture)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /grants Contributor .* to workspace identity .* on ".*mlr-shared": documented only on .*an Azure ML registry created by this stack/,
          ),
        ],
      });
    });
  });
});

describe("stack-identity-role-assignment-service-principal", () => {
  const name = "stack-identity-role-assignment-service-principal";

  it.each(MODES)("passes the compliant stack (identities ServicePrincipal, a group Group) (%s)", async (mode) => {
    expect(await run(name, compliantSpecs(), mode)).toEqual({ kind: "violations", messages: [] });
  });

  it.each(MODES)(
    "reports an identity's assignment without principalType (the SDK sends User), and only this rule (%s)",
    async (mode) => {
      const specs = edit(compliantSpecs(), "ra-compute-blob", (s) => {
        delete s.props.principalType;
      });
      expect(await run(name, specs, mode)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /^RoleAssignment 'ra-compute-blob' grants a role to the managed identity of UserAssignedIdentity 'id-compute' with principalType not set \(the SDK sends User\)/,
          ),
        ],
      });
      expect(await onlyRule(specs, mode)).toEqual([name]);
    },
  );

  it("reports principalType User, and covers system-assigned identities", async () => {
    const specs = [
      ...edit(compliantSpecs(), "ws", (s) => {
        s.props.identity = { type: "SystemAssigned,UserAssigned", userAssignedIdentities: [idOf("id-workspace")] };
        s.principalId = "33333333-cccc-4ccc-8ccc-000000000001";
      }),
      {
        name: "ra-ws-system",
        type: "azure-native:authorization:RoleAssignment",
        props: {
          principalId: { ref: "ws", attr: "identity.principalId" },
          principalType: "User",
          roleAssignmentName: "3ee0705f-7f29-5cdb-bce9-644ead3dfcf7",
          roleDefinitionId: roleDefinition(ROLE.blobDataContributor),
          scope: idOf("storage"),
        },
      } as Spec,
    ];
    for (const mode of MODES)
      expect(await run(name, specs, mode)).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(
            /'ra-ws-system' grants a role to the managed identity of Workspace 'ws' with principalType "User"/,
          ),
        ],
      });
  });

  it("matches the principal by known principal id", async () => {
    const specs = edit(compliantSpecs(), "ra-workspace-storage", (s) => {
      s.props.principalId = "11111111-aaaa-4aaa-8aaa-000000000001";
      s.props.principalType = "User";
    });
    expect(await run(name, specs)).toEqual({
      kind: "violations",
      messages: [expect.stringMatching(/UserAssignedIdentity 'id-workspace'/)],
    });
  });

  it("cannot decide when principalType is unknown", async () => {
    const specs = edit(compliantSpecs(), "ra-compute-blob", (s) => {
      s.props.principalType = UNKNOWN.string;
    });
    expect(await run(name, specs)).toEqual({ kind: "unknown" });
  });
});

describe("stack-role-assignment-deterministic-name", () => {
  const name = "stack-role-assignment-deterministic-name";

  it.each(MODES)("passes the compliant stack (name-based UUIDs) (%s)", async (mode) => {
    expect(await run(name, compliantSpecs(), mode)).toEqual({ kind: "violations", messages: [] });
  });

  it.each(MODES)("reports a missing roleAssignmentName, and only this rule (%s)", async (mode) => {
    const specs = edit(compliantSpecs(), "ra-data-scientists", (s) => {
      delete s.props.roleAssignmentName;
    });
    expect(await run(name, specs, mode)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /^RoleAssignment 'ra-data-scientists' has no roleAssignmentName: the provider picks a random GUID/,
        ),
      ],
    });
    expect(await onlyRule(specs, mode)).toEqual([name]);
  });

  it("reports a name that is not a GUID, and a random (v4) UUID unless rejectRandomUuids is off", async () => {
    const notGuid = edit(compliantSpecs(), "ra-compute-blob", (s) => {
      s.props.roleAssignmentName = "compute-blob";
    });
    expect(await run(name, notGuid)).toEqual({
      kind: "violations",
      messages: [expect.stringMatching(/has roleAssignmentName "compute-blob", which is not a GUID/)],
    });
    const random = edit(compliantSpecs(), "ra-compute-blob", (s) => {
      s.props.roleAssignmentName = "0f8fad5b-d9cb-469f-a165-70867728950e";
    });
    expect(await run(name, random)).toEqual({
      kind: "violations",
      messages: [expect.stringMatching(/a version-4 \(random\) UUID/)],
    });
    expect(await run(name, random, "known", { rejectRandomUuids: false })).toEqual({
      kind: "violations",
      messages: [],
    });
  });

  it("cannot decide when the name is unknown", async () => {
    const specs = edit(compliantSpecs(), "ra-compute-blob", (s) => {
      s.props.roleAssignmentName = UNKNOWN.string;
    });
    expect(await run(name, specs)).toEqual({ kind: "unknown" });
  });
});
