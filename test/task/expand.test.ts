import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserErrors } from "../../src/shared/errors.ts";
import { combinationIds, combine, describeCombination, render, shellQuote, slug, type ResolvedAxis } from "../../src/task/expand.ts";
import { loadTasks } from "../../src/task/load.ts";
import type { RepositoryFiles } from "../../src/task/tree.ts";
import { chooseTasks, parseLimit, selectByChangedFiles, someTasks } from "../../src/run/select.ts";
import { inShard } from "../../src/run/shard.ts";
import { listedTask } from "../../src/cli/commands/validate.ts";
import { scratchDir } from "../helpers/temp.ts";

/** The files of a commit, as git would list them (sorted), without a repository. */
function filesOf(contents: Record<string, string>): RepositoryFiles {
  return {
    describe: "at HEAD",
    list: () => Promise.resolve(Object.keys(contents).sort()),
    read: (paths) => Promise.resolve(new Map(paths.flatMap((path) => (contents[path] === undefined ? [] : [[path, contents[path]] as const])))),
  };
}

const SOURCES = filesOf({
  "src/math.ts": "",
  "src/math.test.ts": "",
  "src/types.d.ts": "",
  "src/lib/a-b.ts": "",
  "src/lib/a/b.ts": "",
  "src/strings.ts": "",
  "README.md": "",
});

const dir = scratchDir("nanocoder-expand-");

/** Loads one task file of the given text against `files`; warnings collected. */
async function load(text: string, files: RepositoryFiles = SOURCES, name = "tasks.yaml") {
  writeFileSync(join(dir, name), text);
  const warnings: string[] = [];
  const tasks = await loadTasks([name], dir, { files, warn: (line) => warnings.push(line) });
  return { tasks, warnings };
}

async function loadErrors(text: string, files: RepositoryFiles = SOURCES): Promise<string[]> {
  const error: unknown = await load(text, files).then(() => undefined, (thrown: unknown) => thrown);
  if (!(error instanceof UserErrors)) throw new Error(`expected UserErrors, got ${String(error)}`);
  return error.errors.map((each) => each.message);
}

function list(name: string, values: string[]): ResolvedAxis {
  return { name, kind: "list", values: values.map((value) => ({ value, idPart: slug(value) })) };
}

