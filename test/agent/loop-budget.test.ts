import { describe, expect, it } from "vitest";
import type { Budget } from "../../src/agent/budget.ts";
import type { AgentEvent } from "../../src/agent/events.ts";
import { runAgent, startConversation, type AgentOptions } from "../../src/agent/loop.ts";
import { statusOf } from "../../src/agent/outcome.ts";
import { builtinPolicy } from "../../src/policy/default.ts";
import type { ChatRequest, ModelTurn, Provider, Usage } from "../../src/provider/types.ts";

/** A budget of `limit` input tokens. */
function tokenBudget(limit: number): Budget & { spent: number } {
  const budget = {
    spent: 0,
    record(usage: Usage) {
      budget.spent += usage.input;
    },
    exhausted: () => (budget.spent >= limit ? `spent ${budget.spent} of ${limit} input tokens` : undefined),
  };
  return budget;
}

describe("the budget and context summaries", () => {
  it("sends no request once a summary made to fit the window has spent the budget", async () => {
    const requests: ChatRequest[] = [];
    const provider: Provider = {
      name: "fake",
      model: "m",
      complete(request): Promise<ModelTurn> {
        requests.push(request);
        // The summary request spends everything; any further request would go past the budget.
        return Promise.resolve({ content: "summary of the work so far", toolCalls: [], finishReason: "stop", usage: { input: 5_000, output: 10, cached: 0, estimated: false } });
      },
    };
    const events: AgentEvent[] = [];
    const options: AgentOptions = {
      provider,
      tools: [],
      policy: builtinPolicy,
      context: { workspace: "/nonexistent", signal: new AbortController().signal, env: {}, isReadable: () => true },
      emit: (event) => events.push(event),
      systemPrompt: "You are a coding agent.",
      userMessage: "x".repeat(20_000),
      maxTurns: 5,
      maxDenials: 5,
      budget: tokenBudget(4_000),
      contextWindow: 4_096,
    };
    const conversation = startConversation(options);
    // A long history, so the first turn must compact (and summarise) before its request.
    for (let i = 0; i < 6; i++) {
      conversation.messages.push({ role: "assistant", content: null, tool_calls: [{ id: `c${i}`, type: "function", function: { name: "read_file", arguments: "{}" } }] });
      conversation.messages.push({ role: "tool", tool_call_id: `c${i}`, content: "y".repeat(3_000) });
    }
    const outcome = await runAgent(options, conversation);
    expect(outcome.stopReason).toBe("budget");
    expect(statusOf(outcome.stopReason)).toBe("limit_exceeded");
    expect(outcome.error).toMatch(/spent 5000 of 4000 input tokens/);
    // The summary went out; the turn's own request did not.
    expect(requests).toHaveLength(1);
    const sent = events.filter((event) => event.type === "model_request");
    expect(sent.map((event) => ("purpose" in event ? event.purpose : undefined))).toEqual(["summary"]);
  });
});
