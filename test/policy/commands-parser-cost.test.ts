import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const PARSER = fileURLToPath(new URL("../../src/policy/shell/parser.ts", import.meta.url));

/** Commands whose long words used to send the grammar's lexer to V8's optimising compiler. */
const COMMANDS = [
  "cd /testbed && grep -n abcdefghi a.py",
  "nl -ba astropy/io/ascii/cds.py | sed -n 1,220p",
  "grep -rn 'def _process_fmt_and_precision_and_lookup_table' astropy/ --include=*.py",
  "find . -name '*_test_configuration_loader_regression.py' -not -path './node_modules/*'",
];

/**
 * Parses each command 50 times in a fresh Node that tiers WebAssembly up synchronously (so whatever
 * the lexer costs is spent inside the loop) and prints how much the peak resident memory grew, in MB.
 */
const CHILD = `
const { loadShellParser } = await import(${JSON.stringify(PARSER)});
const parser = await loadShellParser();
const commands = ${JSON.stringify(COMMANDS)};
const before = process.resourceUsage().maxRSS;
let parsed = 0;
for (let round = 0; round < 50; round++) for (const command of commands) if (parser.parse(command).ok) parsed++;
console.log(JSON.stringify({ parsed, growthMb: (process.resourceUsage().maxRSS - before) / 1024 }));
`;

describe("the cost of parsing", () => {
  it("stays flat in memory for commands with long words, however many are parsed", () => {
    const child = spawnSync(process.execPath, ["--wasm-sync-tier-up", "--input-type=module", "--eval", CHILD], { encoding: "utf8" });
    expect(child.status, child.stderr).toBe(0);
    const { parsed, growthMb } = JSON.parse(child.stdout) as { parsed: number; growthMb: number };
    expect(parsed).toBe(COMMANDS.length * 50);
    // Optimising the 160 kB lexer function took about 700 MB; parsing itself needs a few MB at most.
    expect(growthMb).toBeLessThan(64);
  });
});