describe("for_each expansion", () => {
  it("matches globs at the base commit with exclude, substitutes in every field, and derives ids and files from the values", async () => {
    const { tasks, warnings } = await load(
      [
        "id: jsdoc",
        "title: JSDoc for {{ file }}",
        "prompt: Add JSDoc comments to every exported function in {{ file }}.",
        "for_each:",
        '  file: { glob: "src/**/*.ts", exclude: ["**/*.test.ts", "**/*.d.ts"] }',
        'context: ["{{ file }}", README.md]',
        'checks: ["npx tsc --noEmit {{ files }}", {name: "lint {{ file }}", run: "eslint {{ file }}"}]',
        "labels: [nightly]",
      ].join("\n"),
    );
    expect(warnings).toEqual([]);
    // The two paths that slug alike get a short hash; the others stay readable.
    expect(tasks.map((task) => task.id)).toEqual([
      expect.stringMatching(/^jsdoc\.src-lib-a-b-ts-[0-9a-f]{6}$/),
      expect.stringMatching(/^jsdoc\.src-lib-a-b-ts-[0-9a-f]{6}$/),
      "jsdoc.src-math-ts",
      "jsdoc.src-strings-ts",
    ]);
    expect(new Set(tasks.map((task) => task.id)).size).toBe(4);
    const math = tasks[2];
    expect(math).toMatchObject({
      title: "JSDoc for src/math.ts",
      prompt: "Add JSDoc comments to every exported function in src/math.ts.",
      context: ["src/math.ts", "README.md"],
      files: ["src/math.ts"],
      labels: ["nightly"],
      values: { file: "src/math.ts" },
      source: { file: "tasks.yaml", index: 0, line: 1, column: 1 },
    });
    expect(math?.checks.map((check) => [check.name, check.run])).toEqual([
      ["npx tsc --noEmit src/math.ts", "npx tsc --noEmit src/math.ts"],
      ["lint src/math.ts", "eslint src/math.ts"],
    ]);
    // Tomorrow's run gives the same ids.
    expect((await load(readBack())).tasks.map((task) => task.id)).toEqual(tasks.map((task) => task.id));
  });

  it("groups files into chunks: {{ files }} and the axis are the chunk's paths, the id counts the chunks", async () => {
    const { tasks } = await load("id: fix\nprompt: Fix {{ files }}.\nfor_each:\n  file: {glob: 'src/**/*.ts', exclude: '**/*.d.ts', chunk: 2}\n");
    expect(tasks.map((task) => [task.id, task.prompt, task.files])).toEqual([
      ["fix.file-1", "Fix src/lib/a-b.ts src/lib/a/b.ts.", ["src/lib/a-b.ts", "src/lib/a/b.ts"]],
      ["fix.file-2", "Fix src/math.test.ts src/math.ts.", ["src/math.test.ts", "src/math.ts"]],
      ["fix.file-3", "Fix src/strings.ts.", ["src/strings.ts"]],
    ]);
  });

  it("makes a task per workspace package of an npm/yarn or pnpm monorepo, with name and path", async () => {
    const npm = filesOf({
      "package.json": JSON.stringify({ workspaces: ["packages/*"] }),
      "packages/core/package.json": JSON.stringify({ name: "@acme/core" }),
      "packages/core/src/index.ts": "",
      "packages/cli/package.json": JSON.stringify({ name: "@acme/cli" }),
      "packages/old/package.json": JSON.stringify({ name: "@acme/old" }),
      "packages/core/node_modules/x/package.json": "{}",
      "tools/package.json": JSON.stringify({ name: "tools" }),
    });
    const text = "id: lint\nprompt: Fix lint in {{ pkg.name }} ({{ pkg.path }}).\nfor_each:\n  pkg: {packages: true, exclude: ['@acme/old']}\n";
    const { tasks } = await load(text, npm);
    expect(tasks.map((task) => [task.id, task.prompt, task.files])).toEqual([
      ["lint.acme-cli", "Fix lint in @acme/cli (packages/cli).", ["packages/cli/**"]],
      ["lint.acme-core", "Fix lint in @acme/core (packages/core).", ["packages/core/**"]],
    ]);
    // {{ files }} is the package's folder.
    expect((await load("id: lint\nprompt: Fix lint in {{ files }}.\nfor_each:\n  pkg: {packages: 'packages/c*'}\n", npm)).tasks.map((task) => task.prompt)).toEqual(["Fix lint in packages/cli.", "Fix lint in packages/core."]);
    const pnpm = filesOf({ "pnpm-workspace.yaml": "packages:\n  - 'apps/*'\n  - '!apps/legacy'\n", "apps/web/package.json": '{"name":"web"}', "apps/legacy/package.json": '{"name":"legacy"}' });
    expect((await load(text.replace(", exclude: ['@acme/old']", ""), pnpm)).tasks.map((task) => task.id)).toEqual(["lint.web"]);
  });

  it("forms the product of two axes, with exclude (globs allowed) and include as in a GitHub Actions matrix", async () => {
    const text = [
      "id: port",
      "prompt: Port {{ file }} to {{ target }}{{ note }}.",
      "for_each:",
      "  file: {glob: 'src/*.ts', exclude: ['**/*.test.ts', '**/*.d.ts']}",
      "  target: {value: [node, deno]}",
      "  exclude: [{file: 'src/str*', target: deno}]",
      "  include:",
      "    - {target: node, note: ' (keep CommonJS)'}",
      "    - {target: deno, note: ''}",
      "    - {file: src/extra.ts, target: bun, note: ''}",
    ].join("\n");
    const { tasks } = await load(text);
    expect(tasks.map((task) => [task.id, task.prompt])).toEqual([
      ["port.src-math-ts.node", "Port src/math.ts to node (keep CommonJS)."],
      ["port.src-math-ts.deno", "Port src/math.ts to deno."],
      ["port.src-strings-ts.node", "Port src/strings.ts to node (keep CommonJS)."],
      ["port.src-extra-ts.bun", "Port src/extra.ts to bun."],
    ]);
  });

  it("fills variables in the output schema and in files given outright, as validate --list --json shows", async () => {
    const { tasks } = await load("id: review\nprompt: Review {{ file }}\nexpect: none\nfor_each:\n  file: [a.ts, b.ts]\nfiles: ['{{ file }}', 'docs/**']\noutput:\n  type: object\n  description: Findings in {{ file }}\n");
    expect(tasks.map((task) => task.files)).toEqual([["a.ts", "docs/**"], ["b.ts", "docs/**"]]);
    expect(tasks.map((task) => task.output?.schema)).toEqual([
      { type: "object", description: "Findings in a.ts" },
      { type: "object", description: "Findings in b.ts" },
    ]);
    const second = tasks[1];
    if (!second) throw new Error("no second task");
    expect(listedTask({ ...second, context: ["b.ts"], checks: [{ name: "lint", run: "eslint b.ts", timeout_ms: 1 }] })).toMatchObject({
      id: "review.b-ts",
      files: ["b.ts", "docs/**"],
      context: ["b.ts"],
      checks: [{ name: "lint", run: "eslint b.ts" }],
      output: { type: "object", description: "Findings in b.ts" },
    });
  });

  it("warns, and makes no task, when a glob matches nothing", async () => {
    const { tasks, warnings } = await load("id: x\nprompt: Do {{ file }}\nfor_each:\n  file: {glob: 'lib/**/*.js'}\n");
    expect(tasks).toEqual([]);
    // batch refuses to run nothing, with a usage error (exit 2), so a nightly job does not stay green.
    expect(() => someTasks(tasks, ["tasks/*.yaml"])).toThrow(
      expect.objectContaining({ code: "E_TASK_INVALID", message: "tasks/*.yaml: the task files expand to no tasks (the warnings above say which for_each matches no file); correct the glob, or leave the file out" }),
    );
    expect(warnings).toEqual(['warning: tasks.yaml:4:10: for_each.file: "lib/**/*.js" matches no file at HEAD, so this task expands to nothing; globs are relative to the repository root']);
  });
});

