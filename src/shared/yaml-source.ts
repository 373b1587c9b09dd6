import { closestMatch } from "./closest-match.ts";
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, type Document } from "yaml";
import { z } from "zod";
import { UserError, UserErrors } from "./errors.ts";

/** One YAML (or JSON) document, with what is needed to point messages back into its file. */
export interface YamlSource {
  /** The path as the user gave it; it starts every message. */
  file: string;
  /** Position among the file's non-empty documents, from 0. */
  index: number;
  /** The document as plain data. */
  data: unknown;
  doc: Document;
  lineCounter: LineCounter;
  /** The file's text, to point at a word inside a value (`positionOfText`). */
  text?: string;
}

export interface Position {
  line: number;
  col: number;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: UserError[] };

type PathSegment = PropertyKey;

/** Parses every `---`-separated document, skipping empty ones. Syntax errors throw one UserErrors. */
export function parseYamlDocuments(text: string, file: string): YamlSource[] {
  const lineCounter = new LineCounter();
  let docs: ReturnType<typeof parseDocuments>;
  try {
    docs = parseDocuments(text, lineCounter);
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(text, file);
    throw error;
  }
  const errors = docs.flatMap((doc) => doc.errors.slice(0, 1)).map((error) => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    // The reader itself ran out of stack: the value is nested too deep, which is what the user can fix.
    if (/Maximum call stack/i.test(error.message)) return new UserError(`${file}:${line}:${col}: nested too deep for a YAML reader; flatten the value`, "E_SYNTAX");
    return new UserError(`${file}:${line}:${col}: invalid YAML: ${error.message}${yamlHint(error.code, text.split("\n")[line - 1] ?? "")}`, "E_SYNTAX");
  });
  if (errors.length > 0) throw new UserErrors(errors);
  return docs
    .filter((doc) => !isEmptyDocument(doc))
    .map((doc, index) => ({ file, index, doc, lineCounter, text, data: toData(doc, file, lineCounter, text) }));
}

function parseDocuments(text: string, lineCounter: LineCounter) {
  return Array.from(parseAllDocuments(text, { lineCounter, prettyErrors: false }));
}

/** Parses JSON strictly (as `JSON.parse` does), keeping node positions for messages. */
export function parseJsonDocument(text: string, file: string): YamlSource {
  const json = text.replace(/^\uFEFF/, "");
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw jsonSyntaxError(json, file, error instanceof Error ? error.message : String(error));
  }
  const lineCounter = new LineCounter();
  // Only for positions: JSON allows duplicate keys, so the YAML parser must too.
  const doc = parseDocument(json, { lineCounter, uniqueKeys: false, prettyErrors: false });
  return { file, index: 0, data, doc, lineCounter };
}

/**
 * Validates `input` (the source's data unless given, e.g. after env substitution) against `schema`,
 * phrasing every problem as `file:line:col: path: expected ..., got ...`.
 */
export function validateYaml<S extends z.ZodType>(
  schema: S,
  source: YamlSource,
  input: unknown = source.data,
): Validation<z.output<S>> {
  const result = schema.safeParse(input, { error: describeExpectation });
  if (result.success) return { ok: true, value: result.data };
  const messages = formatZodIssues(result.error.issues, source, input);
  return { ok: false, errors: messages.map((message) => new UserError(message, "E_INVALID")) };
}

/**
 * One message per problem, in file order. Expects messages phrased as expectations
 * ("expected a string"), which `validateYaml` arranges; those get the actual value appended.
 */
export function formatZodIssues(
  issues: readonly z.core.$ZodIssue[],
  source: YamlSource,
  input: unknown = source.data,
): string[] {
  return issues
    .flatMap((issue) => locateIssue(issue, input))
    .map(({ path, target, detail }) => ({ position: positionOf(source, path, target), detail }))
    .sort((a, b) => a.position.line - b.position.line || a.position.col - b.position.col)
    .map(({ position, detail }) => `${source.file}:${position.line}:${position.col}: ${detail}`);
}

