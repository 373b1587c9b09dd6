/**
 * Tasks with an output schema, run by the CLI against a server of each wire dialect, each dialect's
 * server configured with the structured-output field it takes. The fake answers schema-valid JSON only
 * when the request carries that field (or when none is configured), as constrained decoding would.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { DIALECTS, startFakeOpenAI, type FakeOpenAI, type RecordedRequest, type Turn } from "../helpers/fake-openai.ts";
import { createRepo, removeDir } from "../helpers/repo.ts";
import { readEvents, readSummary } from "../helpers/run-folder.ts";

/** The structured-output setting each dialect's server gets, and the body field it makes the request carry. */
const FIELD_OF: Record<string, { setting: string; field: string | undefined }> = {
  openai: { setting: "response_format", field: "response_format" },
  // Ollama's /v1 turns response_format into its own `format`.
  ollama: { setting: "response_format", field: "response_format" },
  llamacpp: { setting: "json_schema", field: "json_schema" },
  vllm: { setting: "guided_json", field: "guided_json" },
  openrouter: { setting: "response_format", field: "response_format" },
  lmstudio: { setting: "response_format", field: "response_format" },
  // A server without constrained decoding: the schema in the instructions, the answer checked locally.
  "no usage": { setting: "none", field: undefined },
};

const TRIAGE_SCHEMA = {
  type: "object",
  properties: { severity: { enum: ["low", "high"] }, files: { type: "array", items: { type: "string" } } },
  required: ["severity", "files"],
  additionalProperties: false,
};
const TRIAGE = { severity: "high", files: ["src/math.js"] };

/** The three tasks, given to one dialect's provider: ids end in the provider's name, e.g. `triage-vllm`. */
function taskFiles(provider: string): Record<string, string> {
  const head = (id: string) => `id: ${id}-${provider}\nprovider: ${provider}\n`;
  return {
    [`tasks/${provider}/triage.yaml`]: `${head("triage")}prompt: Triage src/math.js.\nexpect: none\noutput: ../../schemas/triage.json\n`,
    [`tasks/${provider}/count.yaml`]: `${head("count")}prompt: Count the exports.\nexpect: none\noutput:\n  type: object\n  properties: {count: {type: integer}}\n  required: [count]\n`,
    [`tasks/${provider}/never.yaml`]: `${head("never")}prompt: List the names.\nexpect: none\noutput:\n  schema: {type: array, items: {type: string}}\n  max_corrections: 1\n`,
  };
}

/** Per task: the answers given in order, the last repeated; `constrained` answers only when the field is there. */
const ANSWERS: Record<string, { match: string; answers: string[] }> = {
  triage: { match: "Triage src/math.js", answers: [JSON.stringify(TRIAGE)] },
  count: { match: "Count the exports", answers: ['{"count": "three"}', "Sure:\n```json\n{\"count\": 1}\n```"] },
  never: { match: "List the names", answers: ["I could not decide on the names."] },
};

function script(name: string, field: string | undefined): (request: RecordedRequest) => Turn {
  const dialect = DIALECTS[name];
  if (!dialect) throw new Error(`no dialect ${name}`);
  return (request) => {
    const messages = request.body.messages ?? [];
    const first = String(messages.find((message) => message.role === "user")?.content ?? "");
    const entry = Object.values(ANSWERS).find((each) => first.includes(each.match));
    if (!entry) throw new Error(`no task for ${first}`);
    const index = messages.filter((message) => message.role === "assistant").length;
    if (index === 0) return dialect({ tool_calls: [{ name: "finish", arguments: { status: "done", summary: "Looked." } }] }, 0);
    const asked = field === undefined || request.body[field] !== undefined;
    const answer = asked ? (entry.answers[index - 1] ?? entry.answers.at(-1) ?? "") : "no field, no JSON";
    return dialect({ content: answer }, index);
  };
}

interface DialectRun {
  server: FakeOpenAI;
  /** The provider of this dialect's server in agents.config.json, and the end of its tasks' ids. */
  provider: string;
}

const runs = new Map<string, DialectRun>();
const scratch = mkdtempSync(join(tmpdir(), "nanocoder-test-output-"));
const out = join(scratch, "out");
let repo: string;
let result: CliResult;

// One batch for every dialect: agents.config.json names one provider per dialect's server (openai first, the
// default for `run`), and each provider gets the three tasks.
beforeAll(async () => {
  await Promise.all(Object.entries(FIELD_OF).map(async ([name, { field }]) => {
    runs.set(name, { server: await startFakeOpenAI(script(name, field)), provider: name.replace(/\W/g, "-") });
  }));
  const providers = Object.entries(FIELD_OF).map(([name, { setting }]) => ({ name: runOf(name).provider, baseUrl: runOf(name).server.url, models: ["m"], structuredOutput: setting }));
  repo = createRepo({
    "src/math.js": "export const add = (a, b) => a - b;\n",
    "schemas/triage.json": `${JSON.stringify(TRIAGE_SCHEMA, null, 2)}\n`,
    ...Object.assign({}, ...providers.map(({ name }) => taskFiles(name))),
    "agents.config.json": JSON.stringify({ providers }),
  });
  result = await runCli(["batch", "tasks/*/*.yaml", "--out", out], { cwd: repo });
}, 60_000);

afterAll(async () => {
  for (const run of runs.values()) await run.server.close();
  removeDir(repo);
  removeDir(scratch);
});

