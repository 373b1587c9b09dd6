import { createHash } from "node:crypto";
import { escape as escapeGlob, Minimatch } from "minimatch";
import { parse as parseYaml } from "yaml";
import { closestMatch } from "../shared/closest-match.ts";
import { UserError, UserErrors } from "../shared/errors.ts";
import { formatPath, positionOf, positionOfText, type YamlSource } from "../shared/yaml-source.ts";
import type { Axis, ForEach, ListValue } from "./for-each-schema.ts";
import type { RepositoryFiles } from "./tree.ts";

/** What one variable holds in one task: a word or path, a chunk of paths, or a package's {name, path}. */
export type VariableValue = string | string[] | Record<string, string>;
export type Variables = Record<string, VariableValue>;

/** The built-in variable: every file the task is about (its glob, chunk and package values), separated by spaces. */
export const FILES_VARIABLE = "files";
const RESERVED = new Set([FILES_VARIABLE, "include", "exclude"]);
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `{{ name }}` or `{{ name.field }}`, spaces optional; `\{{ name }}` is the text `{{ name }}`, left as it is. */
const PLACEHOLDER = /(\\)?\{\{\s*([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*))?\s*\}\}/g;

/** The placeholders of a text to fill, without the escaped ones: each as written, with its name. */
function placeholdersIn(text: string): { written: string; name: string }[] {
  return [...text.matchAll(PLACEHOLDER)].flatMap((match) => (match[1] === undefined ? [{ written: match[0], name: match[2] ?? "" }] : []));
}
/** The fields variables are substituted in; `output` throughout. */
export const TEMPLATE_FIELDS = ["prompt", "title", "context", "files", "checks", "output", "model", "provider"] as const;

/** One task of an expansion: its values, and the part of its id they give. */
export interface Combination {
  variables: Variables;
  idParts: string[];
}

export interface ResolvedAxis {
  name: string;
  kind: "list" | "glob" | "chunk" | "packages";
  values: { value: VariableValue; idPart: string }[];
}

export interface ExpansionResult {
  axes: ResolvedAxis[];
  ids: string[];
  combinations: Combination[];
  warnings: string[];
}

/**
 * The tasks a `for_each` makes, as ids and variables (in axis order: the first axis varies slowest).
 * Every problem is a UserError at its line in `source`; a glob that matches nothing is a warning.
 */
export async function expandForEach(baseId: string, forEach: ForEach, source: YamlSource, files: RepositoryFiles): Promise<ExpansionResult> {
  const { include = [], exclude = [], ...axisSpecs } = forEach;
  const where = (path: readonly (string | number)[], target: "key" | "value" = "key") => at(source, ["for_each", ...path], target);
  const errors: UserError[] = [];
  if (Object.keys(axisSpecs).length === 0) errors.push(new UserError(`${where([])}: for_each: no axis; name at least one, e.g. for_each: {file: {glob: "src/**/*.ts"}}`, "E_TASK_INVALID"));
  for (const name of Object.keys(axisSpecs)) {
    if (RESERVED.has(name)) errors.push(new UserError(`${where([name])}: for_each.${name}: "${name}" is a built-in name; call the axis something else`, "E_TASK_INVALID"));
    else if (!VARIABLE_NAME.test(name)) errors.push(new UserError(`${where([name])}: for_each: "${name}" is not a variable name; use letters, digits and "_", starting with a letter`, "E_TASK_INVALID"));
  }
  if (errors.length > 0) throw new UserErrors(errors);
  const warnings: string[] = [];
  const axes: ResolvedAxis[] = [];
  for (const [name, spec] of Object.entries(axisSpecs)) {
    const resolved = await resolveAxis(name, spec, files, where);
    if (resolved.warning) warnings.push(resolved.warning);
    axes.push(resolved.axis);
  }
  const axisNames = axes.map((axis) => axis.name);
  errors.push(...checkEntries("exclude", exclude, axisNames, where, true), ...checkEntries("include", include, axisNames, where, false));
  // `{{ files }}` is the files the axes give: with list axes alone there are none, and it would be empty.
  const givesFiles = axes.some((axis) => axis.kind !== "list");
  errors.push(...checkVariables(source, new Set([...axisNames, ...(givesFiles ? [FILES_VARIABLE] : []), ...include.flatMap((entry) => Object.keys(entry))])));
  if (errors.length > 0) throw new UserErrors(errors);
  // Counted before any is made: three axes of 300 values would be 27 million tasks, and memory runs out first.
  const count = axes.reduce((product, axis) => product * axis.values.length, 1) + include.length;
  if (count > MAX_EXPANDED_TASKS) {
    const sizes = axes.map((axis) => `${axis.values.length} ${axis.name}`).join(" × ");
    throw new UserError(`${where([])}: for_each: ${sizes}${include.length > 0 ? ` + ${include.length} include` : ""} make ${count.toLocaleString("en-US")} tasks, more than the ${MAX_EXPANDED_TASKS.toLocaleString("en-US")} one for_each may make; narrow a glob, group files with chunk: N, or split the axes over several task files`, "E_TASK_INVALID");
  }
  const combinations = combine(axes, include, exclude);
  const ids = combinationIds(baseId, combinations);
  const duplicate = firstDuplicate(ids);
  if (duplicate) {
    const [first, second] = duplicate.map((index) => describeCombination(combinations[index]?.variables ?? {}));
    throw new UserError(`${where([])}: for_each: two tasks have the same values (${first}; ${second}), so the same id "${ids[duplicate[0]]}"; remove the repeated value`, "E_TASK_DUPLICATE_ID");
  }
  return { axes, ids, combinations, warnings };
}

