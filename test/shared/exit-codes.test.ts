import { describe, expect, it } from "vitest";
import { endingOfError, EXIT_CODES, outcomeOf, type Ending } from "../../src/shared/exit-codes.ts";
import { ProviderUnavailable, UserError, UserErrors } from "../../src/shared/errors.ts";
import { Outcome, worseOutcome } from "../../src/shared/outcome.ts";

describe("the exit code table", () => {
  it("gives each ending its documented code", () => {
    expect(EXIT_CODES).toEqual({ succeeded: 0, failed: 1, internal_error: 1, invalid_input: 2, infrastructure: 3, interrupted: 130 });
  });

  it.each<[string, unknown, Ending]>([
    ["a mistake in the input", new UserError("tasks/a.yaml:1:1: bad", "E_TASK_INVALID"), "invalid_input"],
    ["several mistakes at once", new UserErrors([new UserError("a"), new UserError("b", "E_POLICY")]), "invalid_input"],
    ["a provider that cannot be used", new ProviderUnavailable("provider check: …", "E_PROVIDER_UNREACHABLE"), "infrastructure"],
    ["citty's usage error", Object.assign(new Error("Unknown command frob"), { name: "CLIError" }), "invalid_input"],
    ["anything else", new TypeError("x is undefined"), "internal_error"],
    ["a thrown string", "boom", "internal_error"],
  ])("maps %s to its ending", (_case, error, ending) => {
    expect(endingOfError(error)).toBe(ending);
  });

  it("takes a command's returned outcome, nothing as success, and refuses anything else", () => {
    for (const outcome of Outcome.options) expect(outcomeOf(outcome)).toBe(outcome);
    expect(outcomeOf(undefined)).toBe("succeeded");
    expect(() => outcomeOf(1)).toThrow("a command returned 1, not one of succeeded, failed, infrastructure, interrupted");
  });
});

describe("combining outcomes", () => {
  it.each<[Outcome, Outcome, Outcome]>([
    ["succeeded", "failed", "failed"],
    ["failed", "infrastructure", "infrastructure"],
    ["infrastructure", "failed", "infrastructure"],
    ["interrupted", "infrastructure", "interrupted"],
    ["succeeded", "succeeded", "succeeded"],
  ])("%s and %s report %s", (a, b, worse) => {
    expect(worseOutcome(a, b)).toBe(worse);
  });
});