/** 1-based position of the node at `path`: its key or its value. Falls back to the nearest existing parent. */
export function positionOf(source: YamlSource, path: readonly PathSegment[], target: "key" | "value"): Position {
  const found = findNode(source.doc, path);
  const node = found.complete && target === "key" ? (found.key ?? found.node) : (found.node ?? found.key);
  const offset = rangeStart(node);
  return offset === undefined ? { line: 1, col: 1 } : source.lineCounter.linePos(offset);
}

/**
 * Where `needle` is written inside the value at `path` (a `{{ name }}` on the fifth line of a block scalar),
 * else the value's start: a needle written with escapes or folded over lines is not found as it reads.
 */
export function positionOfText(source: YamlSource, path: readonly PathSegment[], needle: string): Position {
  const { node } = findNode(source.doc, path);
  const range = !isAlias(node) && (isScalar(node) || isMap(node) || isSeq(node)) ? node.range : undefined;
  const at = range && source.text !== undefined ? source.text.slice(range[0], range[1]).indexOf(needle) : -1;
  return range && at >= 0 ? source.lineCounter.linePos(range[0] + at) : positionOf(source, path, "value");
}

/** `nanocoder.providers[0].baseUrl`, `pricing["qwen2.5-coder:14b"].input`. */
export function formatPath(path: readonly PathSegment[]): string {
  return path
    .map((segment, i) => {
      if (typeof segment === "number") return `[${segment}]`;
      const name = String(segment);
      if (!/^[A-Za-z_$][\w$-]*$/.test(name)) return `[${JSON.stringify(name)}]`;
      return i === 0 ? name : `.${name}`;
    })
    .join("");
}

/** Turns zod's issues into "expected ..." phrases (the form `formatZodIssues` completes). */
export function describeExpectation(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      return `expected ${TYPE_NAMES[issue.expected] ?? `a ${issue.expected}`}`;
    case "too_small":
      return `expected ${describeBound(issue.origin, Number(issue.minimum), issue.inclusive ?? true, "min")}`;
    case "too_big":
      return `expected ${describeBound(issue.origin, Number(issue.maximum), issue.inclusive ?? true, "max")}`;
    case "invalid_format":
      return `expected ${describeFormat(issue.format, issue.pattern)}`;
    case "invalid_value":
      return `expected ${issue.values.length === 1 ? "" : "one of "}${issue.values.map(quote).join(", ")}`;
    case "unrecognized_keys":
      return issue.keys.map((key) => describeUnknownKey(key, allowedKeys(issue.inst))).join("\n");
    default:
      return undefined;
  }
}

// --- internal ---

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  record: "an object",
};

/**
 * What the YAML reader's terse complaints usually mean for a hand-written file. A plain value holding
 * `: ` (prompt: Fix it: now) or starting with a quote it does not end with (prompt: "Fix" the bug) is
 * the usual cause on its line, whatever the reader says; only then is it the indentation.
 */
