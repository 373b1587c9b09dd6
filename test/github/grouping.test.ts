/**
 * The pure parts of grouped delivery: which tasks share a pull request and its branch (src/github/groups.ts),
 * and how tasks that change the same file are told (src/run/patch-series.ts).
 */
import { relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { fileBranchName, findPartialGroups, groupTasks, groupTitle, parseOpenPr } from "../../src/github/groups.ts";
import { describeEarlierOverlaps, describeNearbyChanges, describeOverlaps, findOverlaps } from "../../src/run/patch-series.ts";
import type { TaskResult } from "../../src/report/types.ts";

const task = (id: string, fields: Partial<TaskResult> = {}): TaskResult => ({
  id,
  status: "succeeded",
  stop_reason: "completed",
  expect: "changes",
  provider: "local",
  model: "m",
  turns: 1,
  requests: 1,
  tokens: { input: 1, output: 1, cached: 0, estimated: false },
  cost_usd: 0,
  duration_ms: 1,
  denials: 0,
  denied_calls: [],
  attempts: 1,
  checks: [],
  files_changed: [],
  patch: `tasks/${id}/patch.diff`,
  ...fields,
});

describe("--open-pr modes", () => {
  it.each([
    ["combined", "combined"],
    ["combined:run", "combined"],
    ["combined:file", "combined:file"],
    ["combined:label", "combined:label"],
    ["", "per-task"],
  ])("%j is %j", (value, mode) => expect(parseOpenPr(value)).toBe(mode));

  it("names the groupings when one is unknown", () => {
    expect(() => parseOpenPr("combined:folder")).toThrow('--open-pr: "combined:folder" groups by nothing known; expected combined:file (a pull request per task file), combined:label (per label) or combined:run (one for the run)');
  });
});

describe("groupTasks", () => {
  const tasks = [
    task("jsdoc.src-a-ts", { task_file: "tasks/jsdoc.yaml", labels: ["docs", "nightly"] }),
    task("lint", { task_file: "tasks/lint.yaml", labels: ["nightly"] }),
    task("jsdoc.src-b-ts", { task_file: "tasks/jsdoc.yaml", labels: ["docs"] }),
    task("adhoc"),
  ];
  const summarise = (mode: Parameters<typeof groupTasks>[1]) => groupTasks(tasks, mode, "bot/").map((group) => [group.branch, group.tasks.map((entry) => entry.id)]);

  it("per task file, in the order each file's first task ran; a task of no known file goes to the run's branch", () => {
    expect(summarise("combined:file")).toEqual([
      ["bot/file-tasks-jsdoc", ["jsdoc.src-a-ts", "jsdoc.src-b-ts"]],
      ["bot/file-tasks-lint", ["lint"]],
      ["bot/batch", ["adhoc"]],
    ]);
  });

  it("per first label; a task without one goes to the run's branch", () => {
    expect(summarise("combined:label")).toEqual([
      ["bot/label-docs", ["jsdoc.src-a-ts", "jsdoc.src-b-ts"]],
      ["bot/label-nightly", ["lint"]],
      ["bot/batch", ["adhoc"]],
    ]);
  });

  it("with --label, per the first of a task's labels among those chosen, not its first label", () => {
    const chosen = tasks.filter((entry) => entry.labels?.includes("nightly"));
    expect(groupTasks(chosen, "combined:label", "bot/", { labels: ["nightly"] }).map((group) => [group.branch, group.tasks.map((entry) => entry.id)])).toEqual([
      ["bot/label-nightly", ["jsdoc.src-a-ts", "lint"]],
    ]);
    const either = groupTasks(tasks.slice(0, 3), "combined:label", "bot/", { labels: ["nightly", "docs"] });
    expect(either.map((group) => [group.branch, group.tasks.map((entry) => entry.id)])).toEqual([
      ["bot/label-docs", ["jsdoc.src-a-ts", "jsdoc.src-b-ts"]],
      ["bot/label-nightly", ["lint"]],
    ]);
  });

  it("combined and per-task as before", () => {
    expect(summarise("combined")).toEqual([["bot/batch", tasks.map((entry) => entry.id)]]);
    expect(summarise("per-task").map(([branch]) => branch)).toEqual(["bot/jsdoc.src-a-ts", "bot/lint", "bot/jsdoc.src-b-ts", "bot/adhoc"]);
  });

  it("names a file's branch after its path in the repository alone, whatever else the run holds and wherever it started", () => {
    const jsdoc = (file: string) => task("jsdoc", { task_file: file });
    const branches = (files: string[], cwd: string) =>
      groupTasks(files.map(jsdoc), "combined:file", "bot/", { fileInRepo: (file) => relative("/repo", resolve(cwd, file)) }).map((group) => group.branch);
    expect(branches(["tasks/jsdoc.yaml"], "/repo")).toEqual(["bot/file-tasks-jsdoc"]);
    expect(branches(["tasks/jsdoc.yaml", "pkg/tasks/jsdoc.yaml"], "/repo")).toEqual(["bot/file-tasks-jsdoc", "bot/file-pkg-tasks-jsdoc"]);
    expect(branches(["../tasks/jsdoc.yaml", "jsdoc.yaml"], "/repo/pkg")).toEqual(["bot/file-tasks-jsdoc", "bot/file-pkg-jsdoc"]);
    expect(branches([".nanocoder/tasks/jsdoc.yaml"], "/repo")).toEqual(["bot/file-jsdoc"]);
  });

  it("cleans a path git would not take, adding a hash of it so that paths cleaned alike stay apart", () => {
    expect(fileBranchName("x/a-b.yaml")).toBe("x-a-b");
    expect(fileBranchName("x/a b.yaml")).toMatch(/^x-a-b-[0-9a-f]{7}$/);
    expect(fileBranchName("tasks/..weird name.lock.yaml")).toMatch(/^tasks-.weird-name-lock-[0-9a-f]{7}$/);
    expect(() => groupTasks([task("a", { task_file: "a/b.yaml" }), task("b", { task_file: "a-b.yaml" })], "combined:file", "bot/"))
      .toThrow("--open-pr combined:file: the task files a/b.yaml and a-b.yaml would both make branch bot/file-a-b; rename one of them");
  });
});

describe("a run of part of a group delivers none of it", () => {
  const ran = [
    task("jsdoc.src-a-ts", { task_file: "tasks/jsdoc.yaml", labels: ["docs", "nightly"] }),
    task("lint", { task_file: "tasks/lint.yaml", labels: ["nightly"] }),
  ];
  const left = [{ id: "jsdoc.src-b-ts", task_file: "tasks/jsdoc.yaml", labels: ["docs"] }, { id: "jsdoc.src-c-ts", task_file: "tasks/jsdoc.yaml" }];
  const partial = (mode: Parameters<typeof groupTasks>[1], extra: Parameters<typeof findPartialGroups>[3]) =>
    Object.fromEntries(findPartialGroups(groupTasks(ran, mode, "bot/", { labels: extra.selection?.labels }), mode, "bot/", extra));

  it("refuses the group whose other tasks the selection left out, naming it and the fix, and delivers the whole ones", () => {
    expect(partial("combined:file", { selection: { labels: [], by: ["--only lint,jsdoc.src-a-ts"], left } })).toEqual({
      "bot/file-tasks-jsdoc": "--only lint,jsdoc.src-a-ts chose 1 of the group's 3 tasks, and its pull request holds them all: delivering would take the other 2's changes out of it; run the group without --only lint,jsdoc.src-a-ts, or deliver these with --open-pr per-task",
    });
    expect(partial("combined:label", { selection: { labels: [], by: ["--limit 2"], left } })).toEqual({ "bot/label-docs": expect.stringContaining("--limit 2 chose 1 of the group's 2 tasks") });
  });

  it("delivers every group a label chose whole, the whole run with combined, and each task with per-task", () => {
    expect(partial("combined:label", { selection: { labels: ["nightly"], by: ["--label nightly"], left } })).toEqual({});
    expect(partial("combined", { selection: { labels: [], by: ["--limit 2"], left } })).toEqual({});
    expect(partial("per-task", { shard: { index: 1, count: 2 }, selection: { labels: [], by: ["--limit 2"], left } })).toEqual({});
    expect(partial("combined:file", { selection: { labels: [], by: [], left: [] } })).toEqual({});
  });

  it("refuses every group of a shard, even combined, which shards running at once would each replace: the merged run delivers", () => {
    const refused = partial("combined", { shard: { index: 1, count: 2 } });
    expect(refused).toEqual({
      "bot/batch": "--shard 1/2 ran part of the tasks, and the pull requests of --open-pr combined hold all of their group's; deliver from the shards merged: nanocoder report merge <their run folders> --open-pr combined (in a workflow, the Action's merge input)",
    });
    expect(Object.keys(partial("combined:file", { shard: { index: 2, count: 2 } }))).toEqual(["bot/file-tasks-jsdoc", "bot/file-tasks-lint"]);
  });

  it("refuses every group of a merged run missing tasks, which are known by id alone; per-task delivers what is there", () => {
    const missing = ["m1", "m2", "m3", "m4", "m5", "m6"];
    expect(partial("combined", { missing })).toEqual({
      "bot/batch": "6 planned task(s) are in no run folder (m1, m2, m3, m4, m5, …), and the pull requests of --open-pr combined hold all of their group's: delivering would take their changes out; merge every shard's run folder (run the failed shard again), or deliver these with --open-pr per-task",
    });
    expect(Object.keys(partial("combined:label", { missing: ["m1"] }))).toEqual(["bot/label-docs", "bot/label-nightly"]);
    expect(partial("per-task", { missing })).toEqual({});
    expect(partial("combined:file", { missing: [] })).toEqual({});
  });
});

describe("groupTitle", () => {
  const file = { kind: "file", file: "tasks/jsdoc.yaml" } as const;
  it.each([
    ["the title they share", [task("a", { title: "Add JSDoc" }), task("b", { title: "Add JSDoc" })], "nanocoder: Add JSDoc (2 tasks from tasks/jsdoc.yaml)"],
    ["the words their titles start with", [task("a", { title: "Add JSDoc to src/a.ts" }), task("b", { title: "Add JSDoc to src/b.ts" })], "nanocoder: Add JSDoc to … (2 tasks from tasks/jsdoc.yaml)"],
    ["the start their ids share", [task("jsdoc.src-a-ts"), task("jsdoc.src-b-ts")], "nanocoder: jsdoc (2 tasks from tasks/jsdoc.yaml)"],
    ["the file alone", [task("one"), task("two")], "nanocoder: 2 tasks from tasks/jsdoc.yaml"],
    ["one task's title", [task("one", { title: "Add JSDoc to src/a.ts" })], "nanocoder: Add JSDoc to src/a.ts"],
  ])("%s", (_, tasks, title) => expect(groupTitle(file, tasks)).toBe(title));

  it("a label's group", () => {
    expect(groupTitle({ kind: "label", label: "lint" }, [task("lint.a"), task("lint.b")])).toBe("nanocoder: lint (2 tasks labelled lint)");
  });
});

describe("overlapping tasks", () => {
  const patches = [
    { id: "a", files: ["index.ts", "a.ts"] },
    { id: "b", files: ["b.ts"] },
    { id: "c", files: ["index.ts", "CHANGELOG.md"] },
    { id: "d", files: ["CHANGELOG.md", "index.ts"] },
  ];
  const overlaps = findOverlaps(patches);

  it("finds each file more than one task changes, with its tasks in series order", () => {
    expect(overlaps).toEqual([
      { file: "index.ts", tasks: ["a", "c", "d"] },
      { file: "CHANGELOG.md", tasks: ["c", "d"] },
    ]);
    expect(describeEarlierOverlaps("d", overlaps)).toBe("a (index.ts), c (index.ts, CHANGELOG.md)");
    expect(describeEarlierOverlaps("b", overlaps)).toBe("");
  });

  it("says for each what became of the patches", () => {
    expect(describeOverlaps(overlaps, new Map([["a", "clean"], ["c", "merged"]]), [{ id: "d", reason: "does not apply" }])).toEqual([
      "`index.ts` is changed by a, c, d: c joined by git's three-way merge; d left out: its patch conflicts with the ones before",
      "`CHANGELOG.md` is changed by c, d: c joined by git's three-way merge; d left out: its patch conflicts with the ones before",
    ]);
    expect(describeOverlaps(overlaps.slice(1), new Map([["c", "clean"], ["d", "clean"]]), [])).toEqual(["`CHANGELOG.md` is changed by c, d: both applied cleanly"]);
  });

  it("stays a few lines however many files are shared", () => {
    const many = findOverlaps(Array.from({ length: 300 }, (_, at) => ({ id: `t${at}`, files: [`f${at % 100}.ts`, "index.ts"] })));
    const lines = describeOverlaps(many, new Map(), []);
    expect(lines).toHaveLength(21);
    expect(lines[0]).toBe("`f0.ts` is changed by t0, t100, t200: all applied cleanly");
    expect(lines.find((line) => line.startsWith("`index.ts`"))).toBe("`index.ts` is changed by t0, t1, t2, t3, t4 and 295 more: all applied cleanly");
    expect(lines[20]).toBe("and 81 more files changed by more than one task");
  });
});

describe("which earlier tasks a conflicting patch meets", () => {
  const patch = (id: string, hunks: string) => ({ id, text: `diff --git a/index.md b/index.md\nindex 1..2 100644\n--- a/index.md\n+++ b/index.md\n${hunks}` });
  const alpha = patch("alpha", "@@ -1,5 +1,5 @@\n line 1\n-line 2\n+alpha\n line 3\n line 4\n line 5\n");
  const beta = patch("beta", "@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+beta\n line 6\n line 7\n line 8\n");
  const gamma = patch("gamma", "@@ -1,5 +1,6 @@\n line 1\n+--- a heading\n line 2\n line 3\n");

  it("names those that change the same lines or the lines next to them, not those merely near", () => {
    expect(describeNearbyChanges(patch("delta", "@@ -1,5 +1,5 @@\n line 1\n-line 2\n+delta\n line 3\n"), [alpha, beta])).toBe("alpha (index.md)");
    // A line added before line 2 (one that starts with "---", inside a hunk: no header) meets alpha's change of line 2.
    expect(describeNearbyChanges(gamma, [alpha, beta])).toBe("alpha (index.md)");
    expect(describeNearbyChanges(patch("far", "@@ -9,2 +9,2 @@\n-line 9\n+far\n line 10\n"), [alpha, beta])).toBe("");
  });
});
