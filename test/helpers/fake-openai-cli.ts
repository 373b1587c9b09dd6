/**
 * Runs the fake OpenAI server as a process, for end-to-end tests and demos.
 *
 *   node test/helpers/fake-openai-cli.ts script.yaml [requests.jsonl]
 *
 * The script file (JSON or YAML) holds a list of conversations, or `{conversations: [...]}`.
 * Prints `{"url": "http://127.0.0.1:PORT/v1"}` as one line on stdout, then serves until killed.
 * With a second path, appends every request received to it as one JSON line.
 */
import { appendFileSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { startFakeOpenAI } from "./fake-openai.ts";
import type { Conversation, RecordedRequest } from "./fake-openai.ts";

function loadScript(path: string): Conversation[] {
  const data: unknown = parse(readFileSync(path, "utf8"));
  const list: unknown = Array.isArray(data) ? data : (data as { conversations?: unknown } | null)?.conversations;
  if (!Array.isArray(list) || !list.every(isConversation)) {
    throw new Error(`${path}: expected a list of {match: string, turns: [...]} conversations`);
  }
  return list;
}

function isConversation(value: unknown): value is Conversation {
  if (typeof value !== "object" || value === null) return false;
  return "match" in value && typeof value.match === "string" && "turns" in value && Array.isArray(value.turns);
}

async function main(): Promise<void> {
  const [scriptPath, recordPath] = process.argv.slice(2);
  if (!scriptPath) throw new Error("usage: fake-openai-cli.ts <script.json|yaml> [requests.jsonl]");
  const onRequest = recordPath
    ? (request: RecordedRequest) => appendFileSync(recordPath, `${JSON.stringify(request)}\n`)
    : undefined;
  const server = await startFakeOpenAI(loadScript(scriptPath), { onRequest });
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  const stop = (): void => void server.close().then(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`fake-openai: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
