import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_ID_WIDTH, shortenArmId, shortenArmIdsIn } from "../../plan/terminal/armIds";
import { progress, setProgressOutput, SHOW_AFTER_MS } from "../../plan/terminal/progress";
import { collectRuntimeWarnings } from "../../plan/terminal/runtimeWarnings";
import { colorEnabled, terminalOf } from "../../plan/terminal/style";
import { fitColumns, renderTextTable } from "../../plan/terminal/table";
import { listWithin, truncateEnd, truncateMiddle, truncateWords, wrapLines, wrapText } from "../../plan/terminal/text";

/** The terminal helpers of `npm start`: id shortening, wrapping, table sizing, colour, progress. */

const SUB = "00000000-0000-0000-0000-000000000000";
const WORKSPACE_ID = `/subscriptions/${SUB}/resourceGroups/rg-amldev/providers/Microsoft.MachineLearningServices/workspaces/mlw-amldev`;
const noWrite = { write: () => undefined };
/** Carriage return and erase-to-end-of-line: how the status line is redrawn and removed. */
const ERASE = "\r\u001b[K";

describe("shortenArmId", () => {
  it("keeps the subscription's first characters and the resource's type and name", () => {
    expect(shortenArmId(WORKSPACE_ID)).toBe("/subscriptions/0000…/providers/…/workspaces/mlw-amldev");
  });

  it("keeps parent segments while they fit, and always the resource's own", () => {
    const subnet = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-amldev/subnets/snet-pe`;
    expect(shortenArmId(subnet, 80)).toBe(
      "/subscriptions/0000…/providers/…/virtualNetworks/vnet-amldev/subnets/snet-pe",
    );
    expect(shortenArmId(subnet)).toBe("/subscriptions/0000…/providers/…/subnets/snet-pe");
    const model = `${WORKSPACE_ID}/models/churn/versions/1`;
    expect(shortenArmId(model, DEFAULT_ID_WIDTH)).toBe("/subscriptions/0000…/providers/…/models/churn/versions/1");
  });

  it("shortens resource group and subscription ids, and leaves other text alone", () => {
    expect(shortenArmId(`/subscriptions/${SUB}/resourceGroups/rg-amldev`)).toBe(
      "/subscriptions/0000…/resourceGroups/rg-amldev",
    );
    expect(shortenArmId(`/subscriptions/${SUB}`)).toBe("/subscriptions/0000…");
    expect(shortenArmId("mlw-amldev")).toBe("mlw-amldev");
    expect(shortenArmId("/providers/Microsoft.Management/managementGroups/mg")).toBe(
      "/providers/Microsoft.Management/managementGroups/mg",
    );
  });

  it("shortens every id inside text, up to the quote or comma that ends it", () => {
    expect(shortenArmIdsIn(`{"id":"${WORKSPACE_ID}","other":"${WORKSPACE_ID}/computes/cpu"}`)).toBe(
      '{"id":"/subscriptions/0000…/providers/…/workspaces/mlw-amldev","other":"/subscriptions/0000…/providers/…/computes/cpu"}',
    );
  });
});

describe("text fitting", () => {
  it("truncates at the end or in the middle with an ellipsis", () => {
    expect(truncateEnd("abcdefghij", 5)).toBe("abcd…");
    expect(truncateEnd("abc", 5)).toBe("abc");
    expect(truncateMiddle("amldev-serving-endpoint-churn-blue", 16)).toBe("amlde…churn-blue");
    expect(truncateWords("is false: a deleted vault and its secrets", 30)).toBe("is false: a deleted vault and…");
    expect(truncateWords("key: averyveryverylongwordwithoutspaces", 20)).toBe("key: averyveryveryl…");
  });

  it("wraps at spaces, breaks a word longer than a line, and keeps line breaks", () => {
    expect(wrapText("the quick brown fox jumps", 10)).toEqual(["the quick", "brown fox", "jumps"]);
    expect(wrapText("id /subscriptions/0000/x", 10)).toEqual(["id /subscr", "iptions/00", "00/x"]);
    expect(wrapText("one\ntwo three", 20, { firstIndent: "- ", indent: "  " })).toEqual(["- one", "  two three"]);
    for (const line of wrapText("a ".repeat(40) + "x".repeat(50), 12, { indent: "    " }))
      expect(line.length).toBeLessThanOrEqual(12);
  });

  it("wraps only the lines that are too long, with a hanging indent", () => {
    expect(wrapLines("short\n  a long line of words", 12)).toBe("short\n  a long\n    line of\n    words");
  });

  it("lists whole items on at most N lines and counts the rest", () => {
    const items = ["alpha-policy", "beta-policy", "gamma-policy", "delta-policy", "epsilon-policy"];
    expect(listWithin("5 advisories:", items, 40, 2, "  ")).toEqual([
      "  5 advisories: alpha-policy,",
      "  beta-policy, gamma-policy +2 more",
    ]);
    expect(listWithin("2:", items.slice(0, 2), 40, 2, "  ")).toEqual(["  2: alpha-policy, beta-policy"]);
    expect(listWithin("5:", items, 100, 2, "  ")).toEqual([`  5: ${items.join(", ")}`]);
  });
});

describe("renderTextTable", () => {
  const rows = [
    ["amldev-workspace", "managed network Azure Firewall (Basic) for 15 FQDN rules", "$288.35"],
    ["amldev-registry", "Premium registry unit", "$50.70"],
    ["workspaceId", WORKSPACE_ID, ""],
  ];

  it("takes its natural width without a limit, ids shortened", () => {
    const text = renderTextTable(["resource", "item", "per month"], rows);
    expect(text).toContain(
      "│ amldev-workspace │ managed network Azure Firewall (Basic) for 15 FQDN rules │ $288.35   │",
    );
    expect(text).toContain("/subscriptions/0000…/providers/…/workspaces/mlw-amldev ");
  });

  it("wraps cells to fit a narrow width, losing no text", () => {
    const text = renderTextTable(["resource", "item", "per month"], rows, { width: 50 });
    const lines = text.split("\n");
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(50);
    expect(lines.length).toBeGreaterThan(rows.length + 4);
    // Short columns keep their width; the wrapped words are all there, in order.
    expect(text).toMatch(/│ \$288\.35 +│/);
    const items = lines.map((line) => line.split("│")[2]?.trim() ?? "").join(" ");
    expect(items.replace(/\s+/g, " ")).toContain("managed network Azure Firewall (Basic) for 15 FQDN rules");
  });

  it("shares the width evenly, then shares again what short-worded columns do not need", () => {
    expect(fitColumns([10, 20], 40)).toEqual([10, 20]);
    expect(fitColumns([11, 9, 60, 60], 60)).toEqual([11, 9, 20, 20]);
    // Even shares of 20; the second column's longest word is 8, so the 12 it does not need are
    // shared again in proportion to what each lacks (40 and 52): the first stops breaking words.
    expect(fitColumns([60, 60], 40, [30, 8])).toEqual([25, 15]);
  });
});

describe("terminal settings", () => {
  const tty = { write: () => undefined, isTTY: true, columns: 120 };

  it("colours only a terminal, and never with NO_COLOR set or TERM=dumb", () => {
    expect(colorEnabled({ stdout: tty, stderr: tty })).toBe(true);
    expect(colorEnabled({ stdout: noWrite, stderr: noWrite })).toBe(false);
    expect(colorEnabled({ stdout: tty, stderr: tty, env: { NO_COLOR: "1" } })).toBe(false);
    expect(colorEnabled({ stdout: tty, stderr: tty, env: { NO_COLOR: "" } })).toBe(true);
    expect(colorEnabled({ stdout: tty, stderr: tty, env: { TERM: "dumb" } })).toBe(false);
  });

  it("uses the terminal's width, 100 when none is reported, and shows progress only on a terminal's stderr", () => {
    const onTerminal = terminalOf({ stdout: tty, stderr: tty });
    expect(onTerminal).toMatchObject({ columns: 120, color: true, progress: tty });
    expect(onTerminal.colors.bold("x")).toBe("\u001b[1mx\u001b[22m");
    const piped = terminalOf({ stdout: noWrite, stderr: noWrite });
    expect(piped).toMatchObject({ columns: 100, color: false, progress: undefined });
    expect(piped.colors.bold("x")).toBe("x");
    expect(terminalOf({ stdout: { ...tty, columns: 20 }, stderr: tty }).columns).toBe(40);
  });
});

describe("progress", () => {
  afterEach(() => {
    setProgressOutput(undefined);
    vi.useRealTimers();
  });

  it("writes nothing without an output", () => {
    vi.useFakeTimers();
    const done = progress("planning");
    vi.advanceTimersByTime(5000);
    done();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("shows a status line only for work over a second, names what runs at once, and erases it when done", () => {
    vi.useFakeTimers();
    let written = "";
    setProgressOutput({ write: (text: string) => (written += text), columns: 80 });
    const quick = progress("quick step");
    vi.advanceTimersByTime(500);
    quick();
    expect(written).toBe("");

    const planning = progress("planning stack dev");
    const pack = progress("loading the policy pack");
    vi.advanceTimersByTime(SHOW_AFTER_MS + 1000);
    const lastStatus = () => written.split(ERASE).at(-1);
    expect(lastStatus()).toMatch(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] planning stack dev, loading the policy pack… 2 s$/);
    planning();
    expect(lastStatus()).toMatch(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] loading the policy pack… 2 s$/);
    pack();
    expect(written.endsWith(ERASE)).toBe(true);
    const before = written;
    vi.advanceTimersByTime(5000);
    expect(written).toBe(before);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("collectRuntimeWarnings", () => {
  it("collects the program's runtime warnings and passes other console.warn output through", async () => {
    const original = console.warn;
    const passed: unknown[][] = [];
    console.warn = (...args: unknown[]) => passed.push(args);
    try {
      const { result, warnings } = await collectRuntimeWarnings(() => {
        console.warn("warning: [runtime] secure-azureml:alerts: has no receivers");
        console.warn("something else", 42);
        return Promise.resolve("planned");
      });
      expect(result).toBe("planned");
      expect(warnings).toEqual(["secure-azureml:alerts: has no receivers"]);
      expect(passed).toEqual([["something else", 42]]);
      // On failure the collected warnings are written as before, and the error goes on.
      await expect(
        collectRuntimeWarnings(() => {
          console.warn("warning: [runtime] a: b");
          return Promise.reject(new Error("boom"));
        }),
      ).rejects.toThrow("boom");
      expect(passed.at(-1)).toEqual(["warning: [runtime] a: b"]);
    } finally {
      console.warn = original;
    }
  });
});
