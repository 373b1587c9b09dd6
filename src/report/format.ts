/** How reports and progress lines show money, tokens and time. */

export function formatCost(cost: number | null): string {
  if (cost === null) return "unknown";
  if (cost === 0) return "$0";
  return cost < 0.01 ? `$${cost.toFixed(4)}` : `$${cost.toFixed(2)}`;
}

export function formatTokens(tokens: { input: number; output: number; estimated: boolean }): string {
  const mark = tokens.estimated ? "~" : "";
  return `${mark}${tokens.input} / ${mark}${tokens.output}`;
}

/** "1 turn", "2 turns". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/**
 * "640 ms", "1.5 s", "2 m 5 s". Rounded to the unit shown before the unit is chosen, so that 999.6 ms is
 * "1.0 s", not "1000 ms", and 119.6 s is "2 m 0 s", not "1 m 60 s". report.html's script does the same (page.ts).
 */
export function formatDuration(ms: number): string {
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} m ${seconds % 60} s`;
}

/** Whitespace, line breaks included, as single spaces: for a list item, a table cell or a progress line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** At most `max` characters, the last an ellipsis when the text was longer. */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Text safe inside a Markdown table cell. */
export function escapeCell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}

/** Text a model or a task file gave, shown as text: `<`, `>` and `&` would otherwise be read as HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Text a model or a task file gave, shown as Markdown text in which its own code spans stay code: HTML is
 * escaped outside them only, because inside a code span `&amp;` would show as it is written. A run of
 * backticks opens a span only when a run of the same length closes it, as CommonMark reads them.
 */
export function escapeText(text: string): string {
  let out = "";
  let at = 0;
  const runs = /`+/g;
  for (let open = runs.exec(text); open; open = runs.exec(text)) {
    const close = new RegExp(`(?<!\`)${open[0]}(?!\`)`, "g");
    close.lastIndex = open.index + open[0].length;
    const end = close.exec(text);
    if (!end) continue;
    out += escapeHtml(text.slice(at, open.index)) + text.slice(open.index, end.index + open[0].length);
    at = end.index + open[0].length;
    runs.lastIndex = at;
  }
  return out + escapeHtml(text.slice(at));
}

/** Inline code that survives backticks in the text. */
export function codeSpan(text: string): string {
  const fence = "`".repeat(Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  const padding = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${padding}${text}${padding}${fence}`;
}
