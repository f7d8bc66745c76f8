import { editDistance } from "secure-azureml-facts";

/**
 * The accepted key an unknown key was most likely meant to be: the same key in another case, else
 * one at most two edits away (`netwrok` -> `network`); undefined when none is that close.
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  return known.find((k) => k.toLowerCase() === lower) ?? known.find((k) => editDistance(k.toLowerCase(), lower) <= 2);
}

/** `did you mean <key>? ` for an unknown key close to an accepted one; empty otherwise. */
export function didYouMean(key: string, known: readonly string[]): string {
  const close = closestKey(key, known);
  return close === undefined ? "" : `did you mean ${close}? `;
}
