import { randomBytes } from "node:crypto";

/** `2026-11-27T14-45-17-123Z-3f9a`: sorts by start time, safe in file names on every platform. */
export function createRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/:/g, "-").replace(".", "-");
  return `${stamp}-${randomBytes(2).toString("hex")}`;
}
