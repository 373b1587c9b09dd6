/**
 * Tool calls written as text, for models without native tool calling. Pure: no I/O.
 *
 * Accepted, anywhere in the reply and as many as the model writes, in the order written:
 * - `<tool_call name="read_file">{"path": "a.ts"}</tool_call>`, the body optionally fenced;
 * - `<tool_call>{"name": "read_file", "arguments": {...}}</tool_call>` (Hermes and Qwen write this);
 * - `{"tool": "read_file", "arguments": {...}}`, bare or in a ``` fence (`name` and `parameters` work too),
 *   or a fenced JSON array of such objects.
 * Text inside `<think>` is never taken as a call. A block that is meant as a call but cannot be read
 * (bad JSON, no closing tag) still becomes a call, with its raw text as arguments: the tool's
 * argument check then answers with an error the model can correct.
 */

export interface ParsedCall {
  name: string;
  /** JSON text of the arguments, or the raw text of a block that could not be read. */
  arguments: string;
}

export interface ParsedReply {
  /** The reply without the call blocks. */
  content: string;
  calls: ParsedCall[];
}

interface Span {
  start: number;
  end: number;
  calls: ParsedCall[];
}

export function parseToolCalls(text: string): ParsedReply {
  const thinking = rangesOf(text, /<think>[\s\S]*?(?:<\/think>|$)/g);
  const fences = fencedBlocks(text);
  const codeOnly = fences.filter((fence) => fence.calls.length === 0);
  const candidates = [
    ...xmlBlocks(text),
    ...fences.filter((fence) => fence.calls.length > 0),
    ...bareObjects(text).filter((span) => !codeOnly.some((code) => inside(span, code))),
  ].filter((span) => !thinking.some((range) => inside(span, range)));

  const spans: Span[] = [];
  for (const span of candidates.sort((a, b) => a.start - b.start || b.end - a.end)) {
    if (span.start >= (spans.at(-1)?.end ?? 0)) spans.push(span);
  }
  const merged = codeOnly.reduce((result, fence) => absorbFence(result, fence, text), spans);
  return { content: withoutSpans(text, merged), calls: merged.flatMap((span) => span.calls) };
}

// --- internal ---

const XML_OPEN = /<tool_call\b([^>]*)>/g;
const XML_CLOSE = "</tool_call>";
const FENCE = /```[\w-]*[ \t]*\r?\n([\s\S]*?)```/g;
const CALL_START = /\{\s*"(tool|name|tool_name)"\s*:/g;

function xmlBlocks(text: string): Span[] {
  const spans: Span[] = [];
  for (const open of text.matchAll(XML_OPEN)) {
    const start = open.index;
    const bodyStart = start + open[0].length;
    const close = text.indexOf(XML_CLOSE, bodyStart);
    const next = text.indexOf("<tool_call", bodyStart);
    const closed = close >= 0 && (next < 0 || close < next);
    const bodyEnd = closed ? close : next >= 0 ? next : text.length;
    const body = unfence(text.slice(bodyStart, bodyEnd));
    const end = closed ? close + XML_CLOSE.length : bodyEnd;
    spans.push({ start, end, calls: [xmlCall(attribute(open[1] ?? "", "name"), body)] });
  }
  return spans;
}

function xmlCall(name: string | undefined, body: string): ParsedCall {
  if (name !== undefined) return { name, arguments: body === "" ? "{}" : body };
  const value = parseJson(body);
  return (value.ok ? callFrom(value.json, true) : undefined) ?? malformed(body);
}

function fencedBlocks(text: string): Span[] {
  const spans: Span[] = [];
  for (const fence of text.matchAll(FENCE)) {
    const body = (fence[1] ?? "").trim();
    spans.push({ start: fence.index, end: fence.index + fence[0].length, calls: fencedCalls(body) });
  }
  return spans;
}

function fencedCalls(body: string): ParsedCall[] {
  if (!body.startsWith("{") && !body.startsWith("[")) return [];
  const value = parseJson(body);
  if (!value.ok) return /^\{\s*"tool"\s*:/.test(body) ? [malformed(body)] : [];
  const items = Array.isArray(value.json) ? value.json : [value.json];
  const calls = items.map((item) => callFrom(item, false));
  return calls.every((call) => call !== undefined) ? calls : [];
}

function bareObjects(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(CALL_START)) {
    const start = match.index;
    if (start < (spans.at(-1)?.end ?? 0)) continue;
    const key = match[1];
    const end = objectEnd(text, start);
    const raw = text.slice(start, end < 0 ? text.length : end);
    const value = end < 0 ? undefined : parseJson(raw);
    const call = value?.ok ? callFrom(value.json, false) : key === "tool" ? malformed(raw) : undefined;
    if (call) spans.push({ start, end: end < 0 ? text.length : end, calls: [call] });
  }
  return spans;
}

/**
 * A call from a parsed object: `tool`, `name` or `tool_name`, with `arguments`, `parameters`, `args`
 * or `input`. An object named by `name` needs arguments, so `{"name": "my-package", …}` is no call.
 */
function callFrom(value: unknown, nameSuffices: boolean): ParsedCall | undefined {
  if (!isRecord(value)) return undefined;
  const name = [value.tool, value.name, value.tool_name].find((candidate) => typeof candidate === "string");
  if (typeof name !== "string") return undefined;
  const args = value.arguments ?? value.parameters ?? value.args ?? value.input;
  if (args === undefined && typeof value.tool !== "string" && !nameSuffices) return undefined;
  if (args === undefined) return { name, arguments: "{}" };
  return { name, arguments: typeof args === "string" ? args : JSON.stringify(args) };
}

function malformed(raw: string): ParsedCall {
  const name = /"(?:tool|name|tool_name)"\s*:\s*"([^"]*)"/.exec(raw)?.[1] ?? "";
  return { name, arguments: raw.trim() };
}

