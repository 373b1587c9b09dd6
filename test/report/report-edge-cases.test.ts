/**
 * Edge cases of report.md, junit.xml, --shard and report merge: hostile titles and errors, any shard
 * count, overlapping and missing shards.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderJunit } from "../../src/report/junit.ts";
import { renderReport } from "../../src/report/markdown.ts";
import { mergeRuns } from "../../src/report/merge.ts";
import { buildSummary } from "../../src/report/summary.ts";
import type { RunSummary, TaskResult } from "../../src/report/types.ts";
import { inShard, parseShard, shardOf } from "../../src/run/shard.ts";
import { removeDir } from "../helpers/repo.ts";

/** A stop reason of each status, for results whose reason does not matter. */
const REASON = { succeeded: "completed", failed: "checks_failed", limit_exceeded: "max_turns", error: "provider_error", interrupted: "interrupted" } as const;

const task = (id: string, status: TaskResult["status"], extra: Partial<TaskResult> = {}): TaskResult => ({
  id, status, stop_reason: REASON[status], expect: "changes", provider: "p", model: "m", turns: 1, requests: 1, tokens: { input: 10, output: 5, cached: 0, estimated: false },
  cost_usd: 0.25, duration_ms: 1500, denials: 0, denied_calls: [], attempts: 1, checks: [], files_changed: [], patch: `tasks/${id}/patch.diff`, ...extra,
});

const START = new Date("2026-01-01T00:00:00.000Z");
const summaryOf = (tasks: TaskResult[], runId = "r1", extra: Partial<RunSummary> = {}): RunSummary => ({
  ...buildSummary({ runId, startedAt: START, endedAt: new Date(START.getTime() + 3000), base: "0123456789abcdef", policy: "built-in" }, tasks),
  ...extra,
});

/** The cells of a GFM table row: split on pipes that are not backslash-escaped. */
function cells(row: string): string[] {
  return row.replace(/^\|/, "").replace(/\|$/, "").split(/(?<!\\)\|/);
}

/** Every table in the text: each row must be one line starting and ending with a pipe, with the header's cell count. */
function expectTablesIntact(markdown: string): void {
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!/^\| ?---/.test(lines[i + 1] ?? "")) continue;
    const width = cells(lines[i] ?? "").length;
    let j = i + 2;
    for (; j < lines.length && (lines[j] ?? "") !== ""; j++) {
      expect(lines[j], `table row ${j}: ${lines[j]}`).toMatch(/^\|.*\|$/);
      expect(cells(lines[j] ?? "").length, `cells of row: ${lines[j]}`).toBe(width);
    }
  }
}