function yamlHint(code: string, lineText: string): string {
  const value = /^\s*(?:- )?[^\s:#][^:#]*:\s+(\S.*)$/.exec(lineText)?.[1] ?? "";
  const quoted = /^(["']).*\1\s*(#.*)?$/.test(value);
  if (/:\s/.test(value) && !quoted && !/^["'|>]/.test(value)) {
    return ` (the value holds ": ", which YAML reads as another key: quote the whole value, e.g. key: '${value.replaceAll("'", "''")}', or write it as a block after key: |)`;
  }
  if (/^["']/.test(value) && !quoted) {
    return " (a value that starts with a quote must end with it: quote the whole value, e.g. key: '\"Fix\" the bug', or write it as a block after key: |)";
  }
  const indentation = ["BLOCK_AS_IMPLICIT_KEY", "MULTILINE_IMPLICIT_KEY"];
  return indentation.includes(code) ? " (check the indentation: keys of one mapping start in the same column)" : "";
}

function isEmptyDocument(doc: Document): boolean {
  const contents = doc.contents;
  if (contents === null) return true;
  return isScalar(contents) && contents.value === null && contents.range?.[0] === contents.range?.[1];
}

function toData(doc: Document, file: string, lineCounter: LineCounter, text: string): unknown {
  try {
    return doc.toJS();
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(text, file);
    const { line, col } = lineCounter.linePos(rangeStart(doc.contents) ?? 0);
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(`${file}:${line}:${col}: invalid YAML: ${reason}`, "E_SYNTAX");
  }
}

/** Nesting deeper than the reader can follow: located where the brackets first go past a sane depth. */
const SANE_DEPTH = 100;

function tooDeep(text: string, file: string): UserError {
  let depth = 0;
  let at = 0;
  for (; at < text.length; at++) {
    const char = text[at];
    if (char === "[" || char === "{") depth++;
    else if (char === "]" || char === "}") depth--;
    if (depth > SANE_DEPTH) break;
  }
  const before = text.slice(0, Math.min(at, text.length)).split("\n");
  return new UserError(`${file}:${before.length}:${(before.at(-1)?.length ?? 0) + 1}: nested more than ${SANE_DEPTH} levels deep; flatten the value`, "E_SYNTAX");
}

function jsonSyntaxError(text: string, file: string, message: string): UserError {
  const offset = jsonErrorOffset(text, message);
  const { line, col } = lineColAt(text, offset);
  const reason = message
    .replace(/ in JSON at position \d+.*$/s, "")
    .replace(/, (\.\.\.)?".*" is not valid JSON$/s, "")
    .replace(/[\n\r\t]/g, (character) => JSON.stringify(character).slice(1, -1));
  const trailingComma = /,\s*$/.test(text.slice(0, offset)) && /^[\]}]/.test(text.slice(offset));
  const hint = trailingComma ? " (trailing commas are not allowed in JSON)" : "";
  return new UserError(`${file}:${line}:${col}: invalid JSON: ${reason}${hint}`, "E_SYNTAX");
}

/** Where JSON.parse failed. V8 omits the position for some errors; then find the longest prefix that still parses. */
function jsonErrorOffset(text: string, message: string): number {
  const reported = reportedOffset(message, text.length);
  if (reported !== undefined) return reported;
  let good = 0;
  let bad = text.length;
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    if (isViableJsonPrefix(text.slice(0, middle))) good = middle;
    else bad = middle;
  }
  return good;
}

function reportedOffset(message: string, textLength: number): number | undefined {
  if (message.startsWith("Unexpected end of JSON input")) return textLength;
  const match = /at position (\d+)/.exec(message);
  return match ? Number(match[1]) : undefined;
}

function isViableJsonPrefix(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (error) {
    const offset = reportedOffset(error instanceof Error ? error.message : "", prefix.length);
    return offset !== undefined && offset >= prefix.length;
  }
}

function lineColAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, col: offset - before.lastIndexOf("\n") };
}

interface LocatedDetail {
  path: readonly PathSegment[];
  target: "key" | "value";
  detail: string;
}

function locateIssue(issue: z.core.$ZodIssue, input: unknown): LocatedDetail[] {
  const prefix = issue.path.length > 0 ? `${formatPath(issue.path)}: ` : "";
  if (issue.code === "unrecognized_keys") {
    // describeExpectation wrote one line per unknown key, in order.
    const lines = issue.message.split("\n");
    return issue.keys.map((key, i) => ({
      path: [...issue.path, key],
      target: "key",
      detail: `${formatPath([...issue.path, key])}: ${lines[i] ?? "unknown key"}`,
    }));
  }
  const inner = issue.code === "invalid_union" ? shapedBranch(issue.errors) : undefined;
  if (inner) return inner.flatMap((sub) => locateIssue({ ...sub, path: [...issue.path, ...sub.path] }, input));
  const actual = valueAt(input, issue.path);
  const missing = !actual.found && issue.code === "invalid_type";
  // The field's key, where an editor should jump: `limits:\n  max_turns: many` is reported at max_turns.
  return [{ path: issue.path, target: "key", detail: `${prefix}${missing ? describeMissing(issue.message) : withActual(issue.message, actual)}` }];
}

