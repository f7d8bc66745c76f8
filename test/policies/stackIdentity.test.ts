import { describe, expect, it } from "vitest";
import { UNKNOWN } from "./support/harness";
import {
  MODES,
  Mode,
  ROLE,
  Spec,
  SUB,
  compliantSpecs,
  edit,
  idOf,
  render,
  roleDefinition,
  rule,
  runOn,
  violationsOfAll,
} from "./fixtures/stackResources";

/** Stack rules on identities and role assignments (policies/stack/identity.ts). */

const run = (name: string, specs: Spec[], mode: Mode = "known", config: Record<string, unknown> = {}) =>
  runOn(rule(name), render(specs, mode), config);
const onlyRule = async (specs: Spec[], mode: Mode = "known") => Object.keys(await violationsOfAll(render(specs, mode)));

describe("stack-compute-identity-least-privilege", () => {
  const name = "stack-compute-identity-least-privilege";

  it.each(MODES)("passes the compliant stack (AcrPull on the registry, a data role on storage) (%s)", async (mode) => {
    expect(await run(name, compliantSpecs(), mode)).toEqual({ kind: "violations", messages: [] });
  });

  it.each(MODES)("reports AcrPush on the registry, and only this rule (%s)", async (mode) => {
    const specs = edit(compliantSpecs(), "ra-compute-acrpull", (s) => {
      s.props.roleDefinitionId = roleDefinition(ROLE.acrPush);
    });
    expect(await run(name, specs, mode)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /^RoleAssignment 'ra-compute-acrpull' grants AcrPush \(8311e382-.*\) to compute identity UserAssignedIdentity 'id-compute': on a container registry \(.*\) only AcrPull \(7f951dda-4ed3-4680-a7ca-43fe172d538d\) is allowed/,
        ),
      ],
    });
    expect(await onlyRule(specs, mode)).toEqual([name]);
  });

  it.each(MODES)("reports any role at resource group scope (%s)", async (mode) => {
    const specs = edit(compliantSpecs(), "ra-compute-blob", (s) => {
      s.props.scope = idOf("rg");
    });
    expect(await run(name, specs, mode)).toEqual({
      kind: "violations",
      messages: [expect.stringMatching(/grants Storage Blob Data Contributor .* it is granted at resourceGroup scope/)],
    });
  });

  it("reports AcrPull at subscription scope, and Contributor on a storage account", async () => {
    const subscription = edit(compliantSpecs(), "ra-compute-acrpull", (s) => {
      s.props.scope = `/subscriptions/${SUB}`;
    });
    expect(await run(name, subscription)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(/grants AcrPull .* it is granted at subscription scope \(\/subscriptions\/0000/),
      ],
    });
    const contributor = edit(compliantSpecs(), "ra-compute-blob", (s) => {
      s.props.roleDefinitionId = roleDefinition(ROLE.contributor);
    });
    expect(await run(name, contributor)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /grants Contributor .*: Contributor \(b24988ac-.*\) is a forbidden role for compute identities/,
        ),
      ],
    });
  });

  it("follows a compute's system-assigned identity", async () => {
    const specs = [
      ...edit(compliantSpecs(), "cpu", (s) => {
        s.props.identity = { type: "SystemAssigned" };
        s.principalId = "22222222-bbbb-4bbb-8bbb-000000000001";
      }),
      {
        name: "ra-cpu-push",
        type: "azure-native:authorization:RoleAssignment",
        props: {
          principalId: { ref: "cpu", attr: "identity.principalId" },
          principalType: "ServicePrincipal",
          roleAssignmentName: "3ee0705f-7f29-5cdb-bce9-644ead3dfcf7",
          roleDefinitionId: roleDefinition(ROLE.acrPush),
          scope: idOf("acr"),
        },
      } as Spec,
    ];
    for (const mode of MODES)
      expect(await run(name, specs, mode)).toEqual({
        kind: "violations",
        messages: [expect.stringMatching(/'ra-cpu-push' grants AcrPush .* to compute identity Compute 'cpu'/)],
      });
  });

  it("treats identities named in computeIdentities as compute identities (computes created outside the stack)", async () => {
    // The workspace identity holds Contributor on storage: fine for it, not for a compute identity.
    expect(await run(name, compliantSpecs())).toEqual({ kind: "violations", messages: [] });
    for (const named of [
      "id-workspace",
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-workspace",
    ]) {
      expect(await run(name, compliantSpecs(), "known", { computeIdentities: [named] })).toEqual({
        kind: "violations",
        messages: [
          expect.stringMatching(/'ra-workspace-storage' grants Contributor/),
          expect.stringMatching(/'ra-workspace-self' grants Contributor/),
        ],
      });
    }
  });

  it("takes the allowed registry roles from config", async () => {
    const specs = edit(compliantSpecs(), "ra-compute-acrpull", (s) => {
      s.props.roleDefinitionId = roleDefinition(ROLE.acrPush);
    });
    expect(await run(name, specs, "known", { allowedRegistryRoleIds: [ROLE.acrPull, ROLE.acrPush] })).toEqual({
      kind: "violations",
      messages: [],
    });
  });

  it("cannot decide when the role is unknown", async () => {
    const specs = edit(compliantSpecs(), "ra-compute-acrpull", (s) => {
      s.props.roleDefinitionId = UNKNOWN.string;
    });
    expect(await run(name, specs)).toEqual({ kind: "unknown" });
  });

  it("cannot decide when a broad grant's principal is unknown and comes from no resource of the stack", async () => {
    const specs = edit(compliantSpecs(), "ra-compute-acrpull", (s) => {
      s.props.principalId = UNKNOWN.string;
      s.props.roleDefinitionId = roleDefinition(ROLE.acrPush);
    });
    expect(await run(name, specs, "unknown")).toEqual({ kind: "unknown" });
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
