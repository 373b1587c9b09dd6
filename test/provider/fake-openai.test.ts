import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeOpenAI } from "../helpers/fake-openai.ts";
import type { FakeOpenAI, FakeOpenAIOptions, Script, WireMessage } from "../helpers/fake-openai.ts";

let server: FakeOpenAI | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(script: Script, options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  server = await startFakeOpenAI(script, options);
  return server;
}

async function post(url: string, body: object): Promise<{ status: number; json: { [key: string]: unknown } }> {
  const response = await fetch(`${url}/chat/completions`, { method: "POST", body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as { [key: string]: unknown } };
}

function history(first: string, assistantTurns: number): WireMessage[] {
  const messages: WireMessage[] = [{ role: "system", content: "You are a test." }, { role: "user", content: first }];
  for (let i = 0; i < assistantTurns; i++) messages.push({ role: "assistant", content: `turn ${i}` }, { role: "user", content: "more" });
  return messages;
}

describe("fake OpenAI server", () => {
  it("serves conversations by match and turn number, statelessly", async () => {
    const fake = await serve([
      { match: "alpha", turns: [{ content: "a1" }, { content: "a2" }] },
      { match: "beta", turns: [{ content: "b1" }] },
    ]);
    const replies = await Promise.all([
      post(fake.url, { messages: history("task beta", 0) }),
      post(fake.url, { messages: history("task alpha", 1) }),
      post(fake.url, { messages: history("task alpha", 0) }),
    ]);
    const contents = replies.map((reply) => (reply.json.choices as { message: { content: string } }[])[0]?.message.content);
    expect(contents).toEqual(["b1", "a2", "a1"]);
    expect(fake.requests).toHaveLength(3);
  });

  it("matches on the system prompt too", async () => {
    const fake = await serve([{ match: "a test", turns: [{ content: "sys" }] }]);
    expect((await post(fake.url, { messages: history("anything", 0) })).status).toBe(200);
  });

  it("answers 500 naming the first user message when nothing matches or turns run out", async () => {
    const fake = await serve([{ match: "alpha", turns: [{ content: "a1" }] }]);
    const unmatched = await post(fake.url, { messages: history("gamma task", 0) });
    expect(unmatched.status).toBe(500);
    expect(JSON.stringify(unmatched.json)).toContain("gamma task");
    const exhausted = await post(fake.url, { messages: history("alpha task", 1) });
    expect(JSON.stringify(exhausted.json)).toMatch(/has 1 turns.*turn 2.*alpha task/);
  });

  it("rejects a tool message answering an unknown id", async () => {
    const fake = await serve([{ match: "go", turns: [{ content: "x" }, { content: "y" }] }]);
    const messages = [
      { role: "user", content: "go" },
      { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "c2", content: "result" },
    ];
    const reply = await post(fake.url, { messages });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ error: { message: 'tool message answers unknown tool_call_id "c2"', type: "invalid_request_error" } });
  });

  it("accepts a function script and lists no model, serving any", async () => {
    const fake = await serve((request) => ({ content: `got ${request.body.messages?.length} messages` }));
    const reply = await post(fake.url, { model: "anything", messages: history("x", 0) });
    expect(JSON.stringify(reply.json)).toContain("got 2 messages");
    const models = (await (await fetch(`${fake.url}/models`)).json()) as { data: { id: string }[] };
    expect(models.data).toEqual([]);
  });

  it("lists the models it is given and refuses others with 404, as vLLM does, without counting the request", async () => {
    const fake = await serve([{ match: "x", turns: [{ content: "hi" }] }], { models: ["fake-model"] });
    const models = (await (await fetch(`${fake.url}/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((model) => model.id)).toEqual(["fake-model"]);
    const refused = await post(fake.url, { model: "other", messages: history("x", 0) });
    expect(refused).toEqual({ status: 404, json: { error: { message: "The model `other` does not exist.", type: "invalid_request_error" } } });
    expect(fake.requests).toHaveLength(0);
    expect((await post(fake.url, { model: "fake-model", messages: history("x", 0) })).status).toBe(200);
  });

  it("runs as a process that prints its URL and records requests", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fake-openai-"));
    writeFileSync(join(dir, "script.yaml"), "- match: hello\n  turns:\n    - content: hi from yaml\n");
    const child = spawn(process.execPath, ["test/helpers/fake-openai-cli.ts", join(dir, "script.yaml"), join(dir, "requests.jsonl")]);
    try {
      const [line] = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next().then((r) => [r.value as string]);
      const { url } = JSON.parse(line ?? "{}") as { url: string };
      const reply = await post(url, { messages: [{ role: "user", content: "hello" }] });
      expect(JSON.stringify(reply.json)).toContain("hi from yaml");
      expect(readFileSync(join(dir, "requests.jsonl"), "utf8")).toContain('"hello"');
    } finally {
      child.kill("SIGTERM");
    }
  });
});
