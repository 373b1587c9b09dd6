import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { ProviderFixAt } from "../provider/types.ts";
import { UserError, UserErrors } from "../shared/errors.ts";
import { describeExpectation, formatZodIssues, parseJsonDocument, positionOf, validateYaml, type YamlSource } from "../shared/yaml-source.ts";
import { substituteEnv, unsetVariables, variablesIn, type Env } from "./env.ts";
import { agentsConfigSchema, PROVIDER_FIELDS, providerEntrySchema, type LoadedConfig, type ModelPrice, type ProviderConfig, type ProviderEntry, type ProviderVariables, type UnavailableProvider } from "./schema.ts";
import { readUserFile } from "../shared/user-file.ts";

export type { LoadedConfig } from "./schema.ts";

/** The provider config file, looked for in the current folder first, then the config folder. */
export const CONFIG_NAME = "agents.config.json";
const OPENAI_BASE_URL = "https://api.openai.com/v1";

export interface ConfigLookup {
  /** `--config PATH`, relative to cwd. */
  explicitPath?: string | undefined;
  cwd: string;
  home: string;
  env: Env;
}

/**
 * The config file to use, as an absolute path: `--config`, else ./agents.config.json, else
 * $NANOCODER_CONFIG_DIR/agents.config.json, else ${XDG_CONFIG_HOME:-~/.config}/nanocoder/agents.config.json.
 */
export function findConfigFile({ explicitPath, cwd, home, env }: ConfigLookup): string | undefined {
  if (explicitPath === undefined) return configCandidates(cwd, home, env).find(isFile);
  const file = path.resolve(cwd, explicitPath);
  if (!existsSync(file)) throw new UserError(`--config ${explicitPath}: file not found`, "E_CONFIG_NOT_FOUND");
  return file;
}

/** Reads and validates a config; `$VAR` references in provider entries are filled from `env`. */
export async function loadConfig(file: string, env: Env, options: { cwd?: string } = {}): Promise<LoadedConfig> {
  const display = options.cwd ? displayPath(file, options.cwd) : file;
  const text = (await readUserFile(file, display, "E_CONFIG_NOT_FOUND")).toString("utf8");
  const source = parseJsonDocument(text, display);
  const data = substituteInProviders(source.data, env);
  const under = hasNanocoderProviders(source.data) ? ["nanocoder", "providers"] : ["providers"];
  const whereOf = (index: number) => {
    const { line, col } = positionOf(source, [...under, index], "value");
    return `${display}:${line}:${col}`;
  };
  const rawEntries = entriesAt(source.data, under);
  const variablesOf = (index: number): ProviderVariables => {
    const raw = rawEntries[index];
    return isRecord(raw) ? { apiKey: variablesIn(raw.apiKey), baseUrl: variablesIn(raw.baseUrl) } : { apiKey: [], baseUrl: [] };
  };
  const result = validateYaml(agentsConfigSchema, source, data);
  if (result.ok) {
    const indexes = result.value.providers.map((_, index) => index);
    return { file: display, providers: result.value.providers, where: indexes.map(whereOf), variables: indexes.map(variablesOf) };
  }
  // A provider broken only by variables unset here is no reason to refuse the others: it fails when chosen.
  const unavailable = unsetProviders(source, data, under, env);
  const usable = unavailable.length === 0 ? undefined : withoutProviders(data, under, unavailable.map((entry) => entry.index));
  const rest = usable === undefined ? result : validateYaml(agentsConfigSchema, source, usable.data);
  if (!rest.ok) throw new UserErrors(result.errors);
  // No provider is left to choose: each error says which variable to set, not only `got ""`.
  if (rest.value.providers.length === 0) throw new UserErrors(unavailable.map((entry) => new UserError(entry.reason, "E_CONFIG_PROVIDER")));
  const kept = usable?.kept ?? [];
  return { file: display, providers: rest.value.providers, where: kept.map(whereOf), variables: kept.map(variablesOf), unavailable };
}

/** Provider entries that fail validation and name a variable that is unset: each with why it cannot be used. */
function unsetProviders(source: YamlSource, substituted: unknown, under: string[], env: Env): UnavailableProvider[] {
  const rawEntries = entriesAt(source.data, under);
  return entriesAt(substituted, under).flatMap((entry, index) => {
    const raw = rawEntries[index];
    const unset = unsetVariables(raw, env);
    const parsed = providerEntrySchema.safeParse(entry, { error: describeExpectation });
    if (unset.length === 0 || parsed.success) return [];
    const issues = parsed.error.issues.map((issue) => ({ ...issue, path: [...under, index, ...issue.path] }));
    const problems = formatZodIssues(issues, source, substituted).join("; ");
    const variables = `${unset.map((variable) => `$${variable}`).join(", ")} ${unset.length === 1 ? "is" : "are"} not set here`;
    const name = isRecord(raw) && typeof raw.name === "string" ? raw.name : `#${index + 1}`;
    return [{ name, index, reason: `${problems} (${variables}); the provider "${name}" cannot be used until ${unset.length === 1 ? "it is" : "they are"} set` }];
  });
}

