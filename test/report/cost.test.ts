import { describe, expect, it } from "vitest";
import { buildCostReport, renderCostCsv, renderCostSection } from "../../src/report/cost.ts";
import type { TaskResult } from "../../src/report/types.ts";
import { decimalUsd, sumUsd } from "../../src/shared/money.ts";

function result(id: string, model: string, cost: number | null, tokens = { input: 1000, output: 100, cached: 200, estimated: false }): TaskResult {
  return {
    id,
    status: "succeeded",
    stop_reason: "completed",
    expect: "changes",
    provider: "router",
    model,
    turns: 1,
    requests: 2,
    tokens,
    cost_usd: cost,
    denied_calls: [],
    duration_ms: 1,
    denials: 0,
    attempts: 1,
    checks: [],
    files_changed: [],
    patch: `tasks/${id}/patch.diff`,
  };
}

/** Parses RFC 4180 text: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") row.push(field), (field = "");
    else if (char === "\r" && text[i + 1] === "\n") row.push(field), rows.push(row), (row = []), (field = ""), i++;
    else field += char;
  }
  return rows;
}

describe("money", () => {
  it("adds amounts exactly, where floating point does not", () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sumUsd([0.1, 0.2])).toBe(0.3);
    expect(sumUsd([0.1, null])).toBeNull();
  });

  it("writes plain decimals, never exponents", () => {
    expect(decimalUsd(5e-7)).toBe("0.0000005");
    expect(decimalUsd(1.25)).toBe("1.25");
    expect(decimalUsd(3)).toBe("3");
    expect(decimalUsd(0)).toBe("0");
  });
});

describe("buildCostReport", () => {
  const tasks = [result("a", "m1", 0.1), result("b", "m2", 0.2), result("c", "m1", 0.0000007), result("d", "m1", 0.3)];
  const report = buildCostReport({ run_id: "r", tasks });

  it("has a line per task and per model, and totals that are exactly the sums of the lines", () => {
    expect(report.tasks.map((task) => [task.task, task.model, task.cost_usd])).toEqual([["a", "m1", 0.1], ["b", "m2", 0.2], ["c", "m1", 0.0000007], ["d", "m1", 0.3]]);
    expect(report.models.map((model) => [model.model, model.tasks, model.requests, model.cost_usd])).toEqual([["m1", 3, 6, 0.4000007], ["m2", 1, 2, 0.2]]);
    expect(report.totals).toEqual({
      requests: 8,
      input_tokens: 4000,
      cached_input_tokens: 800,
      output_tokens: 400,
      tokens_estimated: false,
      cost_usd: 0.6000007,
      priced_cost_usd: 0.6000007,
    });
    expect(report.unpriced_models).toEqual([]);
  });

  it("keeps an unknown price unknown, names the model, and still adds up the known costs", () => {
    const partial = buildCostReport({ run_id: "r", tasks: [result("a", "m1", 0.25), result("b", "mystery", null)] });
    expect(partial.totals.cost_usd).toBeNull();
    expect(partial.totals.priced_cost_usd).toBe(0.25);
    expect(partial.models.map((model) => model.cost_usd)).toEqual([0.25, null]);
    expect(partial.unpriced_models).toEqual(["router/mystery"]);
    const section = renderCostSection(partial).join("\n");
    expect(section).toContain("| router/mystery | 1 | 2 | 1000 | 200 | 100 | unknown |");
    expect(section).toContain("| **total** | 2 | 4 | 2000 | 400 | 200 | unknown |");
    expect(section).toContain("no price for `router/mystery`");
    expect(section).toContain("Known costs add up to $0.25.");
  });
});

describe("renderCostCsv", () => {
  it("writes a header and one row per task, quoting only what must be quoted, with CRLF line ends", () => {
    const tricky = { ...result("x", 'model "7b", v2', null), provider: "a\nb" };
    const csv = renderCostCsv(buildCostReport({ run_id: "r", tasks: [result("a", "m1", 0.0000005), tricky] }));
    expect(csv.split("\r\n")[0]).toBe("task,provider,model,requests,input_tokens,cached_input_tokens,output_tokens,tokens_estimated,cost_usd");
    expect(csv.split("\r\n")[1]).toBe("a,router,m1,2,1000,200,100,false,0.0000005");
    expect(csv).toContain('x,"a\nb","model ""7b"", v2",2,1000,200,100,false,\r\n');
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(parseCsv(csv)[2]).toEqual(["x", "a\nb", 'model "7b", v2', "2", "1000", "200", "100", "false", ""]);
  });

  it("has rows that agree with cost.json", () => {
    const report = buildCostReport({ run_id: "r", tasks: [result("a", "m1", 1.23456789), result("b", "m2", 0.1)] });
    const [header, ...rows] = parseCsv(renderCostCsv(report));
    expect(rows.map((row) => Object.fromEntries(row.map((value, i) => [header?.[i], value])))).toEqual(
      report.tasks.map((task) => ({
        task: task.task,
        provider: task.provider,
        model: task.model,
        requests: String(task.requests),
        input_tokens: String(task.input_tokens),
        cached_input_tokens: String(task.cached_input_tokens),
        output_tokens: String(task.output_tokens),
        tokens_estimated: String(task.tokens_estimated),
        cost_usd: String(task.cost_usd),
      })),
    );
  });
});