describe("values are quoted for what reads the field", () => {
  const HOSTILE = filesOf({ "functions/a;touch PWNED1;.js": "", "functions/it's $(id).js": "", "functions/plain.js": "" });

  it("shell-quotes values in checks, each path of {{ files }} on its own, and leaves plain paths and the prompt as they are", async () => {
    const { tasks } = await load("id: c\nprompt: Check {{ file }}\nfor_each:\n  file: {glob: 'functions/*.js'}\nchecks: ['node --check {{ file }}']\n---\nid: all\nprompt: Check {{ files }}\nfor_each:\n  file: {glob: 'functions/*.js', chunk: 3}\nchecks: [{name: 'check {{ files }}', run: 'node --check {{ files }}'}]\n", HOSTILE);
    expect(tasks.map((task) => task.checks[0]?.run)).toEqual([
      "node --check 'functions/a;touch PWNED1;.js'",
      "node --check 'functions/it'\\''s $(id).js'",
      "node --check functions/plain.js",
      "node --check 'functions/a;touch PWNED1;.js' 'functions/it'\\''s $(id).js' functions/plain.js",
    ]);
    expect(tasks[0]?.prompt).toBe("Check functions/a;touch PWNED1;.js");
    expect(tasks[3]?.checks[0]?.name).toBe("check functions/a;touch PWNED1;.js functions/it's $(id).js functions/plain.js");
  });

  it("makes a context or files entry that is {{ files }} or a chunk alone one escaped entry per path", async () => {
    const { tasks } = await load("id: c\nprompt: Check {{ files }}\nfor_each:\n  file: {glob: 'functions/*.js', chunk: 2}\ncontext: ['{{ files }}', README.md]\nfiles: ['{{ file }}']\n", HOSTILE);
    expect(tasks.map((task) => [task.context, task.files])).toEqual([
      [["functions/a;touch PWNED1;.js", "functions/it's $\\(id\\).js", "README.md"], ["functions/a;touch PWNED1;.js", "functions/it's $\\(id\\).js"]],
      [["functions/plain.js", "README.md"], ["functions/plain.js"]],
    ]);
    const pages = filesOf({ "app/[id].js": "", "app/(auth)/page.js": "" });
    expect((await load("id: p\nprompt: Check {{ files }}\nfor_each:\n  file: {glob: 'app/**', chunk: 5}\ncontext: ['{{ files }}']\n", pages)).tasks[0]?.context).toEqual(["app/\\(auth\\)/page.js", "app/\\[id\\].js"]);
  });

  it("gives a shell back each value as one word, whatever it holds", () => {
    const values = ["a;touch x;.js", "it's", "$(id) `id` \"q\"", "", "-n", "a b\tc\nd", "plain/path.ts"];
    const echoed = execFileSync("sh", ["-c", `printf '%s\\0' ${values.map(shellQuote).join(" ")}`], { encoding: "utf8" });
    expect(echoed.split("\0").slice(0, -1)).toEqual(values);
  });
});

