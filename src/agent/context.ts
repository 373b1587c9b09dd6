/**
 * Keeps every request within the model's context window.
 *
 * Before each request the prompt (messages and tool schemas) is counted with the o200k tokenizer, each
 * message once. The tokenizer takes a few hundred ms to load, and most prompts are far below the trigger:
 * an o200k token is at least one UTF-8 byte, so while the prompt's bytes (plus framing) stay under the
 * trigger nothing can need compacting, and the exact count is skipped (same decisions, no tokenizer). Above 75% of the window, the older turns' tool results are shortened, oldest first, until
 * the prompt is under half the window; when that is not enough, the model summarises the older turns
 * (a request of its own, counted like any other) and the history goes on from the summary; as a last
 * resort the latest turn's results are shortened too. A server that still answers "context too long"
 * gets one more try after a harder compaction, and the window it names is used from then on.
 */
import { DEFAULT_CONTEXT_WINDOW, isContextOverflow, windowFromError } from "../provider/context-window.ts";
import { loadCounter, messageText, TOKENS_PER_MESSAGE, TOKENS_PER_REPLY, type CountTokens } from "../provider/tokens.ts";
import type { ChatMessage, ModelTurn, Provider, ToolSchema, Usage } from "../provider/types.ts";
import { truncateMiddle } from "../tools/truncate.ts";
import { latestTurnStart, longToolResults, replaceWithSummary, shortenToolResult, summaryRequest } from "./compaction.ts";
import type { Emit } from "./events.ts";
import { queryModel } from "./query.ts";

/** Compaction starts above this share of the window; the rest is room for the reply. */
const TRIGGER_SHARE = 0.75;
/** Shortening aims below this share, so that the next turn does not need it again at once. */
const TARGET_SHARE = 0.5;
/** Shares of the window the transcript sent for summarising, and the summary kept, may take. */
const TRANSCRIPT_SHARE = 0.5;
const SUMMARY_SHARE = 0.15;
/** Bytes per token when a token budget becomes a byte cap: few, so the cap errs on the short side. */
const BYTES_PER_TOKEN = 3;

export interface ContextOptions {
  provider: Provider;
  emit: Emit;
  signal: AbortSignal;
  /** Tokens the model takes, prompt and reply together; 32,768 unless given. */
  contextWindow?: number | undefined;
  /** Called with the usage of each summary request, to be counted like any other response's. */
  onUsage(usage: Usage): void;
  /** Counts the tokens of a text; the o200k tokenizer unless given. */
  countTokens?: CountTokens;
}

type Send = () => Promise<ModelTurn>;

/** Even compacted, the prompt (system prompt, tools, task and the latest turn) does not fit the window. */
export class ContextTooSmall extends Error {
  constructor(window: number, tokens: number) {
    super(
      `the model's context window (${window} tokens) cannot hold the prompt even compacted (${tokens} tokens: the system prompt, ` +
        `tool descriptions, task and latest turn); set a larger contextWindow for this model in the config, and give the server as much (e.g. Ollama's num_ctx)`,
    );
  }
}

export class ContextKeeper {
  readonly #options: ContextOptions;
  readonly #counts = new WeakMap<object, number>();
  readonly #bytes = new WeakMap<object, number>();
  #window: number;
  #counter: CountTokens | undefined;

  constructor(options: ContextOptions) {
    this.#options = options;
    this.#window = options.contextWindow ?? DEFAULT_CONTEXT_WINDOW;
  }

  get contextWindow(): number {
    return this.#window;
  }

