/**
 * Writes the JSON Schema of every run folder output into schemas/, from the zod schemas that are their
 * single source (src/report/outputs.ts). test/report/schemas.test.ts fails when the files are stale.
 *
 *   node scripts/schemas.ts [DIR]     (default: schemas/ of the repository)
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { jsonSchemaOf, outputSchemas } from "../src/report/outputs.ts";
import type { SchemaName } from "../src/report/schema.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const outDir = process.argv[2] ?? join(root, "schemas");
await mkdir(outDir, { recursive: true });
for (const name of Object.keys(outputSchemas) as SchemaName[]) {
  await writeFile(join(outDir, `${name}.json`), `${JSON.stringify(jsonSchemaOf(name), null, 2)}\n`);
}
