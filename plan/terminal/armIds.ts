import { ELLIPSIS } from "./text";

/**
 * ARM ids shortened in the middle for the terminal, keeping what a reader looks for: the
 * subscription's first characters and the resource's own type and name, e.g.
 * `/subscriptions/0000…/providers/…/workspaces/mlw-amldev`. Ids in the plan JSON and the PR
 * report stay whole; this is display only.
 */

/** An ARM id inside free text: from `/subscriptions/` to the next space, quote, comma or closing bracket. */
const ARM_ID_IN_TEXT = /\/subscriptions\/[^\s"',)\]}]+/g;

/** Characters of the subscription id kept. */
const SUBSCRIPTION_PREFIX = 4;

/** Longest shortened id before fewer parent segments are kept (the last type and name are always kept). */
export const DEFAULT_ID_WIDTH = 64;

/**
 * The id shortened: the subscription id cut to its first characters, the resource group and
 * provider namespace replaced by `…`, and as many trailing type/name pairs kept as fit in
 * `maxWidth` (always at least the last one, the resource's own). Text that is not a
 * subscription-scoped ARM id is returned unchanged.
 */
export function shortenArmId(id: string, maxWidth = DEFAULT_ID_WIDTH): string {
  const segments = id.split("/").filter((segment) => segment !== "");
  if (segments[0]?.toLowerCase() !== "subscriptions" || segments.length < 2) return id;
  const subscription = segments[1];
  const head = `/subscriptions/${subscription.length > SUBSCRIPTION_PREFIX + 1 ? `${subscription.slice(0, SUBSCRIPTION_PREFIX)}${ELLIPSIS}` : subscription}`;
  const providers = segments.findIndex((segment) => segment.toLowerCase() === "providers");
  if (providers < 0) return `${head}${segments.length > 2 ? `/${segments.slice(2).join("/")}` : ""}`;
  // After `providers/<namespace>` come type/name pairs; the last pair names the resource itself.
  const pairs = segments.slice(providers + 2);
  if (pairs.length < 2) return `${head}/providers/${segments.slice(providers + 1).join("/")}`;
  let kept = 2;
  const render = (count: number) => `${head}/providers/${ELLIPSIS}/${pairs.slice(pairs.length - count).join("/")}`;
  while (kept + 2 <= pairs.length && render(kept + 2).length <= maxWidth) kept += 2;
  return render(kept);
}

/** Every ARM id in the text shortened (see `shortenArmId`). */
export function shortenArmIdsIn(text: string, maxWidth = DEFAULT_ID_WIDTH): string {
  return text.replace(ARM_ID_IN_TEXT, (id) => shortenArmId(id, maxWidth));
}
