import { z } from "zod";
import { durationSchema } from "../shared/duration.ts";

const DEFAULT_CHECK_TIMEOUT = "10m";
const NON_EMPTY_STRING = "expected a non-empty string";

const commandSchema = z.string({ error: NON_EMPTY_STRING }).trim().min(1, { error: NON_EMPTY_STRING });

const namedCheckSchema = z.strictObject({
  name: commandSchema.optional().describe("Shown in reports and in the message to the model. Default: the command."),
  run: commandSchema.describe("Shell command (bash -c), run in the task's workspace."),
  timeout: durationSchema.prefault(DEFAULT_CHECK_TIMEOUT).describe("The check fails when it runs longer, e.g. 90s, 5m."),
});

/** A command that must pass once the agent finishes: a bare command, or `{name, run, timeout}`. */
export const checkSchema = z
  .union([commandSchema, namedCheckSchema], { error: describeUnionIssue })
  .transform((check) => {
    if (typeof check === "string") return { name: check, run: check, timeout_ms: durationSchema.parse(DEFAULT_CHECK_TIMEOUT) };
    return { name: check.name ?? check.run, run: check.run, timeout_ms: check.timeout };
  });

export type Check = z.output<typeof checkSchema>;

/** Neither form: a number, a list. (An object's own mistakes are reported inside it, at their keys.) */
function describeUnionIssue(issue: z.core.$ZodRawIssue): string | undefined {
  return issue.code === "invalid_union" ? "expected a command, or {name, run, timeout}" : undefined;
}
