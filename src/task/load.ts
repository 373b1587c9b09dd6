import { stat } from "node:fs/promises";
import path from "node:path";
import { glob, isDynamicPattern } from "tinyglobby";
import type { Expect } from "../agent/outcome.ts";
import { UserError, UserErrors } from "../shared/errors.ts";
import { formatPath, parseYamlDocuments, positionOf, validateYaml, type Validation, type YamlSource } from "../shared/yaml-source.ts";
import { outputFieldSchema, resolveTaskOutput, type TaskOutput } from "./output-schema.ts";
import { taskFileSchema, type Task, type TaskFile, type TaskSource } from "./schema.ts";
import { decodeUtf8, readUserFile } from "../shared/user-file.ts";
import { asIs, atText, describeCombination, expandForEach, fileGlobsOf, filePathsOf, FILES_VARIABLE, globEscape, render, RenderProblem, shellQuote, soleVariable, type Quote, type Variables } from "./expand.ts";
import { repositoryFiles, type RepositoryFiles } from "./tree.ts";

/** A file to read: where it is, and how the user named it (used in messages). */
interface TaskFileRef {
  absolute: string;
  display: string;
}

interface LoadedTask {
  task: Task;
  source: YamlSource;
}

export interface LoadOptions {
  /** Where `for_each` globs and packages are matched: default the files of HEAD in the repository of `cwd`. */
  files?: RepositoryFiles;
  /** Receives warnings (a glob matching no file); default: standard error. */
  warn?: (line: string) => void;
}

/**
 * Loads every task from the given files and globs, in the order given (glob matches sorted,
 * files matched twice read once), a task with `for_each` as the tasks it expands to.
 * Reports all problems at once as one UserErrors.
 */
export async function loadTasks(patterns: readonly string[], cwd: string, options: LoadOptions = {}): Promise<Task[]> {
  const context: LoadContext = {
    files: options.files ?? repositoryFiles(cwd, "HEAD"),
    warn: options.warn ?? ((line) => process.stderr.write(`${line}\n`)),
  };
  const expanded = await Promise.all(patterns.map((pattern) => settle(() => expandPattern(pattern, cwd))));
  const files = uniqueByPath(expanded.flatMap((outcome) => outcome.value ?? []));
  const loaded = await Promise.all(files.map((file) => settle(() => loadTaskFile(file, context))));
  const tasks = loaded.flatMap((outcome) => outcome.value ?? []);
  const errors = [...expanded, ...loaded].flatMap((outcome) => outcome.errors).concat(findDuplicateIds(tasks));
  if (errors.length > 0) throw new UserErrors(errors);
  return tasks.map((entry) => entry.task);
}

/** The task for `nanocoder run "<prompt>"`. */
export function taskFromPrompt(prompt: string, expect?: Expect, output?: TaskOutput): Task {
  const result = taskFileSchema.safeParse({ prompt, ...(expect ? { expect } : {}) });
  if (!result.success) {
    throw new UserError('the prompt is empty: say what to do, e.g. nanocoder run "add tests for src/math.ts"', "E_TASK_INVALID");
  }
  const { id: _, output: _none, ...fields } = result.data;
  return { id: "run", ...fields, ...(output ? { output } : {}), source: { file: "<command line>", index: 0, line: 1, column: 1 } };
}

// --- internal ---

async function expandPattern(pattern: string, cwd: string): Promise<TaskFileRef[]> {
  const absolute = path.resolve(cwd, pattern);
  const stats = await stat(absolute).catch(() => undefined);
  if (stats?.isDirectory()) {
    const example = path.join(pattern, "*.yaml");
    throw new UserError(`${pattern}: is a directory; pass a glob such as "${example}"`, "E_TASK_NOT_FOUND");
  }
  if (stats) return [toRef(absolute, pattern, cwd)];
  if (!isDynamicPattern(pattern)) throw new UserError(`${pattern}: file not found`, "E_TASK_NOT_FOUND");
  const matches = await glob(pattern, { cwd, absolute: true, onlyFiles: true, expandDirectories: false });
  if (matches.length === 0) throw new UserError(`${pattern}: no files match this glob`, "E_TASK_NOT_FOUND");
  return matches.map((match) => toRef(path.resolve(match), pattern, cwd)).sort(byDisplay);
}