const dialects = Object.keys(FIELD_OF);
const runOf = (name: string): DialectRun => {
  const run = runs.get(name);
  if (!run) throw new Error(`no run for dialect ${name}`);
  return run;
};
const idOf = (name: string, task: string) => `${task}-${runOf(name).provider}`;
const taskOf = (name: string, task: string) => readSummary(out).tasks.find((each) => each.id === idOf(name, task));
const answerRequests = (name: string, match: string) =>
  runOf(name).server.requests.filter((request) => {
    const messages = request.body.messages ?? [];
    return String(messages.find((message) => message.role === "user")?.content ?? "").includes(match) && messages.some((message) => message.role === "assistant");
  });

describe("a structured answer in each wire dialect", () => {
  it.each(dialects)("%s: the answer is schema-valid in output.json, result.json and summary.json", (name) => {
    // Exit 1: the `never` tasks fail.
    expect(result.code, result.stderr).toBe(1);
    const triage = idOf(name, "triage");
    const count = idOf(name, "count");
    expect(taskOf(name, "triage")).toMatchObject({ status: "succeeded", stop_reason: "completed", output: TRIAGE, output_file: `tasks/${triage}/output.json`, turns: 2 });
    expect(JSON.parse(readFileSync(join(out, "tasks", triage, "output.json"), "utf8"))).toEqual(TRIAGE);
    expect(JSON.parse(readFileSync(join(out, "tasks", triage, "result.json"), "utf8"))).toMatchObject({ output: TRIAGE });
    const report = readFileSync(join(out, "report.md"), "utf8");
    const outputs = report.slice(report.indexOf("## Outputs\n\n"));
    expect(outputs.split("\n")).toContain(`- **${count}**: \`{"count":1}\` (\`tasks/${count}/output.json\`)`);
    expect(outputs.split("\n")).toContain(`- **${triage}**: \`${JSON.stringify(TRIAGE)}\` (\`tasks/${triage}/output.json\`)`);
    expect(report).toContain("## Outputs\n\n- **count-");
  });

  it.each(dialects)("%s: the answer request carries the dialect's field, the schema and no tools", (name) => {
    const { field } = FIELD_OF[name] ?? {};
    const [request] = answerRequests(name, "Triage src/math.js");
    expect(request?.body.tools).toBeUndefined();
    const last = request?.body.messages?.at(-1);
    expect(last?.role).toBe("user");
    expect(String(last?.content)).toContain(JSON.stringify(TRIAGE_SCHEMA));
    for (const other of ["response_format", "json_schema", "guided_json"]) {
      if (other !== field) expect(request?.body[other]).toBeUndefined();
    }
    if (field === "response_format") {
      // The triage schema closes every object and requires every property: strict mode can take it as written.
      expect(request?.body.response_format).toEqual({ type: "json_schema", json_schema: { name: "output", schema: TRIAGE_SCHEMA, strict: true } });
    } else if (field !== undefined) {
      expect(request?.body[field]).toEqual(TRIAGE_SCHEMA);
    }
  });

  it.each(dialects)("%s: an invalid answer goes back with the errors and is corrected", (name) => {
    expect(taskOf(name, "count")).toMatchObject({ status: "succeeded", output: { count: 1 }, turns: 3 });
    const [, second] = answerRequests(name, "Count the exports");
    expect(String(second?.body.messages?.at(-1)?.content)).toContain("- /count: must be integer");
    if (FIELD_OF[name]?.field === "response_format") {
      // `count` is not closed (no additionalProperties: false): not strict, the schema sent as written.
      expect(second?.body.response_format).toMatchObject({ json_schema: { name: "output" } });
      expect(second?.body.response_format).not.toHaveProperty("json_schema.strict");
    }
    const invalid = readEvents(out, idOf(name, "count")).filter((event) => event.type === "output_invalid");
    expect(invalid).toEqual([expect.objectContaining({ errors: ["/count: must be integer"], corrections_left: 2 })]);
  });

  it.each(dialects)("%s: an answer never valid ends the task output_invalid, with no output.json", (name) => {
    expect(taskOf(name, "never")).toMatchObject({
      status: "failed",
      stop_reason: "output_invalid",
      error: expect.stringMatching(/^the answer is not valid against the output schema after 2 tries: the reply is not valid JSON/),
    });
    expect(taskOf(name, "never")).not.toHaveProperty("output");
    expect(existsSync(join(out, "tasks", idOf(name, "never"), "output.json"))).toBe(false);
    expect(answerRequests(name, "List the names")).toHaveLength(2);
  });
});

describe("nanocoder run --output-schema", () => {
  it("asks for the answer against the file's schema and prints it", async () => {
    const runOut = join(scratch, "run-output-schema");
    const ran = await runCli(["run", "--expect", "none", "--output-schema", "schemas/triage.json", "--out", runOut, "Triage src/math.js."], { cwd: repo });
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toContain(`\n${JSON.stringify(TRIAGE, null, 2)}\n`);
    expect(JSON.parse(readFileSync(join(runOut, "tasks", "run", "output.json"), "utf8"))).toEqual(TRIAGE);
  });

  it("names a schema file that is not there", async () => {
    const refused = await runCli(["run", "--output-schema", "nope.json", "Triage src/math.js."], { cwd: repo });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("nope.json: file not found");
  });
});
