/**
 * The two ways a history is made smaller, as pure functions over messages:
 * - shorten the tool results of older turns to their head and tail;
 * - replace the older turns with a summary the model writes.
 * The system prompt (messages[0]), the task prompt (messages[1]) and the latest turn (the last assistant
 * message and what follows it) are always kept, and a tool call never loses its result or the reverse.
 */
import { contentText } from "../provider/tokens.ts";
import type { ChatMessage } from "../provider/types.ts";
import { truncateMiddle } from "../tools/truncate.ts";

/** What is kept of a shortened tool result (UTF-8 bytes, before the marker line). */
export const SHORT_RESULT_BYTES = 800;

const SHORTENED_MARK = "[shortened to fit the context window; call the tool again for the full output]";
const SUMMARY_OPEN = "<conversation-summary>";
const SUMMARY_CLOSE = "</conversation-summary>";
const SUMMARY_INTRO = "Earlier turns of this conversation were summarised to fit the context window:";
const TASK_BYTES_IN_SUMMARY_REQUEST = 4_000;
const CALL_BYTES_IN_TRANSCRIPT = 400;

export const SUMMARY_SYSTEM_PROMPT =
  "You summarise the work of a coding agent so that it can continue its task from your summary alone.";

/** Index of the latest turn's first message: the last assistant message after the task prompt, else the end. */
export function latestTurnStart(messages: readonly ChatMessage[]): number {
  for (let i = messages.length - 1; i >= 2; i--) if (messages[i]?.role === "assistant") return i;
  return messages.length;
}

/** Positions of the tool results in `[from, to)` that are not short already, oldest first. */
export function longToolResults(messages: readonly ChatMessage[], from: number, to: number): number[] {
  const positions: number[] = [];
  for (let i = from; i < to; i++) {
    const message = messages[i];
    if (message?.role !== "tool") continue;
    const text = contentText(message.content);
    if (!text.startsWith(SHORTENED_MARK) && Buffer.byteLength(text) > SHORT_RESULT_BYTES) positions.push(i);
  }
  return positions;
}

/** The result's head and tail, with a marker saying what was left out and how to get it back. */
export function shortenToolResult(message: Extract<ChatMessage, { role: "tool" }>): ChatMessage {
  const text = contentText(message.content);
  return { role: "tool", tool_call_id: message.tool_call_id, content: `${SHORTENED_MARK}\n${truncateMiddle(text, SHORT_RESULT_BYTES)}` };
}

/** The first user message holds the task prompt, followed by the summary of earlier turns once there is one. */
export function splitTaskMessage(message: ChatMessage | undefined): { task: string; summary: string | undefined } {
  const content = contentText(message?.content ?? "");
  const start = content.lastIndexOf(`\n\n${SUMMARY_OPEN}\n${SUMMARY_INTRO}\n\n`);
  if (start < 0 || !content.endsWith(`\n${SUMMARY_CLOSE}`)) return { task: content, summary: undefined };
  const body = content.slice(start + `\n\n${SUMMARY_OPEN}\n${SUMMARY_INTRO}\n\n`.length, -`\n${SUMMARY_CLOSE}`.length);
  return { task: content.slice(0, start), summary: body };
}

/**
 * The history with everything between the task prompt and the latest turn replaced by `summary`, which
 * joins the task prompt in the first user message (so roles still alternate for strict chat templates).
 */
export function replaceWithSummary(messages: readonly ChatMessage[], summary: string): ChatMessage[] {
  const [system, first] = messages;
  if (!system || !first) return [...messages];
  const { task } = splitTaskMessage(first);
  const content = `${task}\n\n${SUMMARY_OPEN}\n${SUMMARY_INTRO}\n\n${summary.trim()}\n${SUMMARY_CLOSE}`;
  return [system, { role: "user", content }, ...messages.slice(latestTurnStart(messages))];
}

/** The request that asks the model for a summary of the older turns. It offers no tools. */
export function summaryRequest(messages: readonly ChatMessage[], maxTranscriptBytes: number): ChatMessage[] {
  const { task, summary } = splitTaskMessage(messages[1]);
  const earlier = summary === undefined ? "" : `Summary of the turns before these:\n${summary}\n\n`;
  const transcript = truncateMiddle(earlier + renderTranscript(messages.slice(2, latestTurnStart(messages))), maxTranscriptBytes);
  const user = `The agent's task:
<task>
${truncateMiddle(task, TASK_BYTES_IN_SUMMARY_REQUEST)}
</task>

What the agent has done so far:
<transcript>
${transcript}
</transcript>

Summarise this work so that the agent can go on from your summary alone. Keep what it will need: the files it read and what in them matters, the files it changed and how, commands and their results, decisions, and what remains to be done. Use exact paths and names. Write plain text and call no tools.`;
  return [
    { role: "system", content: SUMMARY_SYSTEM_PROMPT },
    { role: "user", content: user },
  ];
}

/** Older turns as plain text: what the assistant said and called, and what came back (shortened). */
export function renderTranscript(messages: readonly ChatMessage[]): string {
  const names = new Map<string, string>();
  const lines: string[] = [];
  for (const message of messages) {
    const text = contentText(message.content ?? "");
    if (message.role === "assistant") {
      if (text.trim() !== "") lines.push(`Assistant: ${text.trim()}`);
      for (const call of message.tool_calls ?? []) {
        if (call.type !== "function") continue;
        names.set(call.id, call.function.name);
        lines.push(`Called ${call.function.name} ${truncateMiddle(call.function.arguments, CALL_BYTES_IN_TRANSCRIPT)}`);
      }
    } else if (message.role === "tool") {
      const name = names.get(message.tool_call_id) ?? "tool";
      lines.push(`Result of ${name}:\n${truncateMiddle(text.replace(`${SHORTENED_MARK}\n`, ""), SHORT_RESULT_BYTES)}`);
    } else {
      lines.push(`User: ${text.trim()}`);
    }
  }
  return lines.join("\n\n");
}
