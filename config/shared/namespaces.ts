import { editDistance } from "secure-azureml-facts";
import { ConfigIssue, shownValue } from "./errors";
import { PROJECT_NAMES } from "./projects";

/**
 * Stack file keys no program reads. Pulumi hands a program every key of its stack file, in every
 * namespace (`pulumi.runtime.allConfig()`), but a program reads only its project's namespace: a key
 * under a near miss of it (`secure-azurml:location`, `secure_azureml:tags`,
 * `secure-azureml-servng:endpoints`) or under the other layer's project would be silently ignored,
 * and the stack deployed with defaults in its place. Keys of other tools (`azure-native:location`)
 * are left alone.
 */

/** Namespaces this far (edit distance, case-insensitive) from a project's name are taken for typos of it. */
const NEAR_MISS_DISTANCE = 3;

/** Lowercase letters and digits only: `Secure_AzureML` and `secure-azureml` compare equal. */
function squashed(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** The project a namespace was meant to be, when it is a near miss of one; undefined otherwise. */
function intendedProject(namespace: string): string | undefined {
  const candidates = PROJECT_NAMES.map((project) => ({
    project,
    distance: Math.min(
      editDistance(namespace.toLowerCase(), project),
      squashed(namespace) === squashed(project) ? 0 : Infinity,
    ),
  }))
    .filter(({ distance }) => distance <= NEAR_MISS_DISTANCE)
    .sort((a, b) => a.distance - b.distance);
  return candidates[0]?.project;
}

/**
 * Keys of a program's flat config map (`<namespace>:<key>` -> string) that `project` never reads
 * but were meant for this repository: a near miss of a project's namespace, or the other layer's
 * namespace. Each names the key, its value, and the key to write instead.
 */
export function unreadKeyIssues(all: Record<string, string>, project: string): ConfigIssue[] {
  return Object.entries(all).flatMap(([fullKey, value]): ConfigIssue[] => {
    const separator = fullKey.indexOf(":");
    if (separator < 0) return [];
    const namespace = fullKey.slice(0, separator);
    const key = fullKey.slice(separator + 1);
    if (namespace === project) return [];
    const intended = (PROJECT_NAMES as readonly string[]).includes(namespace) ? namespace : intendedProject(namespace);
    if (intended === undefined) return [];
    const message =
      intended === project
        ? `is never read: its namespace "${namespace}" is not the project's "${project}", so Pulumi passes it to no program and the setting would be silently ignored; write it as ${project}:${key}`
        : `is never read here: ${intended === namespace ? "" : `"${namespace}" looks like "${intended}", `}the ${intended} project's namespace, which this ${project} stack does not read; ${
            intended === PROJECT_NAMES[0]
              ? `platform keys go in the root Pulumi.<stack>.yaml as ${PROJECT_NAMES[0]}:${key}`
              : `serving keys go in serving/Pulumi.<stack>.yaml as ${PROJECT_NAMES[1]}:${key}`
          }`;
    return [{ key: fullKey, value: shownValue(value), message }];
  });
}
