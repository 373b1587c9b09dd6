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

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} m ${Math.round(seconds % 60)} s`;
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