function entriesAt(data: unknown, under: string[]): unknown[] {
  let node: unknown = data;
  for (const key of under) node = isRecord(node) ? node[key] : undefined;
  return Array.isArray(node) ? node : [];
}

function withoutProviders(data: unknown, under: string[], dropped: number[]): { data: unknown; kept: number[] } {
  const entries = entriesAt(data, under);
  const kept = entries.map((_, index) => index).filter((index) => !dropped.includes(index));
  const providers = kept.map((index) => entries[index]);
  if (!isRecord(data)) return { data, kept };
  const copy = under[0] === "nanocoder" && isRecord(data.nanocoder) ? { ...data, nanocoder: { ...data.nanocoder, providers } } : { ...data, providers };
  return { data: copy, kept };
}

function hasNanocoderProviders(data: unknown): boolean {
  return typeof data === "object" && data !== null && "nanocoder" in data && typeof data.nanocoder === "object" && data.nanocoder !== null && "providers" in data.nanocoder;
}

export interface ResolveProviderOptions {
  /** Undefined when no config file was found. */
  config: LoadedConfig | undefined;
  /** A Task fits; with `source`, errors about the task's provider point at its file. */
  task?: { provider?: string | undefined; model?: string | undefined; source?: TaskLocation };
  flags?: { provider?: string | undefined; model?: string | undefined; baseUrl?: string | undefined };
  env: Env;
}

interface TaskLocation {
  file: string;
  line: number;
  column: number;
}

export interface ResolvedProvider {
  provider: ProviderConfig;
  model: string;
  /** Where the provider's settings are given, for messages that say what to fix. */
  fixAt: ProviderFixAt;
}


/**
 * Picks the provider and model for a task. Flags win over task fields, which win over the
 * config's defaults (its first provider and that provider's first model).
 * Without a configured provider, OPENAI_BASE_URL / OPENAI_API_KEY or --base-url make an ad-hoc one.
 */
export function resolveProvider({ config, task = {}, flags = {}, env }: ResolveProviderOptions): ResolvedProvider {
  const baseUrl = flags.baseUrl === undefined ? undefined : checkUrl(flags.baseUrl, "--base-url");
  const requested = flags.provider === undefined ? task.provider : flags.provider;
  const origin = flags.provider === undefined ? taskOrigin(task.source) : FLAG_ORIGIN;
  const model = flags.model ?? task.model;
  if (flags.model !== undefined && flags.model.trim() === "") throw new UserError("--model: empty; give a model name, e.g. --model qwen2.5-coder:14b", "E_USAGE");
  if (config && config.providers.length > 0) {
    requireAvailable(config, requested);
    const entry = requested === undefined ? config.providers[0] : findProvider(config, requested, origin);
    const index = entry ? config.providers.indexOf(entry) : -1;
    if (entry) return fromEntry(entry, config.where?.[index] ?? config.file, baseUrl, model, config.variables?.[index]);
  }
  if (requested !== undefined) {
    const reason = config ? `${config.file} lists no providers` : `no ${CONFIG_NAME} was found`;
    throw new UserError(unknownProvider(requested, origin, `: ${reason}`), "E_CONFIG_PROVIDER");
  }
  return adHocProvider(baseUrl, model, env);
}

// --- internal ---

function configCandidates(cwd: string, home: string, env: Env): string[] {
  const xdg = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, ".config");
  const fromEnv = env.NANOCODER_CONFIG_DIR ? [path.resolve(cwd, env.NANOCODER_CONFIG_DIR, CONFIG_NAME)] : [];
  return [path.join(cwd, CONFIG_NAME), ...fromEnv, path.join(xdg, "nanocoder", CONFIG_NAME)];
}

function isFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}

function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}

/** Env substitution applies to provider entries only, as in nanocoder. */
function substituteInProviders(data: unknown, env: Env): unknown {
  if (!isRecord(data)) return data;
  const result: Record<string, unknown> = { ...data };
  if (isRecord(data.nanocoder) && "providers" in data.nanocoder) {
    result.nanocoder = { ...data.nanocoder, providers: substituteEnv(data.nanocoder.providers, env) };
  }
  if ("providers" in data) result.providers = substituteEnv(data.providers, env);
  return result;
}

interface Origin {
  /** `file:line:col: ` when the name came from a task file, else "". */
  where: string;
  label: string;
}

const FLAG_ORIGIN: Origin = { where: "", label: "(from --provider)" };

function taskOrigin(source: TaskLocation | undefined): Origin {
  const where = source ? `${source.file}:${source.line}:${source.column}: ` : "";
  return { where, label: "(from the task's provider)" };
}

function unknownProvider(name: string, { where, label }: Origin, detail: string): string {
  return `${where}unknown provider "${name}" ${label}${detail}`;
}

