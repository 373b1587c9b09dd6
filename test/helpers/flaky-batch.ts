/**
 * A batch of 50 tasks against a server that fails often and in every way: 429 with Retry-After, 500, 503,
 * dropped connections, garbled chunks and hangs; the last task's faults outlast its retries. The e2e test
 * (test/e2e/faults.test.ts) checks what the run does; npm run bench times it.
 */
import type { Conversation, Fault } from "./fake-openai.ts";

export const TASKS = 50;
export const HOPELESS = "task-50";
const FAULTS: Fault[][] = [
  [{ kind: "status", status: 429, retry_after: "2" }],
  [{ kind: "status", status: 500 }, { kind: "status", status: 503, retry_after_ms: 10 }],
  [{ kind: "drop" }],
  [{ kind: "garble" }],
  [{ kind: "hang" }],
  [{ kind: "hang", after_chunks: 2 }, { kind: "status", status: 429, retry_after_ms: 5 }],
  [],
];

export function flakyConversation(n: number): Conversation {
  const faults = n === TASKS ? Array.from({ length: 10 }, () => ({ kind: "status", status: 503, message: "upstream overloaded" }) as const) : (FAULTS[n % FAULTS.length] ?? []);
  return {
    match: `Task number ${n}.`,
    turns: [
      { tool_calls: [{ name: "write_file", arguments: { path: `out/${n}.txt`, content: `task ${n}\n` } }], faults },
      { content: `Wrote out/${n}.txt.`, faults: FAULTS[(n + 3) % FAULTS.length] ?? [] },
    ],
  };
}

/** The task file: task-1 … task-50, each asking for its own file. */
export function flakyTasks(): string {
  return Array.from({ length: TASKS }, (_, i) => `id: task-${i + 1}\nprompt: Task number ${i + 1}. Write the file.\n`).join("---\n");
}

/** The provider entry, without its baseUrl: quick retries and idle timeout, so the faults cost little time. */
export const FLAKY_PROVIDER = { name: "flaky", models: ["scripted"], retryBaseDelay: 5, retryMaxDelay: 40, streamIdleTimeout: 300, maxConcurrency: 6 };
