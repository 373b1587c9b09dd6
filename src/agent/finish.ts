import { z } from "zod";
import type { ToolSchema } from "../provider/types.ts";

/**
 * The model's explicit way to end a task: done, or blocked with the reason. It touches nothing, so no
 * policy decides it: the loop answers it itself and offers it whatever the policy's `tools` rules say.
 */
export const FINISH_TOOL = "finish";

const finishArgsSchema = z.object({
  // Lenient on purpose: a model that only sends a summary is reporting that it is done.
  status: z.enum(["done", "blocked"]).default("done").describe('"done" when the task is done; "blocked" when you cannot do it.'),
  summary: z
    .string({ error: "expected a one-line summary" })
    .trim()
    .min(1, { error: "expected a one-line summary" })
    .describe("One line: what you changed, or why you could not do the task."),
});

export type FinishArgs = z.output<typeof finishArgsSchema>;

const DESCRIPTION =
  'End the task. Call it alone, once you are done: status "done" with a one-line summary of what you changed; ' +
  'or status "blocked" with the reason in one line when you cannot do the task (the policy refuses what it needs, ' +
  "information is missing, a command it needs cannot run).";

export const finishToolSchema: ToolSchema = (() => {
  const { $schema: _, ...parameters } = z.toJSONSchema(finishArgsSchema, { io: "input" }) as Record<string, unknown>;
  return { type: "function", function: { name: FINISH_TOOL, description: DESCRIPTION, parameters } };
})();

/** The call's arguments, or a message the model can correct. */
export function parseFinish(raw: string): { ok: true; args: FinishArgs } | { ok: false; message: string } {
  let json: unknown;
  try {
    json = raw.trim() === "" ? {} : JSON.parse(raw);
  } catch {
    return { ok: false, message: 'error: the arguments for finish are not valid JSON. Send {"status": "done" or "blocked", "summary": "one line"}.' };
  }
  const parsed = finishArgsSchema.safeParse(json);
  if (parsed.success) return { ok: true, args: parsed.data };
  const issues = parsed.error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message)).join("; ");
  return { ok: false, message: `error: invalid arguments for finish: ${issues}` };
}