describe("for_each errors, at file:line:col with a fix", () => {
  it("names an unknown variable, with the closest one", async () => {
    expect(await loadErrors("prompt: Do it\nfor_each:\n  file: [a]\ncontext: ['{{ fiel }}']\n")).toEqual([
      "tasks.yaml:4:12: context[0]: unknown variable {{ fiel }}; did you mean {{ file }}?",
    ]);
  });

  it("points at the placeholder itself, on its own line of a block scalar", async () => {
    expect(await loadErrors("id: t\nprompt: |\n  Document the module.\n  Keep {{ fiel }} as it is,\n  and {{ p.nam }} too.\nfor_each:\n  file: [a]\n  p: [{name: a}]\n")).toEqual([
      "tasks.yaml:4:8: prompt: unknown variable {{ fiel }}; did you mean {{ file }}?",
    ]);
    expect(await loadErrors("id: t\nprompt: |\n  Document the module.\n  and {{ p.nam }} too.\nfor_each:\n  p: [{name: a}]\n")).toEqual([
      'tasks.yaml:4:7: prompt: {{ p.nam }}: p has no field "nam" (fields: name) (task t.a)',
    ]);
  });

  it("says {{ files }} has no value when the axes are lists alone", async () => {
    expect(await loadErrors("prompt: Use {{ m }}\nfor_each:\n  m: [a, b]\nchecks: ['run {{ files }}']\n")).toEqual([
      "tasks.yaml:4:15: checks[0]: {{ files }} is the files the axes give, and list axes give none; write {{ m }}, or take the values from files with {glob: ...}",
    ]);
  });

  it("says variables are not filled in setup, nor in fields the same for every task", async () => {
    expect(await loadErrors("prompt: Do {{ a }}\nfor_each:\n  a: [x]\nsetup: ['npm ci', 'touch {{ a }}']\npolicy:\n  commands: {deny: ['rm {{ a }}']}\n")).toEqual([
      "tasks.yaml:4:19: setup[1]: variables are filled in prompt, title, context, files, checks, output, model, provider, not in setup; move the command to checks, or write it out",
      "tasks.yaml:6:21: policy.commands.deny[0]: variables are filled in prompt, title, context, files, checks, output, model, provider, not here; write the value out",
    ]);
  });

  it("fills model and provider, for a matrix of models", async () => {
    const { tasks } = await load("id: m\nprompt: Review\nexpect: none\nfor_each:\n  m: [{provider: local, model: qwen}, {provider: cloud, model: gpt}]\nmodel: '{{ m.model }}'\nprovider: '{{ m.provider }}'\n");
    expect(tasks.map((task) => [task.id, task.provider, task.model])).toEqual([
      ["m.local-qwen", "local", "qwen"],
      ["m.cloud-gpt", "cloud", "gpt"],
    ]);
  });

  it("rejects an axis with no values, a built-in name, and an exclude entry naming no axis", async () => {
    expect(await loadErrors("prompt: Do {{ a }}\nfor_each:\n  a: []\n")).toEqual(["tasks.yaml:3:3: for_each.a: the axis has no values; give at least one, e.g. a: [a, b], or remove the axis"]);
    expect(await loadErrors("prompt: Do it\nfor_each:\n  files: [x]\n")).toEqual(['tasks.yaml:3:3: for_each.files: "files" is a built-in name; call the axis something else']);
    expect(await loadErrors("prompt: Do {{ a }}\nfor_each:\n  a: [x, y]\n  exclude: [{b: x}]\n")).toEqual(['tasks.yaml:4:14: for_each.exclude[0]: "b" is no axis; did you mean "a"?']);
  });

  it("reports values that give the same id, and a field of a value that has none", async () => {
    expect(await loadErrors("id: t\nprompt: Do {{ a }}\nfor_each:\n  a: [x, y, x]\n")).toEqual([
      expect.stringMatching(/^tasks\.yaml:3:1: for_each: two tasks have the same values \(a=x; a=x\), so the same id "t\.x-[0-9a-f]{6}"; remove the repeated value$/),
    ]);
    expect(await loadErrors("id: t\nprompt: Do {{ p.nam }}\nfor_each:\n  p: [{name: a, path: b}]\n")).toEqual([
      'tasks.yaml:2:12: prompt: {{ p.nam }}: p has no field "nam" (fields: name, path) (task t.a)',
    ]);
  });

  it("refuses, before building them, more tasks than a for_each may make", async () => {
    const values = `[${Array.from({ length: 300 }, (_, index) => `v${index}`).join(", ")}]`;
    expect(await loadErrors(`id: t\nprompt: Do {{ a }} {{ b }} {{ c }}\nfor_each:\n  a: ${values}\n  b: ${values}\n  c: ${values}\n  include: [{a: x, b: y, c: z}]\n`)).toEqual([
      "tasks.yaml:3:1: for_each: 300 a × 300 b × 300 c + 1 include make 27,000,001 tasks, more than the 100,000 one for_each may make; narrow a glob, group files with chunk: N, or split the axes over several task files",
    ]);
  });

  it("names the values that made an id another task has too", async () => {
    expect(await loadErrors("id: t\nprompt: Do {{ a }}\nfor_each:\n  a: [x, y]\n---\nid: t.y\nprompt: Do y\n")).toEqual([
      'tasks.yaml:6:1: duplicate task id "t.y" (also used at tasks.yaml:1:1, made by for_each from a=y); ids must be unique in a batch, set a different "id:"',
    ]);
  });

  it("reports workspace packages that cannot be found", async () => {
    expect(await loadErrors("prompt: Do {{ p.name }}\nfor_each:\n  p: {packages: true}\n", filesOf({ "package.json": "{}" }))).toEqual([
      expect.stringMatching(/^tasks\.yaml:3:7: packages: true reads the workspaces of the root package\.json/),
    ]);
  });
});

