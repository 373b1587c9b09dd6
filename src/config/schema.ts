import { z } from "zod";
import { structuredOutputModeSchema } from "../provider/structured.ts";
import { MAX_TIMER_MS } from "../shared/duration.ts";

// Objects are loose at every level: nanocoder's own keys (and future ones) pass through untouched,
// so an existing agents.config.json works as is. Only the fields this tool reads are checked.

const NON_NEGATIVE = "expected a non-negative number";

const priceSchema = z.looseObject({
  input: z.number({ error: NON_NEGATIVE }).nonnegative({ error: NON_NEGATIVE }),
  output: z.number({ error: NON_NEGATIVE }).nonnegative({ error: NON_NEGATIVE }),
  cached_input: z.number({ error: NON_NEGATIVE }).nonnegative({ error: NON_NEGATIVE }).optional(),
});

/** The fields of a provider entry this tool reads: one list, for the entry's check and for ProviderConfig. */
const providerFields = {
  name: z.string().min(1).describe("Used by --provider and a task's provider: (case-insensitive)."),
  // Optional here because nanocoder allows it for non-OpenAI SDKs; required when the provider is used.
  baseUrl: z.url({ protocol: /^https?$/ }).optional().describe("OpenAI-compatible endpoint, e.g. http://localhost:11434/v1."),
  apiKey: z.string().optional(),
  models: z.array(z.string().min(1)).default([]).describe("The first one is the default model."),
  pricing: z.record(z.string(), priceSchema).optional().describe("USD per million tokens, per model."),
  maxRetries: z.int().nonnegative().optional().describe("Retries of a failed request (408, 409, 429, 5xx, connection errors, timeouts, broken streams); 5 unless given."),
  requestTimeout: z.int().min(-1).max(MAX_TIMER_MS).optional().describe("Milliseconds; -1 disables the timeout."),
  streamIdleTimeout: z.int().positive().max(MAX_TIMER_MS).optional().describe("Milliseconds without a byte from the server before the request is retried."),
  retryBaseDelay: z.int().nonnegative().optional().describe("Milliseconds: the first retry waits up to this, doubling each time."),
  retryMaxDelay: z.int().nonnegative().optional().describe("Milliseconds: no retry waits longer, Retry-After included."),
  maxConcurrency: z.int().positive().optional().describe("Requests in flight to this provider at once, across the run."),
  requestsPerMinute: z.number().positive().optional().describe("Requests started per minute to this provider, across the run."),
  headers: z.record(z.string(), z.string()).optional(),
  contextWindow: z.int().positive().optional().describe("Tokens the models take, prompt and reply together."),
  contextWindows: z.record(z.string(), z.int().positive()).optional().describe("contextWindow per model; wins over contextWindow."),
  toolResultLimit: z.int().min(1_000).optional().describe("Cap on one tool result, in UTF-8 bytes."),
  toolCalling: z.enum(["native", "text"]).optional().describe('"text": tools in the prompt, calls parsed from the reply.'),
  disableTools: z.boolean().optional().describe("nanocoder's switch: text tool calling for every model."),
  disableToolModels: z.array(z.string()).optional().describe("nanocoder's list: models that get text tool calling."),
  structuredOutput: structuredOutputModeSchema
    .optional()
    .describe('The field that asks for a schema-valid final answer: "response_format" (default), "json_schema" (llama.cpp), "guided_json" (vLLM), or "none" (instructions only).'),
};

export const providerEntrySchema = z.looseObject(providerFields);

/** The names of providerFields: what a ProviderConfig keeps of an entry. */
export const PROVIDER_FIELDS = Object.keys(providerFields) as (keyof typeof providerFields)[];

/** USD per million tokens of one model. */
export type ModelPrice = Pick<z.output<typeof priceSchema>, "input" | "output" | "cached_input">;

/**
 * A provider as a run uses it: the fields of its entry this tool reads (nanocoder's other keys left
 * behind), after environment substitution and flag overrides, with its base URL settled.
 */
export type ProviderConfig = Omit<z.output<z.ZodObject<typeof providerFields>>, "baseUrl" | "pricing" | "models"> & {
  baseUrl: string;
  models: string[];
  pricing?: Record<string, ModelPrice>;
};

/** Providers are found by name regardless of case, so two names that differ only by case are one too many. */
const providersSchema = z.array(providerEntrySchema).superRefine((providers, context) => {
  const seen = new Map<string, string>();
  providers.forEach((provider, index) => {
    const earlier = seen.get(provider.name.toLowerCase());
    if (earlier !== undefined) {
      context.addIssue({ code: "custom", path: [index, "name"], message: `duplicate provider name "${provider.name}" (also "${earlier}"; names are matched regardless of case); rename one` });
    } else seen.set(provider.name.toLowerCase(), provider.name);
  });
});

/** agents.config.json: providers under `nanocoder`, or a bare top-level `providers` array. */
export const agentsConfigSchema = z
  .looseObject({
    nanocoder: z.looseObject({ providers: providersSchema.optional() }).optional(),
    providers: providersSchema.optional(),
  })
  .transform((config) => ({ providers: config.nanocoder?.providers ?? config.providers ?? [] }));

export type ProviderEntry = z.output<typeof providerEntrySchema>;
export type AgentsConfig = z.output<typeof agentsConfigSchema>;

/** A provider entry left out because a variable it names is unset here; choosing it is an error. */
export interface UnavailableProvider {
  name: string;
  /** Its place in the file's list. */
  index: number;
  reason: string;
}

/** The variables provider i's apiKey and baseUrl name in the file, which are what a user fixes when the value is wrong. */
export interface ProviderVariables {
  apiKey: string[];
  baseUrl: string[];
}

/**
 * A config as loaded from a file, env already substituted; `where[i]` is provider i's `file:line:col`,
 * `variables[i]` the variables its apiKey and baseUrl were filled from.
 */
export type LoadedConfig = AgentsConfig & { file: string; where?: string[]; variables?: ProviderVariables[]; unavailable?: UnavailableProvider[] };