function toRef(absolute: string, pattern: string, cwd: string): TaskFileRef {
  return { absolute, display: path.isAbsolute(pattern) ? absolute : path.relative(cwd, absolute) };
}

function byDisplay(a: TaskFileRef, b: TaskFileRef): number {
  return a.display < b.display ? -1 : a.display > b.display ? 1 : 0;
}

function uniqueByPath(refs: readonly TaskFileRef[]): TaskFileRef[] {
  const seen = new Set<string>();
  return refs.filter((ref) => !seen.has(ref.absolute) && seen.add(ref.absolute));
}

/** Task files are prompts, not data: anything larger is a mistake (a log, a build output) caught early. */
export const MAX_TASK_FILE_BYTES = 1024 * 1024;

type LoadContext = Required<LoadOptions>;

async function loadTaskFile(ref: TaskFileRef, context: LoadContext): Promise<LoadedTask[]> {
  const size = (await stat(ref.absolute).catch(() => undefined))?.size ?? 0;
  if (size > MAX_TASK_FILE_BYTES) {
    throw new UserError(`${ref.display}: ${size} bytes, more than the 1 MB a task file may hold; put large material in the repository and name it in "context"`, "E_TASK_INVALID");
  }
  const bytes = await readUserFile(ref.absolute, ref.display, "E_TASK_NOT_FOUND");
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const { line, column } = lineColumnAt(bytes, nul);
    throw new UserError(`${ref.display}:${line}:${column}: binary data (a NUL byte); a task file is YAML text`, "E_TASK_INVALID");
  }
  const text = decodeUtf8(bytes, ref.display, "E_TASK_INVALID");
  const sources = parseYamlDocuments(text, ref.display);
  if (sources.length === 0) throw new UserError(`${ref.display}: no tasks in this file`, "E_TASK_INVALID");
  const stem = path.basename(ref.display, path.extname(ref.display));
  const results = await Promise.all(sources.map((source) => toLoadedTasks(source, stem, ref, context)));
  const errors = results.flatMap((result) => (result.ok ? [] : result.errors));
  if (errors.length > 0) throw new UserErrors(errors);
  return results.flatMap((result) => (result.ok ? result.value : []));
}

async function toLoadedTasks(source: YamlSource, stem: string, ref: TaskFileRef, context: LoadContext): Promise<Validation<LoadedTask[]>> {
  const result = validateYaml(taskFileSchema, source);
  if (!result.ok) return result;
  const { id, output: outputField, for_each: forEach, ...fields } = result.value;
  const { line, col } = positionOf(source, [], "value");
  const taskSource: TaskSource = { file: source.file, index: source.index, line, column: col };
  documents.set(taskSource, source);
  const baseId = id ?? defaultTaskId(stem, source.index);
  if (forEach) return settleValidation(() => expandTemplate({ baseId, fields, forEach, source, taskSource, ref, context }));
  const output = outputField ? await settle(() => resolveTaskOutput(outputField, source, ref)) : undefined;
  if (output && output.errors.length > 0) return { ok: false, errors: output.errors };
  const task: Task = { id: baseId, ...fields, ...(output?.value ? { output: output.value } : {}), source: taskSource };
  return { ok: true, value: [{ task, source }] };
}

interface Template {
  baseId: string;
  fields: Omit<TaskFile, "id" | "output" | "for_each">;
  forEach: NonNullable<TaskFile["for_each"]>;
  source: YamlSource;
  taskSource: TaskSource;
  ref: TaskFileRef;
  context: LoadContext;
}

/**
 * The tasks a `for_each` makes: the document's fields with each combination's values substituted. All of
 * them share the document's source, so messages about any of them point at the one document.
 */