/**
 * The issues of the one union member whose shape the value has (the object form of `string | {…}`
 * given an object): what is wrong inside it says more than "no form matched". Undefined when no member
 * or several members got past the type.
 */
function shapedBranch(branches: readonly (readonly z.core.$ZodIssue[])[]): readonly z.core.$ZodIssue[] | undefined {
  const shaped = branches.filter((issues) => !issues.every((sub) => sub.code === "invalid_type" && sub.path.length === 0));
  return shaped.length === 1 ? shaped[0] : undefined;
}

/** "expected a string, got nothing (the field is required)". */
function describeMissing(message: string): string {
  return message.startsWith("expected ") ? `${message}, got nothing (the field is required)` : "required";
}

interface FoundNode {
  node: unknown;
  key?: unknown;
  complete: boolean;
}

function findNode(doc: Document, path: readonly PathSegment[]): FoundNode {
  let found: FoundNode = { node: doc.contents, complete: true };
  for (const segment of path) {
    const parent = isAlias(found.node) ? found.node.resolve(doc) : found.node;
    const child = childOf(parent, segment);
    if (!child) return { node: parent, complete: false };
    found = { ...child, complete: true };
  }
  return found;
}

function childOf(node: unknown, segment: PathSegment): { node: unknown; key?: unknown } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
    return pair && { node: pair.value, key: pair.key };
  }
  if (isSeq(node) && typeof segment === "number") {
    const item: unknown = node.items[segment];
    return item === undefined ? undefined : { node: item };
  }
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  if (!isAlias(node) && !isScalar(node) && !isMap(node) && !isSeq(node)) return undefined;
  return node.range?.[0];
}

function valueAt(input: unknown, path: readonly PathSegment[]): { found: boolean; value?: unknown } {
  let value = input;
  for (const segment of path) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, segment)) return { found: false };
    value = Reflect.get(value, segment);
  }
  return { found: true, value };
}

function withActual(message: string, actual: { found: boolean; value?: unknown }): string {
  if (!actual.found || !message.startsWith("expected ") || message.includes(", got ")) return message;
  return `${message}, got ${describeValue(actual.value)}`;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return quote(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

function quote(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

function describeBound(origin: string, limit: number, inclusive: boolean, side: "min" | "max"): string {
  const atLeast = side === "min" ? "at least" : "at most";
  if (origin === "string") {
    if (side === "min" && limit === 1) return "a non-empty string";
    return `a string of ${atLeast} ${limit} characters`;
  }
  if (origin === "array" || origin === "set") {
    if (side === "min" && limit === 1) return "a non-empty list";
    return `a list of ${atLeast} ${limit} items`;
  }
  const noun = origin === "int" ? "integer" : "number";
  if (side === "min" && limit === 0) return `a ${inclusive ? "non-negative" : "positive"} ${noun}`;
  const comparison = side === "min" ? (inclusive ? ">=" : ">") : inclusive ? "<=" : "<";
  return `${noun === "integer" ? "an" : "a"} ${noun} ${comparison} ${limit}`;
}

function describeFormat(format: string, pattern: string | undefined): string {
  if (format === "url") return `a URL like "http://localhost:11434/v1"`;
  if (format === "regex" && pattern) return `text matching ${pattern}`;
  return `a valid ${format}`;
}

function allowedKeys(schema: unknown): string[] {
  return schema instanceof z.core.$ZodObject ? Object.keys(schema._zod.def.shape) : [];
}

function describeUnknownKey(key: string, allowed: readonly string[]): string {
  const suggestion = closestMatch(key, allowed);
  if (suggestion) return `unknown key (did you mean "${suggestion}"?)`;
  return allowed.length > 0 ? `unknown key; expected one of: ${allowed.join(", ")}` : "unknown key";
}
