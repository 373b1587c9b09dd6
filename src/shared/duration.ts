import { z } from "zod";
import { UserError } from "./errors.ts";

const MS_PER = { h: 3_600_000, m: 60_000, s: 1_000 } as const;

/** The longest delay a timer takes (2^31 - 1 ms, about 596 hours); a longer one would fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** Numbers with units h, m, s in that order: "90s", "10m", "1h30m", "1.5h". */
const DURATION_PATTERN = /^(?=\d)(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$/;

const EXAMPLES = `"90s", "10m" or "1h30m"`;

/** Parses "10m" into 600000 (milliseconds). A number without a unit is an error. */
export function parseDuration(text: string): number {
  const ms = durationToMs(text);
  if (ms === undefined) {
    throw new UserError(`invalid duration ${JSON.stringify(text)}: expected ${describeDuration(text)}`);
  }
  return ms;
}

/** A zod schema for a duration string; its output is milliseconds, greater than zero. */
export const durationSchema = z
  .string({ error: (issue) => `expected ${describeDuration(issue.input)}` })
  .regex(DURATION_PATTERN, { error: (issue) => `expected ${describeDuration(issue.input)}` })
  .transform((text, context) => {
    const ms = durationToMs(text);
    if (!ms) {
      context.addIssue({ code: "custom", message: "expected a duration greater than zero" });
      return z.NEVER;
    }
    if (ms > MAX_TIMER_MS) {
      context.addIssue({ code: "custom", message: `expected at most 596h (a timer's limit), got ${JSON.stringify(text)}` });
      return z.NEVER;
    }
    return ms;
  })
  .meta({ description: `A duration with a unit (s, m or h), e.g. ${EXAMPLES}.` });

function durationToMs(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const [, hours, minutes, seconds] = match;
  return Math.round(
    Number(hours ?? 0) * MS_PER.h + Number(minutes ?? 0) * MS_PER.m + Number(seconds ?? 0) * MS_PER.s,
  );
}

/** What a valid duration looks like; a bare number gets a hint to add a unit. */
function describeDuration(input: unknown): string {
  const text = String(input).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return `a duration with a unit (s, m or h), e.g. "${text}s"`;
  return `a duration like ${EXAMPLES}`;
}

/** Milliseconds as a duration a task file could hold: 600000 → "10m", 5400000 → "1h30m", 1500 → "1.5s". */
export function formatDurationText(ms: number): string {
  const hours = Math.floor(ms / MS_PER.h);
  const minutes = Math.floor((ms % MS_PER.h) / MS_PER.m);
  const seconds = (ms % MS_PER.m) / MS_PER.s;
  const parts = [hours ? `${hours}h` : "", minutes ? `${minutes}m` : "", seconds || ms === 0 ? `${seconds}s` : ""];
  return parts.join("");
}
