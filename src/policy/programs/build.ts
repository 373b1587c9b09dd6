import { optionRisks } from "./risks.ts";
import type { ProgramFamily } from "./types.ts";

/** Compilers, linters and test runners whose short options write a file or load code. */

export const compilers: ProgramFamily = {
  names: ["cc", "gcc", "g++", "c++", "clang", "clang++", "go", "rustc", "iconv"],
  outputs: { short: { o: "file" } },
};

export const eslint: ProgramFamily = { names: ["eslint"], outputs: { short: { o: "file" } } };

export const mocha: ProgramFamily = {
  names: ["mocha"],
  // `-r` is mocha's `--require` (any.ts reads the long form for every program).
  risks: (args) => optionRisks(args, { options: { "-r": "loads a module before the tests, which runs any code it holds" }, readsPastDoubleDash: true }),
  outputs: { reporterShort: "O" },
};

export const make: ProgramFamily = { names: ["make"], outputs: { movesBase: "C" } };
