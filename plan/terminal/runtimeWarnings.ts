import { format } from "node:util";

/**
 * The warnings a Pulumi program logs while it is planned offline. With no engine attached (the
 * mock runtime), `pulumi.log.warn` writes `warning: [runtime] <message>` through `console.warn`
 * (@pulumi/pulumi log/index.js); the program's config warnings arrive that way. They are collected
 * here so the summary can count them and `--details warnings` can print them whole, instead of
 * scrolling past on stderr. Anything else written to `console.warn` passes through.
 */

const RUNTIME_WARNING = "warning: [runtime] ";

/** Runs `body` collecting the runtime warnings it logs; on failure they are written out as before. */
export async function collectRuntimeWarnings<T>(body: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    const text = format(...args);
    if (text.startsWith(RUNTIME_WARNING)) warnings.push(text.slice(RUNTIME_WARNING.length));
    else original(...args);
  };
  try {
    return { result: await body(), warnings };
  } catch (error) {
    for (const warning of warnings) original(`${RUNTIME_WARNING}${warning}`);
    throw error;
  } finally {
    console.warn = original;
  }
}