/** The requested provider, or the first listed one when none is, must not be one left out for unset variables. */
function requireAvailable(config: LoadedConfig, requested: string | undefined): void {
  const unavailable = config.unavailable ?? [];
  const refused = requested === undefined ? unavailable.find((entry) => entry.index === 0) : unavailable.find((entry) => entry.name.toLowerCase() === requested.toLowerCase());
  if (refused) throw new UserError(refused.reason, "E_CONFIG_PROVIDER");
}

function findProvider(config: LoadedConfig, name: string, origin: Origin): ProviderEntry {
  const entry = config.providers.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
  if (entry) return entry;
  const available = config.providers.map((candidate) => candidate.name).join(", ");
  throw new UserError(unknownProvider(name, origin, `; ${config.file} defines: ${available}`), "E_CONFIG_PROVIDER");
}

function fromEntry(entry: ProviderEntry, file: string, baseUrl: string | undefined, model: string | undefined, variables?: ProviderVariables): ResolvedProvider {
  const chosenModel = model ?? entry.models[0];
  if (chosenModel === undefined) {
    throw new UserError(
      `${file}: no model for provider "${entry.name}": add one to its "models", pass --model NAME, or set "model:" in the task`,
      "E_CONFIG_MODEL",
    );
  }
  const url = baseUrl ?? entry.baseUrl;
  if (url === undefined) {
    // The entry is a loose object (nanocoder's own keys pass through), so a misspelt key is not refused when read.
    const misspelt = Object.keys(entry).find((key) => key !== "baseUrl" && key.toLowerCase().replace(/[-_]/g, "") === "baseurl");
    const hint = misspelt ? `rename "${misspelt}" to "baseUrl"` : "add one";
    throw new UserError(`${file}: provider "${entry.name}" has no "baseUrl": ${hint}, or pass --base-url URL`, "E_CONFIG_PROVIDER");
  }
  // A value filled from a variable is fixed in the variable: the file only names it.
  const fromVariables = (names: readonly string[] | undefined, key: string) =>
    names && names.length > 0 ? `${names.map((name) => `$${name}`).join(", ")} (which ${key} in ${file} names)` : `${key} in ${file}`;
  const fixAt = { baseUrl: baseUrl === undefined ? `${fromVariables(variables?.baseUrl, "baseUrl")} (or --base-url)` : "--base-url", apiKey: fromVariables(variables?.apiKey, "apiKey") };
  return { provider: toProviderConfig(entry, url), model: chosenModel, fixAt };
}

/** The entry's fields this tool reads, and nothing of nanocoder's others, down to the keys of each price. */
function toProviderConfig(entry: ProviderEntry, baseUrl: string): ProviderConfig {
  const known: Partial<Record<(typeof PROVIDER_FIELDS)[number], unknown>> = {};
  for (const field of PROVIDER_FIELDS) known[field] = entry[field];
  const pricing = entry.pricing && mapValues(entry.pricing, ({ input, output, cached_input }): ModelPrice => dropUndefined({ input, output, cached_input }));
  // Checked by the schema field by field; only the loose object's index signature is left behind here.
  return dropUndefined({ ...(known as Omit<ProviderConfig, "baseUrl">), baseUrl, apiKey: entry.apiKey || undefined, pricing });
}

function adHocProvider(flagUrl: string | undefined, model: string | undefined, env: Env): ResolvedProvider {
  const envUrl = env.OPENAI_BASE_URL ? checkUrl(env.OPENAI_BASE_URL, "OPENAI_BASE_URL") : undefined;
  const apiKey = env.OPENAI_API_KEY || undefined;
  const baseUrl = flagUrl ?? envUrl ?? (apiKey ? OPENAI_BASE_URL : undefined);
  if (baseUrl === undefined) {
    throw new UserError(
      `no provider configured: create ${CONFIG_NAME} (or pass --config PATH), pass --base-url URL and --model NAME, or set OPENAI_BASE_URL / OPENAI_API_KEY`,
      "E_CONFIG_PROVIDER",
    );
  }
  if (model === undefined) {
    throw new UserError(
      `no model chosen for ${baseUrl}: pass --model NAME, set "model:" in the task, or list "models" for a provider in ${CONFIG_NAME}`,
      "E_CONFIG_MODEL",
    );
  }
  const provider = dropUndefined({ name: adHocName(baseUrl), baseUrl, apiKey, models: [model] });
  return { provider, model, fixAt: { baseUrl: flagUrl === undefined ? "OPENAI_BASE_URL (or --base-url)" : "--base-url", apiKey: "OPENAI_API_KEY" } };
}

function adHocName(baseUrl: string): string {
  const host = new URL(baseUrl).hostname;
  return host === "api.openai.com" ? "openai" : host;
}

function checkUrl(value: string, label: string): string {
  const url = URL.parse(value);
  if (url && (url.protocol === "http:" || url.protocol === "https:")) return value;
  throw new UserError(`${label} ${JSON.stringify(value)}: expected a URL like "http://localhost:11434/v1"`, "E_CONFIG_PROVIDER");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function mapValues<T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}

/** Keeps results free of `key: undefined`, so they print and compare cleanly. */
function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

