import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeHtmlReport } from "../../src/report/html/write.ts";
import { MOST_DIFF_FILES } from "../../src/report/html/shape.ts";
import { buildSummary } from "../../src/report/summary.ts";
import type { RunSummary, TaskResult } from "../../src/report/types.ts";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { createRepo, removeDir } from "../helpers/repo.ts";
import { readSummary } from "../helpers/run-folder.ts";

/**
 * report.html of a real run folder (the built CLI against the scripted server), driven in Debian's chromium
 * through playwright-core. One run and one browser for the whole file.
 */

const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`skipping report.html browser tests: ${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)`);

/** Markup that would run or load something if the page ever read the run's text as HTML. */
const HOSTILE = [
  `<script>window.__pwned = "script"</script>`,
  `<img src=x onerror="window.__pwned = 'img'">`,
  `<a href="javascript:window.__pwned = 'link'">click</a>`,
  `</script><script>window.__pwned = "closed"</script>`,
  `--><!--<script>window.__pwned = "comment"</script>`,
  `]]><svg onload="window.__pwned = 'svg'"></svg>`,
  `<iframe src="http://127.0.0.1:9/frame"></iframe><style>body { background: url(http://127.0.0.1:9/bg.png) }</style>`,
].join("\n");
/** A file name with markup in it: no "/" can be in a name. */
const HOSTILE_FILE = `x<img src=x onerror=window.__pwned=1>'-->.txt`;

let server: FakeOpenAI;
let repo: string;
let out: string;
let run: CliResult;
let summary: RunSummary;
let browser: Browser;
let page: Page;
/** Everything the page asked the network or the file system for, and what tried to run. */
const requests: string[] = [];
const dialogs: string[] = [];

const call = (name: string, args: object) => ({ tool_calls: [{ name, arguments: args }] });

