/**
 * The provider breaker. A provider that failed (after each request's own retries) in PROVIDER_FAILURE_LIMIT
 * tasks in a row is taken for down: no further task that uses it starts, and those tasks end `interrupted`,
 * "not started", for `--resume` to run once it is back; the run exits 3. A circuit breaker, not more
 * retries: each failed task has already spent its retries and backoff on the server.
 *
 * "In a row" is counted as tasks end, across every task running at once. A task counts as failed when it
 * ended `error` on a request the server could not serve at all (ProviderError.outage: unreachable, timed
 * out, 401/403/404, 429, 5xx); a task the server answered in the end starts the count again. Tasks already
 * running are left to finish: their requests fail soon enough, and one that still gets its answers keeps
 * its result. Tasks of other providers go on.
 */
import type { CreateProvider } from "../provider/factory.ts";
import { ProviderError, type ProviderConfig } from "../provider/types.ts";
import type { ProviderDown, TaskResult } from "../report/types.ts";

/** Three: one failed task is bad luck, two may be a coincidence of two hard tasks, three in a row is the server. */
export const PROVIDER_FAILURE_LIMIT = 3;

export interface ProviderBreaker {
  /** `create`, with each task's requests watched. */
  watch(create: CreateProvider): CreateProvider;
  /** Counts a task that started and ended; returns the provider if this task made the breaker trip. */
  taskEnded(provider: ProviderConfig, result: TaskResult): ProviderDown | undefined;
  /** Why a task using `provider` must not start (counted as not started); undefined while it works. */
  refuses(provider: ProviderConfig): string | undefined;
  /** The providers taken for down, in the order they were. */
  down(): ProviderDown[];
}

export function createProviderBreaker(limit = PROVIDER_FAILURE_LIMIT): ProviderBreaker {
  /** Per task: its last request's failure, if that request failed for an outage, and whether any was answered. */
  const tasks = new Map<string, { answered: boolean; failure: ProviderError | undefined }>();
  const inARow = new Map<string, number>();
  const tripped = new Map<string, ProviderDown>();
  const keyOf = (provider: ProviderConfig) => `${provider.name}\n${provider.baseUrl}`;
  return {
    watch: (create) => (config, model, hooks = {}) => {
      const provider = create(config, model, hooks);
      const state = { answered: false, failure: undefined as ProviderError | undefined };
      if (hooks.taskId !== undefined) tasks.set(hooks.taskId, state);
      return {
        name: provider.name,
        model: provider.model,
        complete: async (request) => {
          try {
            const turn = await provider.complete(request);
            state.answered = true;
            state.failure = undefined;
            return turn;
          } catch (error) {
            state.failure = error instanceof ProviderError && error.outage && !request.signal.aborted ? error : undefined;
            throw error;
          }
        },
      };
    },
    taskEnded(provider, result) {
      const state = tasks.get(result.id);
      tasks.delete(result.id);
      const key = keyOf(provider);
      if (result.status === "error" && state?.failure) {
        const failures = (inARow.get(key) ?? 0) + 1;
        inARow.set(key, failures);
        if (failures < limit || tripped.has(key)) return undefined;
        const down = { provider: provider.name, base_url: provider.baseUrl, reason: `failed in ${failures} tasks in a row, the last: ${state.failure.message}`, not_started: 0 };
        tripped.set(key, down);
        return down;
      }
      if (state?.answered) inARow.set(key, 0);
      return undefined;
    },
    refuses(provider) {
      const down = tripped.get(keyOf(provider));
      if (!down) return undefined;
      down.not_started++;
      return `provider "${down.provider}" (${down.base_url}) ${down.reason}`;
    },
    down: () => [...tripped.values()],
  };
}
