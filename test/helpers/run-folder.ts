import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RunSummary } from "../../src/report/types.ts";

export type LoggedEvent = { type: string; [key: string]: unknown };

/** A task's events.jsonl, parsed line by line. */
export function readEvents(outDir: string, taskId: string): LoggedEvent[] {
  return readFileSync(join(outDir, "tasks", taskId, "events.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as LoggedEvent);
}

export function readSummary(outDir: string): RunSummary {
  return JSON.parse(readFileSync(join(outDir, "summary.json"), "utf8")) as RunSummary;
}