async function expandTemplate({ baseId, fields, forEach, source, taskSource, ref, context }: Template): Promise<LoadedTask[]> {
  const expansion = await expandForEach(baseId, forEach, source, context.files);
  for (const warning of expansion.warnings) context.warn(warning);
  const problems = new Map<string, UserError>();
  const outputs = new Map<string, Promise<TaskOutput>>();
  const rawOutput = (source.data as { output?: unknown }).output;
  const tasks: LoadedTask[] = [];
  for (const [index, combination] of expansion.combinations.entries()) {
    const id = expansion.ids[index] ?? baseId;
    const variables: Variables = { ...combination.variables, [FILES_VARIABLE]: filePathsOf(expansion.axes, combination.variables) };
    const fill = (text: string, path: (string | number)[], quote: Quote = asIs): string => {
      try {
        return render(text, variables, quote);
      } catch (error) {
        if (!(error instanceof RenderProblem)) throw error;
        const key = `${path.join(".")} ${error.message}`;
        if (!problems.has(key)) problems.set(key, new UserError(`${atText(source, path, error.written)}: ${formatPath(path)}: ${error.message} (task ${id})`, "E_TASK_INVALID"));
        return text;
      }
    };
    // `context` and `files` are globs: a value is escaped, so `app/[id].js` names that file, not `app/i.js` too.
    // An entry that is `{{ files }}` or a chunk alone is one entry per path, each a glob of its own.
    const fillGlobs = (entries: readonly string[], field: "context" | "files"): string[] =>
      entries.flatMap((entry, at) => {
        const sole = soleVariable(entry);
        if (sole === FILES_VARIABLE) return fileGlobsOf(expansion.axes, combination.variables);
        const value = sole === undefined ? undefined : variables[sole];
        return Array.isArray(value) ? value.map((path) => globEscape(path)) : [fill(entry, [field, at], globEscape)];
      });
    const files = fields.files ? fillGlobs(fields.files, "files") : fileGlobsOf(expansion.axes, combination.variables);
    const output = rawOutput === undefined ? undefined : await settle(() => outputFor(rawOutput, variables, { source, ref, outputs }));
    for (const error of output?.errors ?? []) problems.set(error.message, error);
    const task: Task = {
      ...fields,
      id,
      ...(fields.title === undefined ? {} : { title: fill(fields.title, ["title"]) }),
      prompt: fill(fields.prompt, ["prompt"]),
      // A model matrix: the same prompt for each model (or provider) of an axis.
      ...(fields.model === undefined ? {} : { model: fill(fields.model, ["model"]) }),
      ...(fields.provider === undefined ? {} : { provider: fill(fields.provider, ["provider"]) }),
      context: fillGlobs(fields.context, "context"),
      ...(files.length > 0 ? { files } : {}),
      checks: fields.checks.map((check, at) => {
        const path = typeof (source.data as { checks?: unknown[] }).checks?.[at] === "string" ? ["checks", at] : ["checks", at, "run"];
        // A check runs in a shell: values are quoted, so a file's name is never read as a command.
        return { ...check, name: fill(check.name, path), run: fill(check.run, path, shellQuote) };
      }),
      ...(output?.value ? { output: output.value } : {}),
      values: combination.variables,
      source: taskSource,
    };
    tasks.push({ task, source });
    if (problems.size >= MAX_EXPANSION_PROBLEMS) break;
  }
  if (problems.size > 0) throw new UserErrors([...problems.values()]);
  return tasks;
}

/** Enough to see what is wrong: a template's mistake repeats in every task it makes. */
const MAX_EXPANSION_PROBLEMS = 20;

/** The output schema of one expanded task: substituted where `output` holds a variable, loaded once per distinct text. */
function outputFor(raw: unknown, variables: Variables, { source, ref, outputs }: { source: YamlSource; ref: TaskFileRef; outputs: Map<string, Promise<TaskOutput>> }): Promise<TaskOutput> {
  const filled = fillDeep(raw, variables);
  const key = JSON.stringify(filled);
  let output = outputs.get(key);
  if (!output) {
    const field = outputFieldSchema.parse(filled);
    output = resolveTaskOutput(field, { ...source, data: { ...(source.data as object), output: filled } }, ref);
    outputs.set(key, output);
  }
  return output;
}