const python = (() => {
  try {
    execFileSync("python3", ["-c", "import xml.dom.minidom"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** junit.xml parsed by a strict XML 1.0 parser (expat); returns the error messages' attribute values. */
function parseXml(xml: string): string[] {
  const script = "import sys,json,xml.dom.minidom as m\nd=m.parseString(sys.stdin.buffer.read())\nprint(json.dumps([e.getAttribute('message') for e in d.getElementsByTagName('*') if e.tagName in ('failure','error')]))";
  return JSON.parse(execFileSync("python3", ["-c", script], { input: Buffer.from(xml, "utf8") }).toString()) as string[];
}

const NASTY = [
  "control \u0000\u0001\u0008\u000b\u000c\u001b\u001f end",
  "cdata ]]> and <![CDATA[ x ]]>",
  `quotes "double" 'single' & amp &amp; &#0; <tag attr="x">`,
  "unicode é 漢字 😀 \u2028 \u0085 lone \ud800 \udfff \ufffe \uffff",
  "lines\r\nwith\ttabs\rand\nnewlines",
];

describe("junit.xml: valid XML for any id, title and error", () => {
  it.skipIf(!python)("parses with a strict XML parser and keeps the readable text", () => {
    const tasks = [
      ...NASTY.map((error, i) => task(`t-${i}.x_y`, i % 2 === 0 ? "error" : "failed", { error, title: error })),
      task("check", "failed", { checks: [{ name: NASTY.join(" "), passed: false, exit_code: 2, timed_out: false, duration_ms: 3, log: "tasks/check/checks/1-x.log" }] }),
      task("ok", "succeeded", { title: NASTY.join(" ") }),
    ];
    const xml = renderJunit(summaryOf(tasks, 'run "1" <&>'), ["missing-1"]);
    const messages = parseXml(xml);
    expect(messages).toHaveLength(NASTY.length + 2);
    expect(messages[1]).toContain("cdata ]]> and <![CDATA[ x ]]>");
    expect(messages[2]).toContain(`quotes "double" 'single' & amp &amp; &#0; <tag attr="x">`);
    expect(messages[3]).toContain("unicode é 漢字 😀");
    expect(messages[4]).toBe("lines\r\nwith\ttabs\rand\nnewlines");
  });

  it("holds no character XML 1.0 forbids, and counts each task once", () => {
    const tasks = NASTY.map((error, i) => task(`t${i}`, "error", { error }));
    const xml = renderJunit(summaryOf(tasks), ["m1", "m2"]);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
    expect(xml).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    expect(xml).toContain('tests="7" failures="0" errors="7"');
    expect(xml.match(/<testcase /g)).toHaveLength(7);
  });
});

describe("report.md: titles and errors cannot break it", () => {
  it("a title or error with |, backticks, newlines keeps every table row on one line with the right cells", () => {
    const report = renderReport(
      summaryOf([
        task("pipes", "failed", { title: "a | b || `c | d` e", error: "x | y\n| --- |\n`z`" }),
        task("ticks", "succeeded", { title: "``code`` and ` lone" }),
        task("denied", "failed", {
          denials: 1,
          denied_calls: [{ tool: "run_command", subject: "cat a | grep `b`\nrm -rf /", reason: "no | way\nat all", rule: "commands.deny[0]" }],
        } as Partial<TaskResult>),
      ]),
    );
    expectTablesIntact(report);
    expect(report).toContain("- **pipes** (failed, checks_failed): x | y | --- | `z`");
  });

  it("a title with a newline stays in its table row", () => {
    const report = renderReport(summaryOf([task("multi", "succeeded", { title: "first line\nsecond | line" })]));
    expectTablesIntact(report);
    expect(report.split("\n").filter((line) => line.startsWith("| multi"))).toHaveLength(1);
  });

  it("a check whose name is a multi-line command (run: | without name) stays in its table row", () => {
    const report = renderReport(
      summaryOf([
        task("checks", "failed", { checks: [{ name: "npm ci\nnpm test -- --reporter=dot", passed: false, exit_code: 1, timed_out: false, duration_ms: 5, log: "tasks/checks/checks/1-npm-ci.log" }] }),
      ]),
    );
    expectTablesIntact(report);
  });

  it("escapes for the context: a code span shows & and < as written, the text around it has them escaped", () => {
    const report = renderReport(
      summaryOf([
        task("denied", "failed", {
          error: "`a && b <c>` refused & <stopped>",
          denials: 1,
          denied_calls: [{ tool: "run_command", subject: "make && make install", reason: "`make install` is not allowed: `x && y`, not <this>", rule: "commands.deny[0]" }],
          violations: [{ by: "cp a b && rm <c>", path: "x&y", rule: "paths.protect[0]" }],
        } as Partial<TaskResult>),
      ]),
    );
    expect(report).toContain("- **denied** (failed, checks_failed): `a && b <c>` refused &amp; &lt;stopped&gt;");
    expect(report).toContain("| denied | run_command | `make && make install` | `commands.deny[0]` | `make install` is not allowed: `x && y`, not &lt;this&gt; |");
    expect(report).toContain("| denied | `cp a b && rm <c>` | `x&y` | `paths.protect[0]` |");
    expect(report).not.toContain("&amp;&amp;");
  });

  it("HTML in a title or error is shown as text, not passed to the renderer as markup", () => {
    const report = renderReport(
      summaryOf([task("html", "failed", { title: "Use Array<string> in </table> <img src=x>", error: "expected <path> but got <!-- nothing" })]),
    );
    expect(report).not.toContain("<string>");
    expect(report).not.toContain("</table>");
    expect(report).not.toContain("<img");
    expect(report).not.toContain("<path>");
    expect(report).not.toContain("<!--");
  });

  it("notes the folders a task made into git repositories of their own, which no patch holds, their names as code", () => {
    const report = renderReport(summaryOf([task("scaffold", "succeeded", { nested_repositories: ["app", "we`ird"] }), task("plain", "succeeded")]));
    expect(report).toContain("> **Note: tasks made git repositories of their own** (scaffold (`app`, ``we`ird``)): a patch cannot carry them, so their files are in no patch.");
  });
});

describe("--shard: disjoint shards that cover the batch for any n", () => {
  const ids = [
    "a", "b", "task-1", "task-01", "x.y", "_", "-", "Z9", "a..b".replace("..", "."), "very-long-".repeat(20) + "id",
    ...Array.from({ length: 300 }, (_, i) => `t${i}`),
  ];

  it("every id falls in exactly one shard i of n, for n = 1..50", () => {
    for (let n = 1; n <= 50; n++) {
      for (const id of ids) {
        const owners = Array.from({ length: n }, (_, i) => i + 1).filter((index) => inShard(id, { index, count: n }));
        expect(owners, `${id} with n=${n}`).toEqual([shardOf(id, n)]);
      }
    }
  });

  it("parses i/n with spaces and refuses anything else", () => {
    expect(parseShard("2/4")).toEqual({ index: 2, count: 4 });
    expect(parseShard(" 1 / 1 ")).toEqual({ index: 1, count: 1 });
    expect(parseShard("50/50")).toEqual({ index: 50, count: 50 });
    expect(parseShard(undefined)).toBeUndefined();
    expect(parseShard("")).toBeUndefined();
    for (const bad of ["0/4", "5/4", "1/0", "0/0", "-1/4", "1.5/4", "1/4/8", "a/b", "2", "/4", "1/", "1of4"]) {
      expect(() => parseShard(bad), bad).toThrow(/--shard: expected i\/n/);
    }
  });
});

describe("report merge", () => {
  const root = mkdtempSync(join(tmpdir(), "nanocoder-test-merge-edge-"));
  afterAll(() => removeDir(root));
  let n = 0;

  /** A run folder as a shard writes it. */
  function runFolder(tasks: TaskResult[], planned: string[], runId: string, extra: Partial<RunSummary> = {}): string {
    const dir = join(root, `run-${++n}`);
    for (const t of tasks) {
      mkdirSync(join(dir, "tasks", t.id), { recursive: true });
      writeFileSync(join(dir, "tasks", t.id, "patch.diff"), `+${t.id}\n`);
    }
    writeFileSync(join(dir, "summary.json"), JSON.stringify({ ...summaryOf(tasks, runId), planned_tasks: planned, ...extra }));
    return dir;
  }

  const planned = ["a", "b", "c", "d", "e"];
  const hostile = { title: "A | `b` <i>\nc", error: "boom ]]> \u0001 \"q\"" };

  it("joins disjoint shards: each task once, totals and cost added, junit valid", async () => {
    const one = runFolder([task("a", "succeeded"), task("c", "failed", hostile)], planned, "s1");
    const two = runFolder([task("b", "succeeded", { cost_usd: 0.5 }), task("d", "succeeded"), task("e", "error", hostile)], planned, "s2");
    const out = join(root, "merged-ok");
    const { summary, missing } = await mergeRuns([one, two], out, "m1");
    expect(missing).toEqual([]);
    expect(summary.tasks.map((t) => t.id)).toEqual(planned);
    expect(summary.totals).toMatchObject({ tasks: 5, succeeded: 3, failed: 1, error: 1, cost_usd: 1.5 });
    const cost = JSON.parse(readFileSync(join(out, "cost.json"), "utf8")) as { totals: { cost_usd: number } };
    expect(cost.totals.cost_usd).toBe(1.5);
    const junit = readFileSync(join(out, "junit.xml"), "utf8");
    expect(junit).toContain('tests="5" failures="1" errors="1"');
    if (python) expect(parseXml(junit)).toHaveLength(2);
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("3 of 5 tasks succeeded");
    expect(readFileSync(join(out, "tasks", "d", "patch.diff"), "utf8")).toBe("+d\n");
  });

  it("an unknown cost in one shard makes the merged total unknown, not a partial sum", async () => {
    const one = runFolder([task("a", "succeeded", { cost_usd: null })], ["a", "b"], "u1");
    const two = runFolder([task("b", "succeeded")], ["a", "b"], "u2");
    const { summary } = await mergeRuns([one, two], join(root, "merged-unknown"), "m2");
    expect(summary.totals.cost_usd).toBeNull();
    expect(readFileSync(join(root, "merged-unknown", "report.md"), "utf8")).toMatch(/\*\*total\*\*.*unknown/);
  });

  it("keeps the warning of a shard whose commands ran without a sandbox", async () => {
    const settings = { required: false, writable: [] };
    const confined = { mode: "auto" as const, active: true, network: false, ...settings };
    const open = { mode: "auto" as const, active: false, network: true, ...settings, reason: "bubblewrap (bwrap) is not installed" };
    const one = runFolder([task("a", "succeeded")], ["a", "b"], "x1", { sandbox: confined });
    const two = runFolder([task("b", "succeeded")], ["a", "b"], "x2", { sandbox: open });
    const out = join(root, "merged-sandbox");
    const { summary } = await mergeRuns([one, two], out, "m5");
    expect(summary.sandbox).toEqual(open);
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("> **Warning: commands ran WITHOUT a sandbox**: bubblewrap (bwrap) is not installed.");
    const both = await mergeRuns([one, runFolder([task("b", "succeeded")], ["a", "b"], "x3", { sandbox: confined })], join(root, "merged-sandboxed"), "m6");
    expect(both.summary.sandbox).toEqual(confined);
  });

  it("keeps what chose the tasks, less the tasks another run ran, so a grouped pull request is not made of part of its group", async () => {
    const left = [{ id: "c", task_file: "t.yaml" }, { id: "d", task_file: "t.yaml", labels: ["x"] }];
    const tried = runFolder([task("a", "succeeded")], ["a"], "l1", { selection: { by: ["--limit 1"], labels: [], left } });
    expect((await mergeRuns([tried], join(root, "merged-limited"), "m7")).summary.selection).toEqual({ by: ["--limit 1"], labels: [], left });
    const rest = runFolder([task("c", "succeeded")], ["c"], "l2");
    expect((await mergeRuns([tried, rest], join(root, "merged-rest"), "m8")).summary.selection).toEqual({ by: ["--limit 1"], labels: [], left: [left[1]] });
    expect((await mergeRuns([rest], join(root, "merged-whole"), "m9")).summary.selection).toBeUndefined();
  });

  it("refuses overlapping shards with a clear error", async () => {
    const one = runFolder([task("a", "succeeded"), task("b", "succeeded")], planned, "o1");
    const two = runFolder([task("b", "failed")], planned, "o2");
    await expect(mergeRuns([one, two], join(root, "merged-overlap"), "m3")).rejects.toMatchObject({
      code: "E_MERGE_DUPLICATE",
      message: expect.stringMatching(/task "b" is in both/),
    });
    await expect(mergeRuns([one, one], join(root, "merged-twice"), "m3b")).rejects.toMatchObject({ code: "E_MERGE_DUPLICATE" });
  });

  it("lists the tasks of a missing shard in summary, report.md and junit.xml", async () => {
    const one = runFolder([task("a", "succeeded"), task("b", "succeeded")], planned, "p1");
    const out = join(root, "merged-missing");
    const { summary, missing } = await mergeRuns([one], out, "m4");
    expect(missing).toEqual(["c", "d", "e"]);
    expect(summary.missing_tasks).toEqual(["c", "d", "e"]);
    expect(readFileSync(join(out, "junit.xml"), "utf8")).toContain('tests="5" failures="0" errors="3"');
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("## Missing tasks");
  });

  it("the merged report's headline does not claim every task succeeded when shards are missing", async () => {
    const one = runFolder([task("a", "succeeded"), task("b", "succeeded")], planned, "h1");
    const out = join(root, "merged-headline");
    await mergeRuns([one], out, "m5");
    const report = readFileSync(join(out, "report.md"), "utf8");
    expect(report).not.toMatch(/^2 of 2 tasks succeeded/m);
  });

  it("a run folder whose summary.json lacks started_at is refused as not a summary, not with a RangeError", async () => {
    const good = runFolder([task("a", "succeeded")], ["a", "b"], "g1");
    const bad = runFolder([task("b", "succeeded")], ["a", "b"], "g2", { started_at: undefined } as unknown as Partial<RunSummary>);
    await expect(mergeRuns([good, bad], join(root, "merged-bad"), "m6")).rejects.toMatchObject({
      code: "E_MERGE_INPUT",
      message: expect.stringMatching(/summary\.json is not a summary\.json nanocoder wrote \(started_at: /),
    });
  });

  it("refuses a folder that is not a run folder, and no folder at all", async () => {
    await expect(mergeRuns([join(root, "nope")], join(root, "merged-none"), "m7")).rejects.toMatchObject({ code: "E_MERGE_INPUT" });
    await expect(mergeRuns([], join(root, "merged-empty"), "m8")).rejects.toMatchObject({ code: "E_USAGE" });
  });
});