describe("ids, product and rendering (pure)", () => {
  it("varies the first axis slowest and hashes ids that differ only by case", () => {
    const combinations = combine([list("a", ["X", "x"]), list("b", ["1", "2"])], [], []);
    const ids = combinationIds("t", combinations);
    expect(ids.map((id) => id.replace(/-[0-9a-f]{6}$/, ""))).toEqual(["t.X.1", "t.X.2", "t.x.1", "t.x.2"]);
    expect(ids.every((id) => /-[0-9a-f]{6}$/.test(id))).toBe(true);
    expect(new Set(ids.map((id) => id.toLowerCase())).size).toBe(4);
  });

  it("keeps ids valid branch names and cuts long values short with a hash", () => {
    const ids = combinationIds("t", combine([list("a", ["lock", "x".repeat(100), "../.."])], [], []));
    expect(ids[0]).toBe("t-lock");
    expect(ids[1]).toMatch(/^t\.x{60}-[0-9a-f]{6}$/);
    expect(ids[2]).toMatch(/^t-[0-9a-f]{6}$/);
  });

  it("describes a combination on one line, a value with a line break JSON-quoted", () => {
    expect(describeCombination({ file: "src/new\nline.js", pkg: { name: "@a/b", path: "packages/b" }, files: ["x", "y"] })).toBe('file="src/new\\nline.js" pkg=@a/b');
    expect(describeCombination({ file: "src/plain name.js" })).toBe("file=src/plain name.js");
  });

  it("renders words, chunks and fields, and says what is wrong with a placeholder", async () => {
    expect(render("{{a}} {{ b }} {{ c.name }}", { a: "1", b: ["x", "y"], c: { name: "n" } })).toBe("1 x y n");
    expect(() => render("{{ c }}", { c: { name: "n", path: "p" } })).toThrow("{{ c }} has fields: write {{ c.name }} (fields: name, path)");
    expect(render("no placeholders {{", {})).toBe("no placeholders {{");
    // A backslash keeps a placeholder as text: a prompt about Handlebars templates.
    expect(render("Render \\{{ title }} with {{ a }}", { a: "1" })).toBe("Render {{ title }} with 1");
    expect((await load("id: t\nprompt: Keep \\{{ title }} in {{ f }}\nfor_each:\n  f: [a]\n")).tasks[0]?.prompt).toBe("Keep {{ title }} in a");
  });
});

