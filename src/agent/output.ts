/**
 * The structured final answer of a task with an `output:` schema. Once the work is done (the model called
 * finish and the checks passed), the conversation goes on with one more request: no tools, the schema in the
 * instructions, and the server's constrained decoding asked for (provider/structured.ts). The reply is
 * validated here whatever the server did; an invalid one goes back with the errors, up to the task's
 * `max_corrections`, then the task ends `output_invalid`.
 *
 * A separate request rather than an argument of finish: a server constrains a reply's text, not the
 * arguments of a call among other tools (llama.cpp and Ollama refuse or ignore a grammar beside tools), and
 * a model that answers in plain text, or calls tools as text, gets the same request.
 */
import { ContextKeeper } from "./context.ts";
import type { AgentOptions, AgentOutcome, Conversation } from "./loop.ts";
import { queryModel } from "./query.ts";
import type { OutputRequest } from "../provider/types.ts";
import { compileSchema, formatErrors, type JsonSchema } from "../shared/json-schema.ts";
import type { TaskOutput } from "../task/output-schema.ts";

/** The name the schema goes by where a server wants one. */
const SCHEMA_NAME = "output";
/** Errors shown to the model per correction, and in the task's error line. */
const ERRORS_SHOWN = 10;

export type AnswerCheck = { ok: true; value: unknown } | { ok: false; errors: string[] };

/**
 * Asks for the answer and checks it, going on in `conversation`. The outcome is the conversation's, with
 * `output` set, or `output_invalid` with the last errors; requests count in turns, usage and budget.
 */
export async function askForOutput(options: AgentOptions, conversation: Conversation, output: TaskOutput): Promise<AgentOutcome> {
  const { outcome, messages } = conversation;
  const { provider, emit } = options;
  const signal = options.context.signal;
  const onUsage = (usage: AgentOutcome["usage"][number]): void => {
    outcome.usage.push(usage);
    options.budget?.record(usage);
  };
  const contextKeeper = new ContextKeeper({ provider, emit, signal, contextWindow: options.contextWindow, onUsage });
  const request: OutputRequest = { name: SCHEMA_NAME, schema: output.schema };
  messages.push({ role: "user", content: outputRequestMessage(output.schema) });
  let errors: string[] = [];
  for (let attempt = 0; attempt <= output.max_corrections; attempt++) {
    const spent = options.budget?.exhausted();
    if (spent) return { ...outcome, stopReason: "budget", error: spent };
    const turn = outcome.turns + 1;
    let reply;
    try {
      reply = await contextKeeper.send(messages, undefined, turn, () => queryModel(provider, messages, undefined, { emit, signal, turn, purpose: "output", output: request }));
    } catch (error) {
      return { ...outcome, stopReason: "provider_error", error: error instanceof Error ? error.message : String(error), aborted: signal.aborted };
    }
    outcome.turns = turn;
    onUsage(reply.usage);
    messages.push({ role: "assistant", content: reply.content });
    const checked = checkAnswer(reply.content, output.schema);
    if (checked.ok) return { ...outcome, output: checked.value };
    errors = checked.errors;
    const left = output.max_corrections - attempt;
    emit({ type: "output_invalid", turn, errors: errors.slice(0, ERRORS_SHOWN), corrections_left: left });
    if (left > 0) messages.push({ role: "user", content: correctionMessage(errors, left) });
  }
  const tries = output.max_corrections + 1;
  return { ...outcome, stopReason: "output_invalid", error: `the answer is not valid against the output schema after ${tries} ${tries === 1 ? "try" : "tries"}: ${errors.slice(0, 3).join("; ")}${errors.length > 3 ? ` and ${errors.length - 3} more` : ""}` };
}

/** The reply as one JSON value valid against `schema`, or what is wrong with it, one line per error. */
export function checkAnswer(text: string, schema: JsonSchema): AnswerCheck {
  const parsed = parseJsonAnswer(text);
  if (!parsed.ok) return { ok: false, errors: [parsed.error] };
  const compiled = compileSchema(schema);
  // The schema was checked when the task loaded; a failure here is a bug, said plainly rather than hidden.
  if (!compiled.ok) return { ok: false, errors: compiled.problems.map((problem) => `the schema itself is invalid: ${problem.message}`) };
  if (compiled.validate(parsed.value)) return { ok: true, value: parsed.value };
  return { ok: false, errors: formatErrors(compiled.validate.errors) };
}

/**
 * The JSON in a reply: the whole text, else the inside of a ```json fence, else the span from the first
 * `{` or `[` to the last `}` or `]`. Servers without constrained decoding often wrap the value in prose.
 */
export function parseJsonAnswer(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, error: "the reply is empty; expected one JSON value" };
  const fence = /```(?:json)?\s*\n([\s\S]*?)\n?```/i.exec(trimmed)?.[1];
  const start = trimmed.search(/[[{]/);
  const end = Math.max(trimmed.lastIndexOf("}"), trimmed.lastIndexOf("]"));
  const span = start !== -1 && end > start ? trimmed.slice(start, end + 1) : undefined;
  let firstError = "";
  for (const candidate of [trimmed, fence, span]) {
    if (candidate === undefined) continue;
    try {
      return { ok: true, value: JSON.parse(candidate) };
    } catch (error) {
      firstError ||= error instanceof Error ? error.message : String(error);
    }
  }
  return { ok: false, error: `the reply is not valid JSON (${firstError})` };
}

export function outputRequestMessage(schema: JsonSchema): string {
  return `The work is done. Now give the task's final answer: one JSON value valid against this JSON Schema, and nothing else (no prose, no code fence).

${JSON.stringify(schema)}`;
}

export function correctionMessage(errors: readonly string[], left: number): string {
  const shown = errors.slice(0, ERRORS_SHOWN).map((error) => `- ${error}`);
  const more = errors.length > ERRORS_SHOWN ? [`- and ${errors.length - ERRORS_SHOWN} more`] : [];
  const tries = left === 1 ? "1 more try" : `${left} more tries`;
  return `That answer is not valid against the schema:\n${[...shown, ...more].join("\n")}\n\nReply with only the corrected JSON value (${tries}).`;
}
