import { CronExpressionParser } from "cron-parser";

/**
 * Cron expressions for Azure ML schedules (`CronTrigger.expression`). Azure ML reads the five
 * standard fields `MINUTES HOURS DAYS MONTHS DAYS-OF-WEEK`, in UTC unless a time zone is given,
 * with restrictions (Microsoft, "Schedule machine learning pipeline jobs", cron expression):
 *
 *  - MINUTES: an integer or a list from 0 to 59; HOURS: an integer or a list from 0 to 23;
 *  - DAYS and MONTHS are not supported and are always treated as `*`;
 *  - DAYS-OF-WEEK: an integer or a list from 0 to 6 (0 = Sunday); day names are accepted.
 *
 * So an expression is accepted only in that subset (plus `*` in any field): anything else
 * (steps, ranges, `L`, `W`, `#`, `?`, macros such as `@daily`, a day of month) would be read
 * differently by Azure than it reads. cron-parser checks the syntax and value ranges and
 * computes the run times.
 */

export const CRON_FORMAT =
  "five fields MINUTES HOURS DAYS MONTHS DAYS-OF-WEEK in UTC, e.g. 0 3 * * 1 (03:00 every Monday)";

const LIST_OF_INTEGERS = /^\d{1,2}(,\d{1,2})*$/;
const DAY_NAME = "(sun|mon|tue|wed|thu|fri|sat|[0-6])";
const LIST_OF_DAYS = new RegExp(`^${DAY_NAME}(,${DAY_NAME})*$`, "i");

/** A range `a-b` written as the list Azure accepts: `1-5` -> `1,2,3,4,5` (numbers only). */
function rangeAsList(field: string): string | undefined {
  const match = /^(\d{1,2})-(\d{1,2})$/.exec(field);
  if (!match) return undefined;
  const [low, high] = [Number(match[1]), Number(match[2])];
  if (low > high) return undefined;
  return Array.from({ length: high - low + 1 }, (_, i) => String(low + i)).join(",");
}

function fieldProblem(name: string, field: string, accepted: RegExp, max: number): string | undefined {
  if (field === "*") return undefined;
  if (!accepted.test(field)) {
    const list = rangeAsList(field);
    const hint = list ? ` (write the range ${field} as the list ${list})` : "";
    return `its ${name} field ${field} is not accepted by Azure ML, which takes * or an integer or comma-separated list from 0 to ${max}${hint}`;
  }
  const numbers = field
    .split(",")
    .filter((part) => /^\d+$/.test(part))
    .map(Number);
  const tooBig = numbers.find((n) => n > max);
  return tooBig === undefined
    ? undefined
    : `its ${name} field has ${tooBig}, above ${max} (Azure ML accepts 0 to ${max})`;
}

/** Undefined when `expression` is a cron expression Azure ML schedules accept; otherwise what is wrong. */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (expression.trim() === "" || fields.length !== 5)
    return `must have ${CRON_FORMAT} (got ${expression.trim() === "" ? "nothing" : `${fields.length} field(s)`})`;
  try {
    CronExpressionParser.parse(fields.join(" "), { tz: "UTC" });
  } catch (error) {
    return `is not a valid cron expression (${(error as Error).message}); expected ${CRON_FORMAT}`;
  }
  const [minutes, hours, days, months, daysOfWeek] = fields;
  const problems = [
    fieldProblem("MINUTES", minutes, LIST_OF_INTEGERS, 59),
    fieldProblem("HOURS", hours, LIST_OF_INTEGERS, 23),
    days === "*"
      ? undefined
      : `its DAYS field ${days} is ignored by Azure ML (it always reads *): use * and pick weekdays in DAYS-OF-WEEK`,
    months === "*" ? undefined : `its MONTHS field ${months} is ignored by Azure ML (it always reads *): use *`,
    fieldProblem("DAYS-OF-WEEK", daysOfWeek, LIST_OF_DAYS, 6),
  ].filter((p): p is string => p !== undefined);
  return problems.length === 0 ? undefined : `${problems.join("; ")}; expected ${CRON_FORMAT}`;
}

/**
 * The longest time between two consecutive runs of an accepted expression, in hours (at most a
 * week, since Azure ML schedules repeat weekly at the longest), found by listing the runs of two
 * weeks in UTC. Undefined when the expression is not accepted.
 */
export function longestGapHours(expression: string): number | undefined {
  if (cronProblem(expression) !== undefined) return undefined;
  const start = new Date(Date.UTC(2026, 0, 5));
  const end = new Date(start.getTime() + 14 * 24 * 3600 * 1000);
  const runs = CronExpressionParser.parse(expression.trim(), { tz: "UTC", currentDate: start, endDate: end });
  const times: number[] = [];
  while (runs.hasNext()) times.push(runs.next().getTime());
  let longest = 0;
  for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i] - times[i - 1]);
  return longest / 3_600_000;
}