function fillDeep(value: unknown, variables: Variables): unknown {
  if (typeof value === "string") return render(value, variables);
  if (Array.isArray(value)) return value.map((item) => fillDeep(item, variables));
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillDeep(item, variables)]));
  return value;
}

/**
 * The YAML each task came from, by its `source` (which copies of the task share), so later checks against
 * the policy can point at the key they are about; kept beside the task, which holds only what the user wrote.
 */
const documents = new WeakMap<TaskSource, YamlSource>();

/** `file:line:col` of a key of the task's document (`["limits", "max_turns"]`), else of the document's start. */
export function taskKeyLocation(source: TaskSource, path: readonly (string | number)[]): string {
  const { file, line, column } = taskKeySource(source, path);
  return `${file}:${line}:${column}`;
}

/** The task's source, pointing at one of its keys (or at the document's start when the key is not there). */
export function taskKeySource(source: TaskSource, path: readonly (string | number)[]): TaskSource {
  const document = documents.get(source);
  if (!document) return source;
  const { line, col } = positionOf(document, path, "key");
  return { ...source, line, column: col };
}

/** `stem`, `stem-2`, `stem-3`... made a valid id: other characters replaced by "-", dots where git refuses them dropped. */
function defaultTaskId(stem: string, index: number): string {
  const base = stem.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/\.{2,}/g, ".").replace(/^\.+|\.+$/g, "").replace(/\.lock$/, "-lock") || "task";
  return index === 0 ? base : `${base}-${index + 1}`;
}

function findDuplicateIds(tasks: readonly LoadedTask[]): UserError[] {
  const firstById = new Map<string, LoadedTask>();
  const errors: UserError[] = [];
  for (const entry of tasks) {
    // Ids that differ only by case name the same folder and branch on case-insensitive systems.
    const key = entry.task.id.toLowerCase();
    const first = firstById.get(key);
    if (!first) {
      firstById.set(key, entry);
      continue;
    }
    const same = first.task.id === entry.task.id ? "" : ` as "${first.task.id}", differing only by case`;
    // An id a for_each made says which value made it: the id alone can be a slug of several.
    const madeBy = (task: Task) => (task.values ? `, made by for_each from ${describeCombination(task.values)}` : "");
    const message = `duplicate task id "${entry.task.id}"${madeBy(entry.task)} (also used at ${idLocation(first)}${madeBy(first.task)}${same}); ids must be unique in a batch, set a different "id:"`;
    errors.push(new UserError(`${idLocation(entry)}: ${message}`, "E_TASK_DUPLICATE_ID"));
  }
  return errors;
}

/** The `id:` value when written, else the start of the task's document. */
function idLocation({ source }: LoadedTask): string {
  const { line, col } = positionOf(source, ["id"], "key");
  return `${source.file}:${line}:${col}`;
}

async function settleValidation<T>(step: () => Promise<T>): Promise<Validation<T>> {
  const outcome = await settle(step);
  return outcome.errors.length > 0 || outcome.value === undefined ? { ok: false, errors: outcome.errors } : { ok: true, value: outcome.value };
}

/** Runs one step, turning its user errors into a value so all of them can be reported; anything else is a bug. */
async function settle<T>(step: () => Promise<T>): Promise<{ value?: T; errors: UserError[] }> {
  try {
    return { value: await step(), errors: [] };
  } catch (error) {
    if (error instanceof UserErrors) return { errors: error.errors };
    if (error instanceof UserError) return { errors: [error] };
    throw error;
  }
}

function lineColumnAt(bytes: Buffer, offset: number): { line: number; column: number } {
  const before = bytes.subarray(0, offset).toString("utf8");
  const lines = before.split("\n");
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

