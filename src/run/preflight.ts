/**
 * The provider check before the first task: each (provider, model) the tasks about to run use is asked
 * once, all at the same time, with a short timeout (probe.ts). A server that cannot be used (nothing
 * answers, the key is refused, the model is unknown to it) stops the run before any task starts or any
 * file is written, with one line per server and model naming the fix; the process exits 3. Without this,
 * a wrong base URL cost every task its retries and ended each one `error`.
 */
import { describeProbe, probeProvider, type ProbeResult, type ProbeVerdict } from "../provider/probe.ts";
import { ProviderUnavailable, type ProviderErrorCode } from "../shared/errors.ts";
import type { PlannedTask } from "./task.ts";

const CODES: Record<Exclude<ProbeVerdict, "ok" | "unsure">, ProviderErrorCode> = {
  unreachable: "E_PROVIDER_UNREACHABLE",
  unauthorized: "E_PROVIDER_UNAUTHORIZED",
  unknown_model: "E_PROVIDER_UNKNOWN_MODEL",
};

export interface ProviderCheck {
  /** Servers that answered with something that says nothing for sure (a 503, a 429): the tasks will see. */
  warnings: string[];
}

/** Checks every provider and model of `tasks`; throws ProviderUnavailable naming each that cannot be used. */
export async function checkProviders(tasks: readonly PlannedTask[], options: { timeoutMs?: number } = {}): Promise<ProviderCheck> {
  const pairs = new Map<string, PlannedTask>();
  for (const planned of tasks) if (!pairs.has(pairKey(planned))) pairs.set(pairKey(planned), planned);
  const probed = await Promise.all(
    [...pairs.values()].map(async (planned) => ({ planned, result: await probeProvider(planned.provider, { model: planned.model, timeoutMs: options.timeoutMs }) })),
  );
  const failures = probed.flatMap(({ planned, result }) => (isFailure(result.verdict) ? [{ planned, result, code: CODES[result.verdict] }] : []));
  const warnings = probed.filter(({ result }) => result.verdict === "unsure").map(({ planned, result }) => `warning: provider check: ${line(planned, result)}; the tasks go on and retry`);
  const first = failures[0];
  if (!first) return { warnings };
  const lines = failures.map(({ planned, result }) => `provider check: ${line(planned, result)}`);
  const failed = new Set(failures.map(({ planned }) => pairKey(planned)));
  const affected = tasks.filter((task) => failed.has(pairKey(task))).length;
  const [which, them] = failures.length === 1 ? ["this provider", "it"] : ["these providers", "them"];
  throw new ProviderUnavailable(`${lines.join("\n")}\nno task started (${affected} of ${tasks.length} use ${which}); fix ${them} and run the command again`, first.code);
}

function isFailure(verdict: ProbeVerdict): verdict is keyof typeof CODES {
  return Object.hasOwn(CODES, verdict);
}

/** Tasks asking the same server the same thing share one probe. */
function pairKey({ provider, model }: PlannedTask): string {
  return JSON.stringify([provider.name, provider.baseUrl, provider.apiKey ?? "", provider.headers ?? {}, model]);
}

/** `provider "local", model "m": GET http://…/models: connection refused (ECONNREFUSED); is the server running at …? Fix …` */
function line({ provider, model, fixAt }: PlannedTask, result: ProbeResult): string {
  const { text, fix } = describeProbe(result, provider, fixAt, model);
  return `provider "${provider.name}", model "${model}": ${text}${fix ? `; ${fix}` : ""}`;
}
