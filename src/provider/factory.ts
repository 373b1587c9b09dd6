/**
 * The run's `createProvider`: one shared limiter per provider entry, and record or replay when asked.
 */
import { join } from "node:path";
import { recordingProvider, replayingProvider } from "./cassette.ts";
import { createLimiter, type Limiter } from "./limiter.ts";
import { createOpenAIProvider } from "./openai.ts";
import type { Provider, ProviderConfig, ProviderHooks } from "./types.ts";
import type { Redact } from "../report/redact.ts";

export interface ProviderFactoryOptions {
  /** Folder to write a cassette per task to (--record). */
  record?: string | undefined;
  /** Folder to serve the model's side from, without any network (--replay). */
  replay?: string | undefined;
  /** Hides secrets in cassettes; requests are digested as redacted too, so a recording replays. */
  redact?: Redact | undefined;
}

export type CreateProvider = (config: ProviderConfig, model: string, hooks?: ProviderHooks) => Provider;

export function createProviderFactory(options: ProviderFactoryOptions = {}): CreateProvider {
  const limiters = new Map<string, Limiter>();
  return (config, model, hooks = {}) => {
    const taskId = hooks.taskId ?? "task";
    const cassette = { workspace: hooks.workspace, redact: options.redact };
    if (options.replay !== undefined) return replayingProvider(config.name, model, join(options.replay, `${taskId}.jsonl`), taskId, cassette);
    const key = `${config.name}\n${config.baseUrl}`;
    let limiter = limiters.get(key);
    if (!limiter) {
      limiter = createLimiter(config);
      limiters.set(key, limiter);
    }
    const provider = createOpenAIProvider(config, model, hooks, { limiter });
    return options.record === undefined ? provider : recordingProvider(provider, join(options.record, `${taskId}.jsonl`), cassette);
  };
}