beforeAll(async () => {
  server = await startFakeOpenAI([
    {
      match: "Add a greeting",
      turns: [
        call("write_file", { path: "hello.txt", content: "hello\nworld\n" }),
        call("read_file", { path: "hello.txt" }),
        // The model repeats the API key: hidden in the page as in every file of the run folder.
        { content: "I will push it now with sk-test-secret-key-123.", ...call("execute_bash", { command: "git push origin main" }) },
        { content: "Added hello.txt." },
      ],
    },
    { match: "Break the tests", turns: [call("write_file", { path: "broken.txt", content: "broken\n" }), { content: "All good." }] },
    {
      match: "HOSTILE-TASK",
      turns: [
        { content: HOSTILE, ...call("write_file", { path: HOSTILE_FILE, content: `${HOSTILE}\n` }) },
        call("read_file", { path: HOSTILE_FILE }),
        call("execute_bash", { command: `curl '${HOSTILE.split("\n")[1]}'` }),
        { content: HOSTILE },
      ],
    },
  ]);
  repo = createRepo({
    "README.md": "# demo\n",
    "evil.html": `${HOSTILE}\n`,
    // JSON is YAML: the hostile strings need no quoting rules of their own.
    "tasks/a-greet.yaml": JSON.stringify({ id: "greet", title: "Add a greeting file", prompt: "Add a greeting in hello.txt." }),
    "tasks/b-broken.yaml": JSON.stringify({ id: "broken", prompt: "Break the tests, then say all is good.", checks: [{ name: "unit", run: "echo 'expected 3, got 4' >&2; exit 3" }] }),
    "tasks/c-hostile.yaml": JSON.stringify({
      id: "hostile",
      title: HOSTILE,
      prompt: `HOSTILE-TASK ${HOSTILE}`,
      checks: [{ name: `check ${HOSTILE.split("\n")[0]}`, run: "cat evil.html; exit 1" }],
    }),
  });
  out = mkdtempSync(join(tmpdir(), "nanocoder-test-html-"));
  run = await runCli(["batch", "tasks/*.yaml", "--base-url", server.url, "--model", "scripted", "--out", out], { cwd: repo, env: { OPENAI_API_KEY: "sk-test-secret-key-123" } });
  summary = readSummary(out);
  if (!haveChromium) return;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"] });
  page = await browser.newPage();
  // Runs before the page's own script, outside its Content-Security-Policy: records what the page tries.
  await page.addInitScript(() => {
    const record = window as unknown as { __violations: string[] };
    record.__violations = [];
    document.addEventListener("securitypolicyviolation", (event) => record.__violations.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  page.on("request", (request) => requests.push(request.url()));
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(pathToFileURL(join(out, "report.html")).href);
  await page.waitForSelector("body[data-ready=true]");
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server.close();
  removeDir(repo);
  rmSync(out, { recursive: true, force: true });
});

const row = (id: string) => page.locator(`tr.task-row[data-id="${id}"]`);
/** Opens a task's panel from its row, closing the one open (Escape) first, as it covers part of the table. */
/** Opens a task's panel and waits for it: the click sets the hash, and the panel is drawn once the task is unpacked. */
async function open(id: string) {
  await page.keyboard.press("Escape");
  expect(await page.locator("#task-panel").isVisible()).toBe(false);
  await row(id).click();
  await page.locator("#task-panel .panel-head").waitFor();
}

describe("report.html of a run", () => {
  it("is written with the other reports, and summary.json and the final line name it", () => {
    expect(run.code, run.stderr).toBe(1);
    expect(summary.report_html).toBe("report.html");
    expect(existsSync(join(out, "report.html"))).toBe(true);
    expect(run.stdout).toContain(`report: ${join(out, "report.html")}`);
    // The API key never reaches the page, as in every other file of the run folder: not in its text, and
    // not in the tasks' packed data either.
    const html = readFileSync(join(out, "report.html"), "utf8");
    const packed = [...html.matchAll(/<script type="application\/gzip" id="task-\d+">([^<]*)<\/script>/g)].map((match) => gunzipSync(Buffer.from(match[1] ?? "", "base64")).toString("utf8"));
    expect(packed).toHaveLength(3);
    expect([html, ...packed].filter((text) => text.includes("sk-test-secret-key-123"))).toEqual([]);
    expect(packed[0]).toContain("I will push it now with [REDACTED].");
  });

  it.skipIf(!haveChromium)("shows the totals of summary.json", async () => {
    const stat = (key: string) => page.locator(`.stat[data-key="${key}"] .value`).textContent();
    expect(await stat("tasks")).toBe(String(summary.totals.tasks));
    expect(await stat("succeeded")).toBe(String(summary.totals.succeeded));
    expect(await stat("failed")).toBe(String(summary.totals.failed));
    expect(await stat("denials")).toBe(String(summary.totals.denials));
    expect(await stat("turns")).toBe(String(summary.totals.turns));
    expect(await stat("cost")).toBe("$0");
    expect(summary.totals).toMatchObject({ tasks: 3, succeeded: 1, failed: 2, denials: 2, cost_usd: 0 });
    expect(await page.locator("#stop-reasons .chip").allTextContents()).toEqual(["completed 1", "checks_failed 2"]);
    // Commands ran in this test without bubblewrap's sandbox or with it: either way the page says which.
    if (summary.sandbox && !summary.sandbox.active) expect(await page.locator("#warnings").textContent()).toContain("No sandbox");
    expect(await page.locator("#charts svg").count()).toBe(4);
    expect(await page.locator("#charts svg").first().locator("rect").count()).toBe(3);
  });

  it.skipIf(!haveChromium)("filters the task table by text, status and cost, and sorts it", async () => {
    await page.fill("#filter-text", "greeting");
    expect(await page.locator("tr.task-row:visible").count()).toBe(1);
    expect(await row("greet").isVisible()).toBe(true);
    await page.fill("#filter-text", "");
    await page.selectOption("#filter-status", "status:failed");
    expect(await page.locator("tr.task-row:visible").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-id")))).toEqual(["broken", "hostile"]);
    await page.selectOption("#filter-status", "");
    await page.fill("#filter-cost", "1");
    expect(await page.locator("tr.task-row:visible").count()).toBe(0);
    expect(await page.locator("#shown").textContent()).toBe("0 of 3 tasks");
    expect(await page.locator("#show-more").isVisible()).toBe(false);
    await page.fill("#filter-cost", "");
    await page.click('th button[data-sort="turns"]');
    const turns = await page.locator("tr.task-row").evaluateAll((rows) => rows.map((row) => Number(row.children[3]?.textContent)));
    expect(turns).toEqual([...turns].sort((a, b) => b - a));
    expect(turns).toEqual(expect.arrayContaining(summary.tasks.map((task) => task.turns)));
  });

  it.skipIf(!haveChromium)("opens a task: its prompt, final message, patch per file, timeline with decisions, folded results", async () => {
    await open("greet");
    const detail = page.locator('#task-panel[data-index="0"]');
    expect(page.url()).toMatch(/#task-0$/);
    expect(await detail.locator("pre.prompt").textContent()).toBe("Add a greeting in hello.txt.");
    expect(await detail.locator("pre.final").textContent()).toBe("Added hello.txt.");

    const file = detail.locator("details.diff-file").first();
    expect(await file.locator("summary").textContent()).toBe("hello.txt +2 −0");
    expect(await file.locator("pre.diff .line.add").count()).toBe(0);
    await file.locator("summary").click();
    // The diff is drawn when its file is opened, by the toggle event, which comes after the click: wait for it.
    await file.locator("pre.diff .line").first().waitFor();
    expect(await file.locator("pre.diff .line.add").allTextContents()).toEqual(["+++ b/hello.txt\n", "+hello\n", "+world\n"].slice(1));

    const denied = detail.locator("li.step.tool.denied");
    expect(await denied.count()).toBe(1);
    expect(await denied.locator("summary .decision").textContent()).toBe("deny · default");
    expect(await detail.locator(".denials li").textContent()).toContain("run git push origin main");

    const read = detail.locator("li.step.tool", { has: page.locator("code.tool", { hasText: "read_file" }) });
    await read.locator("summary").first().click();
    const result = read.locator("details.result");
    expect(await result.getAttribute("open")).toBeNull();
    expect(await result.locator("pre.output").isVisible()).toBe(false);
    await result.locator("summary").click();
    expect(await result.locator("pre.output").textContent()).toContain("hello");
    expect(await result.locator("pre.output").isVisible()).toBe(true);
    expect(await detail.locator("table.requests tbody tr").count()).toBe(summary.tasks[0]?.requests);
  });

  it.skipIf(!haveChromium)("shows a failed check with its output's tail", async () => {
    await open("broken");
    const detail = page.locator('#task-panel[data-index="1"]');
    expect(await detail.locator("div.check.failed pre.tail").textContent()).toContain("expected 3, got 4");
    expect(await detail.locator("div.check.failed a.file").getAttribute("href")).toBe(summary.tasks[1]?.checks[0]?.log);
  });

  it.skipIf(!haveChromium)("runs and loads nothing from the run's content, with every part of the hostile task open", async () => {
    await page.keyboard.press("Escape");
    await page.locator("#charts svg rect").last().hover();
    await open("hostile");
    const detail = page.locator('#task-panel[data-index="2"]');
    for (const summaryElement of await detail.locator("details > summary").all()) await summaryElement.click();
    // The text is all there, as text.
    expect(await detail.locator("pre.prompt").textContent()).toBe(`HOSTILE-TASK ${HOSTILE}`);
    expect(await detail.locator("pre.final").textContent()).toBe(HOSTILE);
    expect(await detail.locator("li.step.model pre").first().textContent()).toBe(HOSTILE);
    expect(await detail.locator("details.diff-file summary code").textContent()).toBe(HOSTILE_FILE);
    // The diff is drawn by the toggle event that follows the click, as in the test above: wait for it.
    await detail.locator("pre.diff .line").first().waitFor();
    expect(await detail.locator("pre.diff").textContent()).toContain(HOSTILE.split("\n")[3]);
    const read = detail.locator("li.step.tool", { has: page.locator("code.tool", { hasText: "read_file" }) });
    expect(await read.locator("pre.output").textContent()).toContain(HOSTILE.split("\n")[0]);
    expect(await row("hostile").locator(".title").textContent()).toBe(HOSTILE);
    expect(await detail.locator("li.step.tool.denied").count()).toBe(1);

    const state = await page.evaluate(() => {
      const record = window as unknown as { __pwned?: unknown; __violations: string[] };
      const handlers = [...document.querySelectorAll("*")].flatMap((element) => [...element.attributes].filter((attribute) => attribute.name.startsWith("on")).map((attribute) => attribute.name));
      return {
        pwned: record.__pwned,
        violations: record.__violations,
        // Scripts that would run: the page's own, and no other (the data elements have types that never run).
        scripts: document.querySelectorAll("script:not([type='application/json']):not([type='application/gzip'])").length,
        loading: document.querySelectorAll("img, iframe, object, embed, link, style:not(head > style)").length,
        handlers,
        links: [...document.querySelectorAll("a")].map((link) => link.getAttribute("href") ?? ""),
      };
    });
    expect(state.pwned).toBeUndefined();
    expect(state.violations).toEqual([]);
    expect(state.scripts).toBe(1);
    expect(state.loading).toBe(0);
    expect(state.handlers).toEqual([]);
    expect(state.links.length).toBeGreaterThan(0);
    for (const href of state.links) expect(href).toMatch(/^tasks\/[^:]*$/);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([pathToFileURL(join(out, "report.html")).href]);
  });

  it.skipIf(!haveChromium)("says so on the page, not blank, when its run data is not JSON", async () => {
    const html = readFileSync(join(out, "report.html"), "utf8");
    const broken = join(out, "broken.html");
    writeFileSync(broken, html.replace(/(<script type="application\/json" id="run-data">)[^<]*/, '$1{"cost_usd":0.[REDACTED]}'));
    const other = await browser.newPage();
    try {
      await other.goto(pathToFileURL(broken).href);
      await other.waitForSelector("body[data-ready=true]");
      expect(await other.locator("#page-error").textContent()).toMatch(/^This page could not read its run data \(.+\)\. The run's summary is in report\.md and summary\.json beside this page\.$/);
    } finally {
      await other.close();
      rmSync(broken);
    }
  });

  it("is written again by `report html DIR`, and for a merged run", async () => {
    const before = readFileSync(join(out, "report.html"), "utf8");
    rmSync(join(out, "report.html"));
    const again = await runCli(["report", "html", out], { cwd: repo });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe(join(out, "report.html"));
    expect(readFileSync(join(out, "report.html"), "utf8")).toBe(before);

    const merged = join(out, "merged");
    const merge = await runCli(["report", "merge", out, "--out", merged, "--json"], { cwd: repo });
    const printed = JSON.parse(merge.stdout) as RunSummary;
    expect(printed.report_html).toBe("report.html");
    const page = readFileSync(join(merged, "report.html"), "utf8");
    expect(page).toContain('<script type="application/gzip" id="task-2">');
    expect(page).toContain(summary.run_id);
  });
});

/** A run folder written here, not by a run: patches no scripted model makes, drawn by the same page. */
describe.skipIf(!haveChromium)("report.html of crafted patches", () => {
  const task = (id: string, extra: Partial<TaskResult> = {}): TaskResult => ({
    id, status: "succeeded", stop_reason: "completed", expect: "changes", provider: "p", model: "m", turns: 1, requests: 1,
    tokens: { input: 1, output: 1, cached: 0, estimated: false }, cost_usd: 0, duration_ms: 1, denials: 0, denied_calls: [],
    attempts: 1, checks: [], files_changed: ["a.txt"], patch: `tasks/${id}/patch.diff`, ...extra,
  });
  const patches: Record<string, string> = {
    // Lines that were "++ x" and "-- y" in the file, and a context line "--- z".
    hunks: "diff --git a/a.txt b/a.txt\nindex 1..2 100644\n--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n--- y\n+++ x\n --- z\n+plain\n",
    many: Array.from({ length: MOST_DIFF_FILES + 30 }, (_, i) => `diff --git a/f${i} b/f${i}\n--- a/f${i}\n+++ b/f${i}\n@@ -1 +1 @@\n-a\n+b\n`).join(""),
  };
  let dir: string;
  let crafted: Page;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nanocoder-test-html-crafted-"));
    const slowCheck = { name: "slow", passed: true, exit_code: 0, timed_out: false, duration_ms: 119_600, log: "tasks/timing/checks/1-slow.log" };
    const tasks = [...Object.keys(patches).map((id) => task(id)), task("timing", { duration_ms: 59_990, checks: [slowCheck] }), task("gone")];
    for (const [id, patch] of Object.entries(patches)) {
      mkdirSync(join(dir, "tasks", id), { recursive: true });
      writeFileSync(join(dir, "tasks", id, "patch.diff"), patch);
    }
    // Neither has a patch.diff: "gone" is the one tested for it.
    for (const id of ["timing", "gone"]) {
      mkdirSync(join(dir, "tasks", id), { recursive: true });
      writeFileSync(join(dir, "tasks", id, "events.jsonl"), `${JSON.stringify({ ts: "t", type: "retry", attempt: 2, reason: "r" })}\n`);
    }
    await writeHtmlReport(dir, buildSummary({ runId: "crafted", startedAt: new Date(0), endedAt: new Date(1000), base: "abc", policy: "built-in" }, tasks), (text) => text);
    crafted = await browser.newPage();
    await crafted.goto(pathToFileURL(join(dir, "report.html")).href);
    await crafted.waitForSelector("body[data-ready=true]");
  });
  afterAll(async () => {
    await crafted?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const openCrafted = async (id: string) => {
    await crafted.keyboard.press("Escape");
    await crafted.locator(`tr.task-row[data-id="${id}"]`).click();
    // Escape emptied the panel: what is in it now is this task's, drawn once it was unpacked.
    await crafted.locator("#task-panel .panel-head").waitFor();
    return crafted.locator("#task-panel");
  };

  it("rounds durations before choosing their unit, and counts one turn as one", async () => {
    const panel = await openCrafted("timing");
    expect(await panel.locator("div.check p").textContent()).toContain("passed in 2 m 0 s");
    expect(await panel.locator("p.task-head").textContent()).toContain("p/m · 1 turn · 1 request · 1 attempt · $0 · 1 m 0 s · ");
  });

  it("colours a hunk's lines as added, removed or context even when they look like headers", async () => {
    const panel = await openCrafted("hunks");
    await panel.locator("details.diff-file summary").click();
    await panel.locator("pre.diff .line").first().waitFor();
    const lines = await panel.locator("pre.diff .line").evaluateAll((spans) => spans.map((span) => `${span.className.replace("line ", "")} ${span.textContent?.trimEnd()}`));
    expect(lines).toEqual(["head diff --git a/a.txt b/a.txt", "head index 1..2 100644", "head --- a/a.txt", "head +++ b/a.txt", "hunk @@ -1,3 +1,3 @@", "del --- y", "add +++ x", "ctx  --- z", "add +plain"]);
    expect(await panel.locator("details.diff-file summary").textContent()).toBe("a.txt +2 −1");
  });

  it("says a patch file is missing, not that there were no changes", async () => {
    const panel = await openCrafted("gone");
    expect(await panel.locator(".patch-missing").textContent()).toBe("The patch file tasks/gone/patch.diff is missing from the run folder; the task's result names 1 changed file.");
    expect(await panel.locator(".patch-missing a").getAttribute("href")).toBe("tasks/gone/patch.diff");
    expect(await panel.locator("section.part", { hasText: "Patch" }).textContent()).not.toContain("No changes.");
  });

  it("draws the first files of a patch of many, and links patch.diff for the others", async () => {
    const panel = await openCrafted("many");
    expect(await panel.locator("details.diff-file").count()).toBe(MOST_DIFF_FILES);
    expect(await panel.locator("h3", { hasText: "Patch" }).textContent()).toBe(`Patch (${MOST_DIFF_FILES + 30} files)`);
    expect(await panel.locator(".diff-files-cut").textContent()).toBe("… 30 more files in patch.diff");
    expect(await panel.locator(".diff-files-cut a").getAttribute("href")).toBe("tasks/many/patch.diff");
  });
});
