/// <reference lib="dom" />
import type { PageData, PageTask, Step, TaskDetail } from "./shape.ts";

/**
 * The script of report.html. It runs in the browser: render.ts embeds its source (`runPage.toString()`),
 * so it must use nothing from outside its own body (types only). Every text it shows came from a model, a
 * tool or a repository: it goes into the page through textContent and DOM properties only, never as
 * markup, and links are built from path segments it encodes itself.
 */
export function runPage(): void {
  type Child = Node | string | null | undefined | false;
  type Props = { [key: string]: string | number | boolean | ((event: Event) => void) | undefined };

  /** An element with properties (className, title, onclick, dataset via `data-*`) and text or element children. */
  function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
    const element = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined) continue;
      if (key.startsWith("data-")) element.setAttribute(key, String(value));
      else if (typeof value === "function") element.addEventListener(key.slice(2), value);
      else Reflect.set(element, key, value);
    }
    for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
    return element;
  }

  const SVG = "http://www.w3.org/2000/svg";
  /** An SVG element; attributes are numbers or words made here, never the run's text (that goes in <title> as text). */
  function s(tag: string, attributes: Record<string, string | number> = {}, ...children: Child[]): SVGElement {
    const element = document.createElementNS(SVG, tag) as SVGElement;
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
    for (const child of children) if (child) element.append(child);
    return element;
  }

  /** A link into the run folder: each segment encoded, so no path can become a scheme, a query or markup. */
  function fileLink(path: string, label?: string): HTMLElement {
    const segments = path.split("/");
    if (path === "" || path.startsWith("/") || segments.some((segment) => segment === ".." || segment === "")) return h("code", {}, path);
    return h("a", { href: segments.map(encodeURIComponent).join("/"), className: "file" }, label ?? path);
  }

  function readJson<T>(id: string): T | undefined {
    const element = document.getElementById(id);
    return element?.textContent ? (JSON.parse(element.textContent) as T) : undefined;
  }

  const count = (value: number) => value.toLocaleString("en-US");
  /** As formatDuration (report/format.ts), which this script cannot import: rounded before the unit is chosen. */
  function duration(ms: number): string {
    if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
    const tenths = Math.round(ms / 100);
    if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
    const seconds = Math.round(ms / 1000);
    return `${Math.floor(seconds / 60)} m ${seconds % 60} s`;
  }
  const plural = (n: number, noun: string) => `${count(n)} ${noun}${n === 1 ? "" : "s"}`;
  const money = (usd: number) => (usd === 0 ? "$0" : usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`);
  const badge = (status: string) => h("span", { className: `badge ${status}` }, status.replace("_", " "));

  const app = document.getElementById("app");
  let data: PageData | undefined;
  try {
    data = readJson<PageData>("run-data");
  } catch (error) {
    // Said on the page: a blank page tells nobody what went wrong nor where else the run is.
    app?.append(h("p", { className: "warn-text", id: "page-error" }, `This page could not read its run data (${error instanceof Error ? error.message : String(error)}). The run's summary is in `, fileLink("report.md"), " and ", fileLink("summary.json"), " beside this page."));
    document.body.dataset.ready = "true";
    return;
  }
  if (!data || !app) return;
  document.title = `nanocoder batch · ${data.run.id}`;

  // ---- header, warnings, totals -----------------------------------------------------------------------

  const run = data.run;
  app.append(
    h("header", {},
      h("h1", {}, "nanocoder batch run ", h("code", {}, run.id)),
      h("p", { className: "meta" },
        `${run.started_at.replace("T", " ").replace(/\.\d+Z$/, " UTC")} · ${run.duration_text} · base `,
        h("code", { title: run.base }, run.base.slice(0, 12)),
        ` · policy `, h("code", {}, run.policy),
        run.shard ? ` · shard ${run.shard.index}/${run.shard.count}` : "",
        run.merged_from ? ` · merged from ${run.merged_from.length} runs` : "",
        ` · ${data.generator}`)),
  );
  if (data.warnings.length > 0) app.append(h("ul", { className: "warnings", id: "warnings" }, ...data.warnings.map((warning) => h("li", {}, warning))));

  const totals = data.totals;
  const stat = (key: string, label: string, value: string, extra = "") => h("div", { className: `stat ${extra}`, "data-key": key }, h("span", { className: "value" }, value), h("span", { className: "label" }, label));
  const tokens = `${totals.tokens.estimated ? "~" : ""}${count(totals.tokens.input)} / ${count(totals.tokens.output)}`;
  app.append(h("section", { className: "stats", id: "stats" },
    stat("tasks", "tasks", count(totals.tasks)),
    ...(["succeeded", "failed", "limit_exceeded", "error", "interrupted"] as const).map((status) => stat(status, status.replace("_", " "), count(totals[status]), totals[status] > 0 ? status : "zero")),
    stat("cost", "cost", totals.cost_text),
    stat("tokens", `tokens in / out (${count(totals.tokens.cached)} cached)`, tokens),
    stat("duration", "wall time", run.duration_text),
    stat("turns", "turns", count(totals.turns)),
    stat("denials", "denied calls", count(totals.denials), totals.denials > 0 ? "failed" : "zero"),
  ));
  const reasons = Object.entries(totals.stop_reasons).filter(([, n]) => n > 0);
  app.append(h("p", { className: "reasons", id: "stop-reasons" }, "Stop reasons: ", ...reasons.map(([reason, n]) => h("span", { className: "chip", "data-reason": reason }, `${reason} ${n}`))));

  // ---- charts -------------------------------------------------------------------------------------------

  const tasks = data.tasks;
  const WIDTH = 520;
  const HEIGHT = 150;

  /** Bars past which a chart shows the largest tasks only: where the money and the time went. */
  const MOST_BARS = 120;

  /** One bar per task in run order (the largest first, in a large run), coloured by status; a click opens the task. */
  function perTask(title: string, value: (task: PageTask) => number, label: (task: PageTask) => string): HTMLElement {
    const largest = tasks.length > MOST_BARS;
    const shownTasks = largest ? [...tasks].sort((a, b) => value(b) - value(a)).slice(0, MOST_BARS) : tasks;
    const max = Math.max(...shownTasks.map(value), 0);
    // A few tasks get bars of a bar's width, not the whole chart's.
    const step = Math.min(WIDTH / Math.max(shownTasks.length, 1), 36);
    const bars = shownTasks.map((task, i) => {
      const height = max > 0 ? (value(task) / max) * (HEIGHT - 4) : 0;
      const bar = s("rect", { x: (i * step).toFixed(2), y: (HEIGHT - height).toFixed(2), width: Math.max(step - (step > 3 ? 1 : 0), 0.5).toFixed(2), height: Math.max(height, 0.5).toFixed(2), class: `bar ${task.status}` },
        s("title", {}, `${task.id}: ${label(task)}`));
      bar.addEventListener("click", () => showTask(task.index));
      return bar;
    });
    const empty = max === 0 ? s("text", { x: WIDTH / 2, y: HEIGHT / 2, class: "axis", "text-anchor": "middle" }, `every task: ${tasks[0] ? label(tasks[0]) : "none"}`) : null;
    const note = `${largest ? `the ${MOST_BARS} largest of ${count(tasks.length)}, ` : ""}max ${shownTasks[0] ? label(shownTasks.reduce((a, b) => (value(b) > value(a) ? b : a))) : "—"}`;
    return chart(title, note, s("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: "chart", role: "img" }, ...bars, empty));
  }

  function chart(title: string, note: string, svg: SVGElement): HTMLElement {
    return h("figure", { className: "chart-box" }, h("figcaption", {}, h("strong", {}, title), h("span", { className: "note" }, note)), svg);
  }

  /** Input (cached apart) and output tokens of each model, as stacked horizontal bars. */
  function tokensByModel(): HTMLElement {
    const models = data!.models;
    const max = Math.max(...models.map((model) => model.input_tokens + model.output_tokens), 1);
    const row = 22;
    const labelWidth = 180;
    const height = Math.max(models.length * row, row);
    const scale = (n: number) => (n / max) * (WIDTH - labelWidth - 8);
    const rows = models.map((model, i) => {
      const y = i * row + 3;
      const cached = scale(model.cached_input_tokens);
      const fresh = scale(model.input_tokens - model.cached_input_tokens);
      const output = scale(model.output_tokens);
      const name = `${model.provider}/${model.model}`;
      return s("g", {},
        s("text", { x: 0, y: y + 13, class: "axis" }, name.length > 28 ? `${name.slice(0, 27)}…` : name),
        s("rect", { x: labelWidth, y, width: cached.toFixed(2), height: row - 6, class: "tok cached" }, s("title", {}, `${name}: ${count(model.cached_input_tokens)} cached input tokens`)),
        s("rect", { x: (labelWidth + cached).toFixed(2), y, width: fresh.toFixed(2), height: row - 6, class: "tok input" }, s("title", {}, `${name}: ${count(model.input_tokens - model.cached_input_tokens)} uncached input tokens`)),
        s("rect", { x: (labelWidth + cached + fresh).toFixed(2), y, width: output.toFixed(2), height: row - 6, class: "tok output" }, s("title", {}, `${name}: ${count(model.output_tokens)} output tokens, ${model.cost_usd === null ? "cost unknown" : money(model.cost_usd)}`)),
      );
    });
    return chart("Tokens by model", "cached · input · output", s("svg", { viewBox: `0 0 ${WIDTH} ${height}`, class: "chart", role: "img" }, ...rows));
  }

  /** How many tasks took each number of turns, in up to 20 bins. */
  function turnSpread(): HTMLElement {
    const most = Math.max(...tasks.map((task) => task.turns), 0);
    const binSize = Math.max(1, Math.ceil((most + 1) / 20));
    const bins = Array.from({ length: Math.floor(most / binSize) + 1 }, () => 0);
    for (const task of tasks) bins[Math.floor(task.turns / binSize)]! += 1;
    const tallest = Math.max(...bins, 1);
    const step = Math.min(WIDTH / bins.length, 60);
    const bars = bins.map((n, i) => {
      const height = (n / tallest) * (HEIGHT - 20);
      const range = binSize === 1 ? plural(i, "turn") : `${i * binSize}–${i * binSize + binSize - 1} turns`;
      return s("g", {},
        s("rect", { x: (i * step + 1).toFixed(2), y: (HEIGHT - 16 - height).toFixed(2), width: Math.max(step - 2, 1).toFixed(2), height: Math.max(height, n > 0 ? 1 : 0).toFixed(2), class: "bar spread" }, s("title", {}, `${range}: ${n} task${n === 1 ? "" : "s"}`)),
        bins.length <= 20 ? s("text", { x: (i * step + step / 2).toFixed(2), y: HEIGHT - 3, class: "axis", "text-anchor": "middle" }, String(i * binSize)) : null,
      );
    });
    return chart("Turns per task", `${count(tasks.length)} tasks, most ${most}`, s("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: "chart", role: "img" }, ...bars));
  }

  app.append(h("section", { className: "charts", id: "charts" },
    perTask("Cost per task", (task) => task.cost_usd ?? 0, (task) => task.cost_text),
    perTask("Duration per task", (task) => task.duration_ms, (task) => task.duration_text),
    tokensByModel(),
    turnSpread(),
  ));

  // ---- task table ---------------------------------------------------------------------------------------

  type Column = { key: string; label: string; sort: (task: PageTask) => number | string; cell: (task: PageTask) => Child; numeric?: boolean };
  const columns: Column[] = [
    { key: "id", label: "task", sort: (task) => task.id, cell: (task) => h("span", {}, h("span", { className: "task-id" }, task.id), task.title ? h("span", { className: "title" }, task.title) : null) },
    { key: "status", label: "status", sort: (task) => task.status, cell: (task) => badge(task.status) },
    { key: "stop_reason", label: "stop reason", sort: (task) => task.stop_reason, cell: (task) => h("span", { title: task.reason ?? "" }, task.stop_reason) },
    { key: "turns", label: "turns", sort: (task) => task.turns, cell: (task) => String(task.turns), numeric: true },
    { key: "tokens", label: "tokens in/out", sort: (task) => task.input_tokens + task.output_tokens, cell: (task) => `${count(task.input_tokens)} / ${count(task.output_tokens)}`, numeric: true },
    { key: "cost", label: "cost", sort: (task) => task.cost_usd ?? -1, cell: (task) => task.cost_text, numeric: true },
    { key: "duration", label: "time", sort: (task) => task.duration_ms, cell: (task) => task.duration_text, numeric: true },
    { key: "files", label: "files", sort: (task) => task.files, cell: (task) => String(task.files), numeric: true },
    { key: "denials", label: "denied", sort: (task) => task.denials, cell: (task) => (task.denials > 0 ? h("span", { className: "denied-count" }, String(task.denials)) : "0"), numeric: true },
  ];

  /** Rows drawn at once: a table of 1,000 rows takes a second to lay out; the rest come with "show more". */
  const PAGE_ROWS = 200;
  const rows = new Map<number, HTMLTableRowElement>();
  /** A task's row, made the first time it is shown. */
  function rowOf(task: PageTask): HTMLTableRowElement {
    let row = rows.get(task.index);
    if (!row) {
      row = h("tr", { className: `task-row ${task.status}`, "data-index": task.index, "data-id": task.id, tabIndex: 0, onclick: () => showTask(task.index), onkeydown: (event: Event) => {
        if ((event as KeyboardEvent).key === "Enter") showTask(task.index);
      } }, ...columns.map((column) => h("td", { className: column.numeric ? "num" : "" }, column.cell(task))));
      if (task.index === openIndex) row.classList.add("open");
      rows.set(task.index, row);
    }
    return row;
  }
  const tbody = h("tbody", {});

  const statuses = [...new Set(tasks.map((task) => task.status))];
  const stopReasons = [...new Set(tasks.map((task) => task.stop_reason))];
  const statusFilter = h("select", { id: "filter-status", onchange: () => draw() },
    h("option", { value: "" }, "every status"),
    ...statuses.map((status) => h("option", { value: `status:${status}` }, status)),
    ...stopReasons.map((reason) => h("option", { value: `reason:${reason}` }, `stop reason: ${reason}`)));
  const textFilter = h("input", { id: "filter-text", type: "search", placeholder: "id, title, model, reason…", oninput: () => draw() });
  const costFilter = h("input", { id: "filter-cost", type: "number", min: "0", step: "0.0001", placeholder: "min $", oninput: () => draw() });
  const timeFilter = h("input", { id: "filter-duration", type: "number", min: "0", step: "0.1", placeholder: "min s", oninput: () => draw() });
  const shown = h("span", { id: "shown", className: "note" });
  const more = h("button", { type: "button", id: "show-more", onclick: () => draw(limit + PAGE_ROWS) });

  let sortKey = "";
  let sortDescending = false;
  let limit = PAGE_ROWS;
  const headers = columns.map((column) => h("th", { className: column.numeric ? "num" : "" }, h("button", { type: "button", "data-sort": column.key, onclick: () => sortBy(column.key) }, column.label)));

  function sortBy(key: string): void {
    sortDescending = sortKey === key ? !sortDescending : columns.find((column) => column.key === key)?.numeric === true;
    sortKey = key;
    for (const header of headers) header.removeAttribute("aria-sort");
    const column = columns.find((candidate) => candidate.key === key);
    if (column) headers[columns.indexOf(column)]?.setAttribute("aria-sort", sortDescending ? "descending" : "ascending");
    draw();
  }

  /** The tasks the filters keep, in the chosen order. */
  function selected(): PageTask[] {
    const [kind, value] = statusFilter.value.split(":");
    const words = textFilter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const minCost = Number.parseFloat(costFilter.value);
    const minSeconds = Number.parseFloat(timeFilter.value);
    const kept = tasks.filter((task) => {
      const haystack = `${task.id} ${task.title ?? ""} ${task.model} ${task.provider} ${task.status} ${task.stop_reason} ${task.reason ?? ""}`.toLowerCase();
      return (!kind || (kind === "status" ? task.status === value : task.stop_reason === value))
        && words.every((word) => haystack.includes(word))
        && (Number.isNaN(minCost) || (task.cost_usd ?? 0) >= minCost)
        && (Number.isNaN(minSeconds) || task.duration_ms >= minSeconds * 1000);
    });
    const column = columns.find((candidate) => candidate.key === sortKey);
    if (!column) return kept;
    return kept.sort((a, b) => {
      const x = column.sort(a);
      const y = column.sort(b);
      const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return (sortDescending ? -order : order) || a.index - b.index;
    });
  }

  /** Draws the first `rows` of the selected tasks. */
  function draw(rowCount = PAGE_ROWS): void {
    limit = rowCount;
    const chosen = selected();
    tbody.replaceChildren(...chosen.slice(0, limit).map(rowOf));
    const left = chosen.length - Math.min(limit, chosen.length);
    shown.textContent = `${count(chosen.length)} of ${count(tasks.length)} tasks${left > 0 ? `, the first ${count(limit)} shown` : ""}`;
    more.hidden = left === 0;
    more.textContent = `show ${count(Math.min(left, PAGE_ROWS))} more`;
  }

  app.append(h("section", { id: "tasks" },
    h("h2", {}, "Tasks"),
    h("div", { className: "filters" }, statusFilter, textFilter, costFilter, timeFilter, shown),
    h("table", { className: "tasks" }, h("thead", {}, h("tr", {}, ...headers)), tbody),
    more));
  if (data.missing_tasks.length > 0) app.append(h("p", { className: "warn-text" }, `Missing from every run folder: ${data.missing_tasks.join(", ")}`));

  // ---- one task, rendered when opened --------------------------------------------------------------------

  // A panel of its own beside the table (contained, see the stylesheet): opening a task or a fold in it
  // never lays out the 1,000 rows again.
  const panel = h("aside", { id: "task-panel", hidden: true });
  document.body.append(panel);
  let openIndex: number | undefined;

  /** Opens a task through the address, so the browser's back button closes it and a link can name it. */
  function showTask(index: number): void {
    if (location.hash === `#task-${index}`) void openTask(index);
    else location.hash = `#task-${index}`;
  }

  function closeTask(): void {
    if (openIndex !== undefined) rows.get(openIndex)?.classList.remove("open");
    openIndex = undefined;
    panel.hidden = true;
    panel.replaceChildren();
    if (location.hash.startsWith("#task-")) history.replaceState(null, "", location.pathname + location.search);
  }

  /**
   * A task's detail: gzip-compressed JSON in base64 (render.ts), unpacked by the browser itself when the
   * task is opened. Undefined for a task without one; an Error when this browser cannot unpack it.
   */
  async function readTask(index: number): Promise<TaskDetail | Error | undefined> {
    const packed = document.getElementById(`task-${index}`)?.textContent?.trim();
    if (!packed) return undefined;
    try {
      const bytes = Uint8Array.from(atob(packed), (character) => character.charCodeAt(0));
      const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      return JSON.parse(await new Response(stream).text()) as TaskDetail;
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  /** Counts the openings, so that a task opened while another was unpacking wins. */
  let openings = 0;

  async function openTask(index: number): Promise<void> {
    const task = tasks[index];
    if (!task) return;
    const opening = ++openings;
    const detail = await readTask(index);
    if (opening !== openings) return;
    if (openIndex !== undefined) rows.get(openIndex)?.classList.remove("open");
    openIndex = index;
    rows.get(index)?.classList.add("open");
    panel.dataset.index = String(index);
    const body = detail instanceof Error
      ? h("p", { className: "warn-text" }, `This browser could not unpack the task's data (${detail.message}); its files are `, fileLink(`tasks/${task.id}/events.jsonl`, "events.jsonl"), " and ", fileLink(`tasks/${task.id}/patch.diff`, "patch.diff"), ".")
      : detail ? renderDetail(task, detail) : h("p", {}, "No detail recorded for this task.");
    panel.replaceChildren(
      h("div", { className: "panel-head" },
        h("h2", {}, h("code", {}, task.id)),
        h("button", { type: "button", className: "close", title: "Close (Esc)", onclick: () => closeTask() }, "×")),
      task.title ? h("p", { className: "title" }, task.title) : "",
      body);
    panel.hidden = false;
    panel.scrollTop = 0;
  }
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && openIndex !== undefined) closeTask();
  });
  draw();

  function section(title: string, ...children: Child[]): HTMLElement {
    return h("section", { className: "part" }, h("h3", {}, title), ...children);
  }

  function renderDetail(task: PageTask, detail: TaskDetail): HTMLElement {
    const parts: Child[] = [
      h("p", { className: "task-head" }, badge(task.status), " ", h("strong", {}, task.stop_reason), task.reason ? ` — ${task.reason}` : "",
        h("br", {}),
        `${task.provider}/${task.model} · ${plural(task.turns, "turn")} · ${plural(task.requests, "request")} · ${plural(task.attempts, "attempt")} · ${task.cost_text} · ${task.duration_text} · `,
        fileLink(detail.links.events, "events.jsonl"), " · ", fileLink(detail.links.patch, "patch.diff"), " · ", fileLink(detail.links.result, "result.json")),
      section("Prompt", h("pre", { className: "text prompt" }, detail.prompt)),
    ];
    if (detail.final_message !== undefined) parts.push(section("Final message", h("pre", { className: "text final" }, detail.final_message)));
    if (detail.error !== undefined) parts.push(section("Error", h("pre", { className: "text error" }, detail.error)));
    if (detail.checks.length > 0) parts.push(section("Checks", ...detail.checks.map((check) => h("div", { className: `check ${check.passed ? "passed" : "failed"}` },
      h("p", {}, h("strong", {}, check.name), check.attempt ? ` (attempt ${check.attempt})` : "", ` ${check.passed ? "passed" : check.timed_out ? "timed out" : `failed, exit ${check.exit_code ?? "—"}`} in ${duration(check.duration_ms)} · `, fileLink(check.log, "log")),
      check.output_tail ? h("pre", { className: "tail" }, check.output_tail) : null))));
    if (detail.denied_calls.length > 0 || detail.violations.length > 0) {
      parts.push(section("Refused by the policy",
        h("ul", { className: "denials" },
          ...detail.denied_calls.map((call) => h("li", {}, h("code", {}, call.subject), ` — ${call.tool}, rule `, h("code", {}, call.rule), `: ${call.reason}`)),
          ...detail.violations.map((violation) => h("li", {}, h("code", {}, `write ${violation.path}`), ` by ${violation.by} — rule `, h("code", {}, violation.rule), `: ${violation.reason} (undone)`)))));
    }
    const patchFiles = detail.diff.length + detail.diff_files_cut;
    parts.push(section(`Patch (${count(patchFiles)} file${patchFiles === 1 ? "" : "s"})`, detail.patch_missing
      ? h("p", { className: "warn-text patch-missing" }, "The patch file ", fileLink(detail.links.patch), ` is missing from the run folder; the task's result names ${plural(task.files, "changed file")}.`)
      : detail.diff.length === 0 ? h("p", { className: "note" }, "No changes.") : null, ...detail.diff.map(renderFile),
      detail.diff_files_cut > 0 ? h("p", { className: "note diff-files-cut" }, `… ${count(detail.diff_files_cut)} more file${detail.diff_files_cut === 1 ? "" : "s"} in `, fileLink(detail.links.patch, "patch.diff")) : null));
    parts.push(section("Timeline", h("ol", { className: "timeline" }, ...detail.steps.map(renderStep))));
    parts.push(section("Requests", renderRequests(detail)));
    if (detail.cut.length > 0) parts.push(h("p", { className: "note" }, `Shortened to keep this page small: ${detail.cut.join(", ")}. The whole of it is in `, fileLink(detail.links.events, "events.jsonl"), " and ", fileLink(detail.links.patch, "patch.diff"), "."));
    return h("div", { className: "detail" }, ...parts);
  }

  function renderFile(file: TaskDetail["diff"][number]): HTMLElement {
    const body = h("pre", { className: "diff" });
    // Filled when first opened: a large patch costs nothing until someone looks at it.
    const details = h("details", { className: "diff-file" },
      h("summary", {}, h("code", {}, file.path), " ", h("span", { className: "add" }, `+${file.added}`), " ", h("span", { className: "del" }, `−${file.removed}`), file.binary ? " binary" : ""),
      body);
    details.addEventListener("toggle", () => {
      if (!details.open || body.childElementCount > 0) return;
      // Past the first @@ every line is the hunk's: an added line "++x" reads "+++x" and is no header.
      let inHunk = false;
      for (const line of file.text.split("\n")) {
        if (line.startsWith("@@")) inHunk = true;
        const kind = line.startsWith("@@") ? "hunk" : !inHunk ? "head" : line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : "ctx";
        body.append(h("span", { className: `line ${kind}` }, `${line}\n`));
      }
      if (file.cut > 0) body.append(h("span", { className: "line cut" }, `… ${count(file.cut)} more characters in patch.diff`));
    });
    return details;
  }

  function renderStep(step: Step): HTMLElement {
    switch (step.kind) {
      case "model":
        return h("li", { className: "step model" }, h("span", { className: "who" }, `turn ${step.turn}${step.purpose ? ` (${step.purpose})` : ""} · model`), h("pre", { className: "text" }, step.text));
      case "tool": {
        const denied = step.decisions.some((decision) => decision.decision === "deny") || step.result?.status === "denied";
        const first = step.decisions[0];
        const summary = h("summary", {},
          h("span", { className: "who" }, `turn ${step.turn} · `), h("code", { className: "tool" }, step.name), " ",
          h("code", { className: "args" }, first?.subject ?? step.arguments.slice(0, 160)), " ",
          ...step.decisions.map((decision) => h("span", { className: `decision ${decision.decision}`, title: decision.reason }, `${decision.effect ? "after run: " : ""}${decision.decision} · ${decision.rule}`)),
          step.result ? h("span", { className: `result-status ${step.result.status}` }, ` ${step.result.status} · ${duration(step.result.duration_ms)}`) : null);
        return h("li", { className: `step tool${denied ? " denied" : ""}` },
          h("details", { className: "call" }, summary,
            h("div", { className: "call-body" },
              h("p", { className: "label" }, "arguments"), h("pre", { className: "args" }, step.arguments),
              ...step.decisions.map((decision) => h("p", { className: `decision-line ${decision.decision}` },
                `${decision.effect ? "after the command ran, " : ""}${decision.decision}: ${decision.subject} — rule `, h("code", {}, decision.rule),
                decision.pattern ? h("span", {}, " (", h("code", {}, decision.pattern), decision.rule_source ? `, ${decision.rule_source}` : "", ")") : null,
                `: ${decision.reason}`)),
              step.result ? h("details", { className: "result" }, h("summary", {}, `result (${step.result.status}, ${count(step.result.output.length)} characters)`), h("pre", { className: "output" }, step.result.output)) : h("p", { className: "note" }, "no result"))));
      }
      case "check":
        return h("li", { className: `step check ${step.exit_code === 0 ? "passed" : "failed"}` },
          h("span", { className: "who" }, `check ${step.name} · attempt ${step.attempt}`), " ", h("code", {}, step.command),
          ` ${step.exit_code === 0 ? "passed" : step.timed_out ? "timed out" : `exit ${step.exit_code ?? "—"}`} in ${duration(step.duration_ms)}`,
          step.exit_code === 0 ? null : h("pre", { className: "tail" }, step.output));
      case "note":
        return h("li", { className: `step note${step.warn ? " warn" : ""}` }, step.text);
      case "gap":
        return h("li", { className: "step gap" }, `… ${count(step.count)} steps not shown here; see events.jsonl`);
    }
  }

  function renderRequests(detail: TaskDetail): HTMLElement {
    const header = ["turn", "input", "cached", "output", "cost", "time"].map((label, i) => h("th", { className: i > 0 ? "num" : "" }, label));
    const lines = detail.requests.map((request) => h("tr", {},
      h("td", {}, `${request.turn}${request.purpose ? ` (${request.purpose})` : ""}`),
      h("td", { className: "num" }, `${request.estimated ? "~" : ""}${count(request.input)}`),
      h("td", { className: "num" }, count(request.cached)),
      h("td", { className: "num" }, `${request.estimated ? "~" : ""}${count(request.output)}`),
      h("td", { className: "num" }, request.cost_usd === undefined ? "—" : money(request.cost_usd)),
      h("td", { className: "num" }, duration(request.duration_ms))));
    return h("div", {},
      h("table", { className: "requests" }, h("thead", {}, h("tr", {}, ...header)), h("tbody", {}, ...lines)),
      h("p", { className: "note" }, `${detail.requests_cut > 0 ? `${count(detail.requests_cut)} requests in the middle not shown. ` : ""}A request's cost shows when the server reported it; the task's ${tasks.find((task) => task.id === detail.id)?.cost_text ?? ""} is priced from the config and the price table.`));
  }

  // ---- links to a task: #task-<index> ---------------------------------------------------------------------

  function openFromHash(): void {
    const match = /^#task-(\d+)$/.exec(location.hash);
    if (match) void openTask(Number(match[1]));
    else if (openIndex !== undefined) closeTask();
  }
  window.addEventListener("hashchange", openFromHash);
  openFromHash();
  document.body.dataset.ready = "true";
}