/** Index just past the `}` closing the object opened at `start`, or -1 when it is never closed. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === "{") {
      depth++;
    } else if (char === "}" && --depth === 0) {
      return i + 1;
    }
  }
  return -1;
}

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([\\w.:-]+))`).exec(attributes);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

/** The body without a surrounding ``` fence. */
function unfence(body: string): string {
  const trimmed = body.trim();
  const fenced = /^```[\w-]*[ \t]*\r?\n?([\s\S]*?)\r?\n?```$/.exec(trimmed);
  return (fenced?.[1] ?? trimmed).trim();
}

function parseJson(text: string): { ok: true; json: unknown } | { ok: false } {
  try {
    return { ok: true, json: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** A fence that holds nothing but call blocks (```xml around a block) goes with them. */
function absorbFence(spans: Span[], fence: Span, text: string): Span[] {
  const within = spans.filter((span) => inside(span, fence));
  if (within.length === 0) return spans;
  const rest = withoutSpans(text.slice(fence.start, fence.end), within.map((span) => ({ ...span, start: span.start - fence.start, end: span.end - fence.start })));
  if (!/^```[\w-]*\s*```$/.test(rest)) return spans;
  const whole: Span = { start: fence.start, end: fence.end, calls: within.flatMap((span) => span.calls) };
  return [...spans.filter((span) => !within.includes(span)), whole].sort((a, b) => a.start - b.start);
}

function withoutSpans(text: string, spans: Span[]): string {
  let result = "";
  let position = 0;
  for (const span of spans) {
    result = joinAround(result, text.slice(position, span.start));
    position = span.end;
  }
  return joinAround(result, text.slice(position)).trim();
}

/** Joins the text on either side of a removed block; lines around it keep one blank line between them. */
function joinAround(left: string, right: string): string {
  if (/\n\s*$/.test(left) && /^\s*\n/.test(right)) return `${left.trimEnd()}\n\n${right.trimStart()}`;
  return left + right;
}

function rangesOf(text: string, pattern: RegExp): { start: number; end: number }[] {
  return [...text.matchAll(pattern)].map((match) => ({ start: match.index, end: match.index + match[0].length }));
}

function inside(span: { start: number }, range: { start: number; end: number }): boolean {
  return span.start >= range.start && span.start < range.end;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
