import { describe, expect, it } from "vitest";
import { durationSchema, parseDuration } from "../../src/shared/duration.ts";
import { UserError } from "../../src/shared/errors.ts";

describe("parseDuration", () => {
  it.each([
    ["90s", 90_000],
    ["10m", 600_000],
    ["2h", 7_200_000],
    ["1h30m", 5_400_000],
    ["1m30s", 90_000],
    ["1.5h", 5_400_000],
    ["0s", 0],
  ])("reads %s as %i ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ["600", 'invalid duration "600": expected a duration with a unit (s, m or h), e.g. "600s"'],
    ["10 minutes", 'invalid duration "10 minutes": expected a duration like "90s", "10m" or "1h30m"'],
    ["30m1h", 'invalid duration "30m1h": expected a duration like "90s", "10m" or "1h30m"'],
    ["", 'invalid duration "": expected a duration like "90s", "10m" or "1h30m"'],
    ["-5s", 'invalid duration "-5s": expected a duration like "90s", "10m" or "1h30m"'],
  ])("rejects %j", (text, message) => {
    expect(() => parseDuration(text)).toThrow(new UserError(message));
  });
});

describe("durationSchema", () => {
  it("outputs milliseconds", () => {
    expect(durationSchema.parse("10m")).toBe(600_000);
  });

  it.each([
    [600, 'expected a duration with a unit (s, m or h), e.g. "600s"'],
    ["0m", "expected a duration greater than zero"],
    ["soon", 'expected a duration like "90s", "10m" or "1h30m"'],
  ])("rejects %j", (input, message) => {
    expect(durationSchema.safeParse(input).error?.issues.map((issue) => issue.message)).toEqual([message]);
  });
});