  /**
   * Fits `messages` into the window (in place), then sends them with `send`. When the server still finds
   * the prompt too long, compacts harder and sends once more; a second refusal is thrown.
   */
  async send(messages: ChatMessage[], tools: ToolSchema[] | undefined, turn: number, send: Send): Promise<ModelTurn> {
    await this.fit(messages, tools, turn);
    try {
      return await send();
    } catch (error) {
      if (!isContextOverflow(error) || this.#options.signal.aborted) throw error;
      this.#window = Math.min(this.#window, windowFromError(error) ?? this.#window);
      await this.fit(messages, tools, turn, true);
      return send();
    }
  }

  /** Compacts `messages` in place when the prompt takes more than 75% of the window, or always with `force`. */
  async fit(messages: ChatMessage[], tools: ToolSchema[] | undefined, turn: number, force = false): Promise<void> {
    const trigger = this.#window * TRIGGER_SHARE;
    if (!force && this.#options.countTokens === undefined && this.#byteBound(messages, tools) <= trigger) return;
    const before = await this.count(messages, tools);
    if (before <= trigger && !force) return;
    const target = Math.min(this.#window * TARGET_SHARE, force ? before / 2 : Number.POSITIVE_INFINITY);
    const enough = force ? target : trigger;
    let tokens = await this.#shorten(messages, tools, turn, 2, latestTurnStart(messages), target);
    if (tokens > enough) tokens = await this.#summarize(messages, tools, turn, tokens);
    if (tokens > enough) tokens = await this.#shorten(messages, tools, turn, latestTurnStart(messages), messages.length, target);
    if (tokens >= this.#window) throw new ContextTooSmall(this.#window, tokens);
  }

  /** Tokens of the prompt, as OpenAI's counting recipe frames messages. */
  async count(messages: readonly ChatMessage[], tools: ToolSchema[] | undefined): Promise<number> {
    this.#counter ??= this.#options.countTokens ?? (await loadCounter());
    let total = TOKENS_PER_REPLY;
    for (const message of messages) total += this.#tokens(message);
    if (tools && tools.length > 0) total += this.#cached(tools, () => JSON.stringify(tools));
    return total;
  }

  /** An upper bound of `count` with the o200k tokenizer (a token is at least one byte), without loading it. */
  #byteBound(messages: readonly ChatMessage[], tools: ToolSchema[] | undefined): number {
    let total = TOKENS_PER_REPLY;
    for (const message of messages) total += TOKENS_PER_MESSAGE + this.#byteLength(message, () => messageText(message));
    if (tools && tools.length > 0) total += this.#byteLength(tools, () => JSON.stringify(tools));
    return total;
  }

  #byteLength(key: object, text: () => string): number {
    let bytes = this.#bytes.get(key);
    if (bytes === undefined) {
      bytes = Buffer.byteLength(text());
      this.#bytes.set(key, bytes);
    }
    return bytes;
  }

  #tokens(message: ChatMessage): number {
    return TOKENS_PER_MESSAGE + this.#cached(message, () => messageText(message));
  }

  #cached(key: object, text: () => string): number {
    let tokens = this.#counts.get(key);
    if (tokens === undefined) {
      tokens = (this.#counter ?? (() => 0))(text());
      this.#counts.set(key, tokens);
    }
    return tokens;
  }

  /** Shortens long tool results in `[from, to)`, oldest first, until the prompt is within `target`. */
  async #shorten(messages: ChatMessage[], tools: ToolSchema[] | undefined, turn: number, from: number, to: number, target: number): Promise<number> {
    const before = await this.count(messages, tools);
    let tokens = before;
    for (const position of longToolResults(messages, from, to)) {
      const message = messages[position];
      if (tokens <= target) break;
      if (message?.role !== "tool") continue;
      const shorter = shortenToolResult(message);
      tokens += this.#tokens(shorter) - this.#tokens(message);
      messages[position] = shorter;
    }
    if (tokens !== before) this.#compacted(turn, "truncate_results", before, tokens);
    return tokens;
  }

  /** Has the model summarise the turns before the latest one, and goes on from the summary. */
  async #summarize(messages: ChatMessage[], tools: ToolSchema[] | undefined, turn: number, before: number): Promise<number> {
    if (latestTurnStart(messages) <= 2) return before;
    const { provider, emit, signal } = this.#options;
    const request = summaryRequest(messages, Math.floor(this.#window * TRANSCRIPT_SHARE * BYTES_PER_TOKEN));
    const reply = await queryModel(provider, request, undefined, { emit, signal, turn, purpose: "summary" });
    this.#options.onUsage(reply.usage);
    const text = reply.content.trim() === "" ? "(the model wrote no summary)" : reply.content;
    const summary = truncateMiddle(text, Math.floor(this.#window * SUMMARY_SHARE * BYTES_PER_TOKEN));
    messages.splice(0, messages.length, ...replaceWithSummary(messages, summary));
    const after = await this.count(messages, tools);
    this.#compacted(turn, "summarize", before, after);
    return after;
  }

  #compacted(turn: number, strategy: "truncate_results" | "summarize", before: number, after: number): void {
    this.#options.emit({ type: "context_compacted", turn, strategy, tokens_before: before, tokens_after: after, context_window: this.#window });
  }
}