/** How a value is written into a field: as it is (prompt, title), or quoted for what reads the field. */
export type Quote = (value: string) => string;
export const asIs: Quote = (value) => value;

/**
 * A value as one word of a POSIX shell: left as it is when made of characters no shell reads specially,
 * else in single quotes (a `'` inside as `'\''`). A committed file named `a;touch x;.js` must not run `touch`.
 */
export const shellQuote: Quote = (value) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`);

/**
 * A value as a glob naming exactly it: wildcards, brackets, parentheses and braces escaped, and a leading `!`
 * or `#`, which would negate the glob or make it a comment (`app/[id].js` must not name `app/i.js` too).
 */
export const globEscape: Quote = (value) => escapeGlob(value, { magicalBraces: true }).replace(/^[!#]/, "\\$&");

/**
 * The text with every `{{ name }}` replaced, each value (each path of a chunk) passed through `quote`; a name
 * without a value in this task throws the problem (not located).
 */
export function render(text: string, variables: Variables, quote: Quote = asIs): string {
  if (!text.includes("{{")) return text;
  return text.replace(PLACEHOLDER, (written: string, escaped: string | undefined, name: string, field: string | undefined) => {
    if (escaped !== undefined) return written.slice(1);
    const problem = (message: string) => new RenderProblem(message, written);
    const value = variables[name];
    if (value === undefined) throw problem(`{{ ${name} }} has no value in this task (an include entry that adds a task must give it)`);
    if (typeof value === "string") {
      if (field !== undefined) throw problem(`{{ ${name}.${field} }}: ${name} is a single value; write {{ ${name} }}`);
      return quote(value);
    }
    if (Array.isArray(value)) {
      if (field !== undefined) throw problem(`{{ ${name}.${field} }}: ${name} is a chunk of paths; write {{ ${name} }}`);
      return value.map((path) => quote(path)).join(" ");
    }
    if (field === undefined) throw problem(`{{ ${name} }} has fields: write {{ ${name}.${Object.keys(value)[0] ?? "name"} }} (fields: ${Object.keys(value).join(", ")})`);
    const chosen = value[field];
    if (chosen === undefined) throw problem(`{{ ${name}.${field} }}: ${name} has no field "${field}" (fields: ${Object.keys(value).join(", ")})`);
    return quote(chosen);
  });
}

/** The variable's name when the text is that one placeholder and nothing else (`"{{ files }}"`). */
export function soleVariable(text: string): string | undefined {
  return /^\s*\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}\s*$/.exec(text)?.[1];
}

/** A placeholder that cannot be filled, reported by the caller at the placeholder (`written`, as in the file). */
export class RenderProblem extends Error {
  readonly written: string;
  constructor(message: string, written: string) {
    super(message);
    this.written = written;
  }
}

/** Globs matching exactly the task's file values: each glob path, chunk path, and package folder's files. */
export function fileGlobsOf(axes: readonly ResolvedAxis[], variables: Variables): string[] {
  return axes.flatMap((axis) => {
    const value = variables[axis.name];
    if (value === undefined || axis.kind === "list") return [];
    if (typeof value === "string") return [globEscape(value)];
    if (Array.isArray(value)) return value.map((path) => globEscape(path));
    return value.path === undefined ? [] : [`${globEscape(value.path)}/**`];
  });
}

/** The paths of the task's file values, for `{{ files }}`: each glob and chunk path, a package's folder. */
export function filePathsOf(axes: readonly ResolvedAxis[], variables: Variables): string[] {
  return axes.flatMap((axis) => {
    const value = variables[axis.name];
    if (value === undefined || axis.kind === "list") return [];
    return typeof value === "string" ? [value] : Array.isArray(value) ? value : value.path === undefined ? [] : [value.path];
  });
}

/** `file=src/a.ts model=gpt`, for messages and `validate --list`. */
export function describeCombination(variables: Variables): string {
  return Object.entries(variables)
    .filter(([name]) => name !== FILES_VARIABLE)
    .map(([name, value]) => `${name}=${oneLine(typeof value === "string" ? value : Array.isArray(value) ? `${value.length} files` : (value.name ?? Object.values(value).join("/")))}`)
    .join(" ");
}

/** A value as it is, or JSON-quoted when it holds a line break or another control character: one task, one line. */
function oneLine(value: string): string {
  return /[\u0000-\u001f\u007f]/.test(value) ? JSON.stringify(value) : value;
}

/**
 * Combinations of the axes' values (a product, the first axis varying slowest), less those an exclude entry
 * matches, then with include applied as in a GitHub Actions matrix: an entry adds its other variables to the
 * combinations it matches on the axes it names, or is a combination of its own when it matches none.
 */
export function combine(axes: readonly ResolvedAxis[], include: readonly Record<string, ListValue>[], exclude: readonly Record<string, ListValue>[]): Combination[] {
  let combinations: Combination[] = [{ variables: {}, idParts: [] }];
  for (const axis of axes) {
    const next: Combination[] = [];
    for (const combination of combinations) {
      for (const { value, idPart } of axis.values) next.push({ variables: { ...combination.variables, [axis.name]: value }, idParts: [...combination.idParts, idPart] });
    }
    combinations = next;
  }
  const excluders = exclude.map((entry) => matcher(entry, true));
  const kept = combinations.filter((combination) => !excluders.some((matches) => matches(combination.variables)));
  const axisNames = new Set(axes.map((axis) => axis.name));
  const added: Combination[] = [];
  for (const entry of include) {
    const onAxes = Object.fromEntries(Object.entries(entry).filter(([name]) => axisNames.has(name)));
    const extra = Object.fromEntries(Object.entries(entry).filter(([name]) => !axisNames.has(name)).map(([name, value]) => [name, toVariable(value)]));
    const matches = matcher(onAxes, false);
    const matched = kept.filter((combination) => matches(combination.variables));
    for (const combination of matched) Object.assign(combination.variables, extra);
    if (matched.length === 0) {
      const variables: Variables = Object.fromEntries(Object.entries(entry).map(([name, value]) => [name, toVariable(value)]));
      const named = axes.filter((axis) => axis.name in onAxes).map((axis) => variables[axis.name]);
      const idParts = (named.length > 0 ? named : Object.values(variables)).map((value) => idPartOf(value ?? ""));
      added.push({ variables, idParts });
    }
  }
  return [...kept, ...added];
}

/**
 * `base.part.part`: readable, from the values alone, so tomorrow's run gives the same ids. A short hash of the
 * values is added only where parts are cut short, empty, or the same for two tasks (ids equal but for case too:
 * they name the same folder on some systems).
 */
export function combinationIds(baseId: string, combinations: readonly Combination[]): string[] {
  const ids = combinations.map(({ idParts, variables }) => {
    const needsHash = idParts.some((part) => part === "" || part.length > MAX_PART);
    const parts = idParts.map((part) => part.slice(0, MAX_PART)).filter((part) => part !== "");
    return withHash(`${baseId}.${parts.join(".")}`.replace(/\.$/, ""), variables, needsHash);
  });
  const count = new Map<string, number>();
  for (const id of ids) count.set(id.toLowerCase(), (count.get(id.toLowerCase()) ?? 0) + 1);
  return ids.map((id, index) => {
    const shared = (count.get(id.toLowerCase()) ?? 0) > 1;
    return withHash(id, combinations[index]?.variables ?? {}, shared).replace(/\.lock$/i, "-lock");
  });
}

/** Every `{{ name }}` in the fields that are rendered must be a variable: at its line, with the closest name. */
export function checkVariables(source: YamlSource, known: ReadonlySet<string>): UserError[] {
  const errors: UserError[] = [];
  const data = source.data as Record<string, unknown>;
  const visit = (value: unknown, path: (string | number)[]): void => {
    if (typeof value === "string") {
      for (const { written, name } of placeholdersIn(value)) {
        if (known.has(name)) continue;
        const where = atText(source, path, written);
        if (name === FILES_VARIABLE) {
          errors.push(new UserError(`${where}: ${formatPath(path)}: {{ files }} is the files the axes give, and list axes give none; write {{ ${[...known][0] ?? "name"} }}, or take the values from files with {glob: ...}`, "E_TASK_INVALID"));
          continue;
        }
        const suggestion = closestMatch(name, [...known]);
        const fix = suggestion ? `did you mean {{ ${suggestion} }}?` : `the variables are: ${[...known].join(", ")}`;
        errors.push(new UserError(`${where}: ${formatPath(path)}: unknown variable {{ ${name} }}; ${fix}`, "E_TASK_INVALID"));
      }
    } else if (Array.isArray(value)) value.forEach((item, index) => visit(item, [...path, index]));
    else if (typeof value === "object" && value !== null) for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
  };
  for (const field of TEMPLATE_FIELDS) visit(data[field], [field]);
  // Setup commands prepare the worktree the same way for every task: a variable there would stay as written.
  const setup = Array.isArray(data.setup) ? data.setup : [];
  setup.forEach((command: unknown, index) => {
    if (typeof command === "string" && placeholdersIn(command).length > 0) {
      errors.push(new UserError(`${at(source, ["setup", index], "value")}: setup[${index}]: variables are filled in ${TEMPLATE_FIELDS.join(", ")}, not in setup; move the command to checks, or write it out`, "E_TASK_INVALID"));
    }
  });
  // Any other field is the same for every task: a placeholder there would be sent as written.
  const filled = new Set<string>([...TEMPLATE_FIELDS, "setup", "for_each"]);
  const unfilled = (value: unknown, path: (string | number)[]): void => {
    if (typeof value === "string") {
      if (placeholdersIn(value).length > 0) errors.push(new UserError(`${at(source, path, "value")}: ${formatPath(path)}: variables are filled in ${TEMPLATE_FIELDS.join(", ")}, not here; write the value out`, "E_TASK_INVALID"));
    } else if (Array.isArray(value)) value.forEach((item, index) => unfilled(item, [...path, index]));
    else if (typeof value === "object" && value !== null) for (const [key, item] of Object.entries(value)) unfilled(item, [...path, key]);
  };
  for (const [key, value] of Object.entries(data)) if (!filled.has(key)) unfilled(value, [key]);
  return errors;
}

/** More tasks than any run could hold: a product of axes past this is a mistake, refused before it is built. */
export const MAX_EXPANDED_TASKS = 100_000;

// --- internal ---

const MAX_PART = 60;

async function resolveAxis(
  name: string,
  spec: Axis,
  files: RepositoryFiles,
  where: (path: readonly (string | number)[], target?: "key" | "value") => string,
): Promise<{ axis: ResolvedAxis; warning?: string }> {
  if (Array.isArray(spec) || "value" in spec) {
    const list = Array.isArray(spec) ? spec : spec.value;
    if (list.length === 0) throw new UserError(`${where([name])}: for_each.${name}: the axis has no values; give at least one, e.g. ${name}: [a, b], or remove the axis`, "E_TASK_INVALID");
    return { axis: { name, kind: "list", values: list.map((item) => ({ value: toVariable(item), idPart: idPartOf(toVariable(item)) })) } };
  }
  if ("glob" in spec) {
    const matched = matchFiles(await files.list(), [spec.glob].flat(), [spec.exclude ?? []].flat());
    const warning = matched.length === 0 ? `warning: ${where([name, "glob"])}: for_each.${name}: ${[spec.glob].flat().map((glob) => `"${glob}"`).join(", ")} matches no file ${files.describe}${spec.exclude ? " (after exclude)" : ""}, so this task expands to nothing; globs are relative to the repository root` : undefined;
    if (spec.chunk === undefined) return { axis: { name, kind: "glob", values: matched.map((file) => ({ value: file, idPart: slug(file) })) }, ...(warning ? { warning } : {}) };
    const chunks: { value: string[]; idPart: string }[] = [];
    for (let start = 0; start < matched.length; start += spec.chunk) chunks.push({ value: matched.slice(start, start + spec.chunk), idPart: `${name}-${chunks.length + 1}` });
    return { axis: { name, kind: "chunk", values: chunks }, ...(warning ? { warning } : {}) };
  }
  const packages = await workspacePackages(spec.packages, files, () => where([name, "packages"]));
  const excluded = [spec.exclude ?? []].flat().map((glob) => new Minimatch(glob, { dot: true }));
  const kept = packages.filter((pkg) => !excluded.some((glob) => glob.match(pkg.name) || glob.match(pkg.path)));
  if (kept.length === 0) {
    const what = spec.packages === true ? "the workspace packages" : `${[spec.packages].flat().map((glob) => `"${glob}"`).join(", ")}`;
    throw new UserError(`${where([name, "packages"])}: for_each.${name}: ${what} name no package (a folder with a package.json) ${files.describe}${spec.exclude ? " after exclude" : ""}; check the workspaces of the root package.json or pnpm-workspace.yaml`, "E_TASK_INVALID");
  }
  return { axis: { name, kind: "packages", values: kept.map((pkg) => ({ value: pkg, idPart: slug(pkg.name) })) } };
}

function matchFiles(all: readonly string[], globs: readonly string[], exclude: readonly string[]): string[] {
  const included = globs.map((glob) => new Minimatch(glob.replace(/^\.\//, ""), { dot: true }));
  const excluded = exclude.map((glob) => new Minimatch(glob.replace(/^\.\//, ""), { dot: true }));
  return all.filter((file) => included.some((glob) => glob.match(file)) && !excluded.some((glob) => glob.match(file)));
}

/** The packages of a monorepo: folders with a package.json that the workspace globs name (npm, yarn, pnpm). */
async function workspacePackages(spec: true | string | string[], files: RepositoryFiles, where: () => string): Promise<{ name: string; path: string }[]> {
  const globs = spec === true ? await declaredWorkspaces(files, where) : [spec].flat();
  const include = globs.filter((glob) => !glob.startsWith("!")).map((glob) => new Minimatch(glob.replace(/^\.\//, "").replace(/\/+$/, ""), { dot: true }));
  const negated = globs.filter((glob) => glob.startsWith("!")).map((glob) => new Minimatch(glob.slice(1).replace(/^\.\//, "").replace(/\/+$/, ""), { dot: true }));
  const folders = (await files.list())
    .filter((file) => file.endsWith("/package.json") && !file.split("/").includes("node_modules"))
    .map((file) => file.slice(0, -"/package.json".length))
    .filter((folder) => include.some((glob) => glob.match(folder)) && !negated.some((glob) => glob.match(folder)));
  const manifests = await files.read(folders.map((folder) => `${folder}/package.json`));
  return folders.map((folder) => ({ name: packageName(manifests.get(`${folder}/package.json`)) ?? folder, path: folder }));
}

async function declaredWorkspaces(files: RepositoryFiles, where: () => string): Promise<string[]> {
  const texts = await files.read(["pnpm-workspace.yaml", "package.json"]);
  const pnpm = texts.get("pnpm-workspace.yaml");
  if (pnpm !== undefined) {
    const packages = (parseQuietly(pnpm, parseYaml) as { packages?: unknown } | undefined)?.packages;
    if (Array.isArray(packages)) return packages.filter((glob): glob is string => typeof glob === "string");
  }
  const manifest = parseQuietly(texts.get("package.json") ?? "", JSON.parse) as { workspaces?: unknown } | undefined;
  const workspaces = manifest?.workspaces;
  const list = Array.isArray(workspaces) ? workspaces : typeof workspaces === "object" && workspaces !== null ? (workspaces as { packages?: unknown }).packages : undefined;
  if (Array.isArray(list)) return list.filter((glob): glob is string => typeof glob === "string");
  throw new UserError(`${where()}: packages: true reads the workspaces of the root package.json ("workspaces": [...]) or pnpm-workspace.yaml (packages: [...]) ${files.describe}, and there are none; add them, or give the package folders, e.g. packages: "packages/*"`, "E_TASK_INVALID");
}

function packageName(text: string | undefined): string | undefined {
  const name = (parseQuietly(text ?? "", JSON.parse) as { name?: unknown } | undefined)?.name;
  return typeof name === "string" && name !== "" ? name : undefined;
}

function parseQuietly(text: string, parse: (text: string) => unknown): unknown {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

/** Include and exclude entries name axes (exclude only axes; include may add variables), each with a value. */
function checkEntries(
  key: "include" | "exclude",
  entries: readonly Record<string, ListValue>[],
  axisNames: readonly string[],
  where: (path: readonly (string | number)[]) => string,
  axesOnly: boolean,
): UserError[] {
  return entries.flatMap((entry, index) =>
    Object.keys(entry).flatMap((name) => {
      if (!VARIABLE_NAME.test(name) || RESERVED.has(name)) return [new UserError(`${where([key, index, name])}: for_each.${key}[${index}].${name}: not a variable name; use letters, digits and "_"`, "E_TASK_INVALID")];
      if (!axesOnly || axisNames.includes(name)) return [];
      const suggestion = closestMatch(name, axisNames);
      return [new UserError(`${where([key, index, name])}: for_each.${key}[${index}]: "${name}" is no axis; ${suggestion ? `did you mean "${suggestion}"?` : `the axes are: ${axisNames.join(", ")}`}`, "E_TASK_INVALID")];
    }),
  );
}

/** Whether a combination has every value an entry names: equal, or matched as a glob (exclude); a package by name or folder. */
function matcher(entry: Record<string, ListValue>, globs: boolean): (variables: Variables) => boolean {
  const tests = Object.entries(entry).map(([name, wanted]) => {
    const want = toVariable(wanted);
    const glob = globs && typeof want === "string" ? new Minimatch(want, { dot: true }) : undefined;
    const same = (text: string) => text === want || (glob?.match(text) ?? false);
    return (variables: Variables): boolean => {
      const value = variables[name];
      if (value === undefined) return false;
      if (typeof want !== "string") return typeof value === "object" && !Array.isArray(value) && Object.entries(want).every(([field, text]) => value[field] === text);
      if (typeof value === "string") return same(value);
      if (Array.isArray(value)) return same(value.join(" "));
      return Object.values(value).some(same);
    };
  });
  return (variables) => tests.every((test) => test(variables));
}

function toVariable(value: ListValue): VariableValue {
  if (typeof value !== "object") return String(value);
  return Object.fromEntries(Object.entries(value).map(([field, item]) => [field, String(item)]));
}

function idPartOf(value: VariableValue): string {
  if (typeof value === "string") return slug(value);
  if (Array.isArray(value)) return slug(value[0] ?? "");
  return slug(value.name ?? Object.values(value).join("-"));
}

/** `src/math.ts` → `src-math-ts`: what git accepts in a branch name and reads well in a folder name. */
export function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "");
}

function withHash(id: string, variables: Variables, needed: boolean): string {
  if (!needed) return id;
  const hash = createHash("sha1").update(JSON.stringify(Object.entries(variables).sort(([a], [b]) => (a < b ? -1 : 1)))).digest("hex").slice(0, 6);
  return `${id}-${hash}`;
}

function firstDuplicate(ids: readonly string[]): [number, number] | undefined {
  const seen = new Map<string, number>();
  for (const [index, id] of ids.entries()) {
    const first = seen.get(id.toLowerCase());
    if (first !== undefined) return [first, index];
    seen.set(id.toLowerCase(), index);
  }
  return undefined;
}

function at(source: YamlSource, path: readonly (string | number)[], target: "key" | "value"): string {
  const { line, col } = positionOf(source, path, target);
  return `${source.file}:${line}:${col}`;
}

/** `file:line:col` of a placeholder inside the value at `path`, on its own line of a block scalar. */
export function atText(source: YamlSource, path: readonly (string | number)[], written: string): string {
  const { line, col } = positionOfText(source, path, written);
  return `${source.file}:${line}:${col}`;
}
