/**
 * How many tokens a model takes, and how to tell that a server found a prompt too long.
 */
import type { PriceTable } from "./price-table.ts";
import { ProviderError } from "./types.ts";
import type { ProviderConfig } from "./types.ts";

/** When neither the config nor the price table knows the model. Small enough for most local servers. */
export const DEFAULT_CONTEXT_WINDOW = 32_768;

/** Cap on one tool result when the config sets none (UTF-8 bytes). */
const DEFAULT_TOOL_RESULT_LIMIT = 30_000;

export interface ContextLimits {
  /** Tokens the model takes: prompt and reply together. */
  contextWindow: number;
  /** Cap on one tool result, in UTF-8 bytes. */
  toolResultLimit: number;
}

/**
 * The model's window: the provider's `contextWindows[model]`, else its `contextWindow`, else the bundled
 * price table, else 32,768. A tool result may take a quarter of the window (about 4 bytes a token)
 * and never more than 30,000 bytes, unless the provider sets `toolResultLimit`.
 */
export function resolveContextLimits(config: ProviderConfig, model: string, table: PriceTable): ContextLimits {
  const configured = config.contextWindows?.[model] ?? config.contextWindow;
  const fromTable = configured === undefined ? priceTableWindow(config.baseUrl, model, table) : undefined;
  const contextWindow = configured ?? fromTable ?? DEFAULT_CONTEXT_WINDOW;
  const toolResultLimit = config.toolResultLimit ?? Math.min(DEFAULT_TOOL_RESULT_LIMIT, contextWindow);
  return { contextWindow, toolResultLimit };
}

/** The table's window for the model: as served at this URL, else under its own name, else without a vendor prefix. */
export function priceTableWindow(baseUrl: string, model: string, table: PriceTable): number | undefined {
  const bare = model.slice(model.lastIndexOf("/") + 1);
  const lookups: [string, { providerApiUrl?: string }][] = [[model, { providerApiUrl: baseUrl }], [model, {}], [bare, {}]];
  for (const [name, options] of lookups) {
    const window = table({ input_tokens: 0 }, name, options)?.model.context_window;
    if (window !== undefined && window > 0) return window;
  }
  return undefined;
}

const OVERFLOW_PATTERN =
  /context[ _-]?(length|window|size)|maximum context|too many tokens|prompt is too long|input is too long|too long for the model|exceeds? the (available )?context/i;

/** True when the server refused the request because the prompt does not fit the model. */
export function isContextOverflow(error: unknown): boolean {
  if (!(error instanceof ProviderError)) return false;
  if (error.status !== 400 && error.status !== 413 && error.status !== 422) return false;
  return OVERFLOW_PATTERN.test(error.message);
}

/**
 * The window a server names in its refusal, e.g. "This model's maximum context length is 8192 tokens"
 * or "exceeds the available context size (4096 tokens)". Undefined when it names none.
 */
export function windowFromError(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const match = /(?:context (?:length|window|size)|maximum context)\D{0,40}?(\d[\d,]{2,})\s*tokens/i.exec(error.message);
  const tokens = match?.[1] === undefined ? Number.NaN : Number(match[1].replaceAll(",", ""));
  return Number.isFinite(tokens) && tokens > 0 ? tokens : undefined;
}