describe("choosing tasks", () => {
  it("takes labels, id globs (a base id takes its expansion) and a limit; a choice that takes nothing is an error", async () => {
    const { tasks } = await load("id: jsdoc\nlabels: [nightly]\nprompt: Do {{ file }}\nfor_each:\n  file: {glob: 'src/*.ts', exclude: '**/*.d.ts'}\n---\nid: other\nprompt: Other\n");
    expect(chooseTasks(tasks, { labels: ["nightly"] }).map((task) => task.id)).toEqual(["jsdoc.src-math-test-ts", "jsdoc.src-math-ts", "jsdoc.src-strings-ts"]);
    expect(chooseTasks(tasks, { only: ["jsdoc"] })).toHaveLength(3);
    expect(chooseTasks(tasks, { only: ["*.src-math-*", "other"] }).map((task) => task.id)).toEqual(["jsdoc.src-math-test-ts", "jsdoc.src-math-ts", "other"]);
    expect(() => chooseTasks(tasks, { labels: ["nigthly"] })).toThrow("--label nigthly: no task has this label; did you mean --label nightly?");
    expect(() => chooseTasks(tasks, { only: ["nope"] })).toThrow("--only nope: no task id matches; ids look like jsdoc.src-math-test-ts, jsdoc.src-math-ts, jsdoc.src-strings-ts, ...");
    // Each label and glob must take a task: the part that takes none is not silently dropped.
    const messages = (choice: Parameters<typeof chooseTasks>[1]) => {
      const error: unknown = (() => { try { chooseTasks(tasks, choice); } catch (thrown) { return thrown; } return undefined; })();
      return error instanceof UserErrors ? error.errors.map((each) => each.message) : [];
    };
    expect(messages({ labels: ["nightly", "nigthly", "zzz"] })).toEqual(["--label nigthly: no task has this label; did you mean --label nightly?", "--label zzz: no task has this label; the labels are: nightly"]);
    expect(messages({ only: ["jsdoc", "jsdco"] })).toEqual(["--only jsdco: no task id matches; did you mean --only jsdoc?"]);
    expect(messages({ labels: ["nightly"], only: ["other"] })).toEqual([expect.stringMatching(/^--only other: no task id matches among the tasks the labels chose; /)]);
    // --shard splits the expanded tasks themselves, each to exactly one shard.
    const shards = [1, 2].map((index) => tasks.filter((task) => inShard(task.id, { index, count: 2 })).map((task) => task.id));
    expect(shards.every((ids) => ids.length > 0)).toBe(true);
    expect([...(shards[0] ?? []), ...(shards[1] ?? [])].sort()).toEqual(tasks.map((task) => task.id).sort());
    expect(parseLimit("2")).toBe(2);
    expect(() => parseLimit("0")).toThrow("--limit: expected a positive whole number of tasks");
    // Changed files select expanded tasks by their own files, literally: brackets in a path are no glob.
    const pages = filesOf({ "app/[id].ts": "", "app/i.ts": "" });
    const dynamic = (await load("id: page\nprompt: Do {{ file }}\nfor_each:\n  file: {glob: 'app/*.ts'}\n", pages, "pages.yaml")).tasks;
    expect(selectByChangedFiles([...tasks, ...dynamic], ["src/math.ts", "app/i.ts"]).map((task) => [task.id, task.changedFiles])).toEqual([
      ["jsdoc.src-math-ts", ["src/math.ts"]],
      ["page.app-i-ts", ["app/i.ts"]],
    ]);
  });
});

function readBack(): string {
  return [
    "id: jsdoc",
    "title: JSDoc for {{ file }}",
    "prompt: Add JSDoc comments to every exported function in {{ file }}.",
    "for_each:",
    '  file: { glob: "src/**/*.ts", exclude: ["**/*.test.ts", "**/*.d.ts"] }',
  ].join("\n");
}
