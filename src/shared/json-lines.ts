import { z } from "zod";

// The fields the run folder's outputs carry besides their record. Shared, so that agent/events.ts need not import report/.

/** What a JSON file (or a JSON Lines file's first line) says of itself: the URL of its JSON Schema. */
export const namesSchema = { $schema: z.string().describe("The URL of this file's JSON Schema, as the package of the version that wrote it ships it.") };

/**
 * What every line of a JSON Lines file carries besides its record: when it was written, and on the first
 * line of the file the URL of the JSON Schema of its lines (EventLog writes both).
 */
export const lineSchema = z.object({ ts: z.iso.datetime(), $schema: namesSchema.$schema.optional() });

/**
 * The values of a JSON Lines text with their 1-based line numbers. Blank lines are skipped, and so is a
 * line that is no JSON: the last line of a file a crash cut short.
 */
export function* jsonLines(text: string): Generator<{ line: number; json: unknown }> {
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      continue;
    }
    yield { line: index + 1, json };
  }
}
