import { optionRisks } from "./risks.ts";
import type { ProgramFamily } from "./types.ts";
import { programName, type Word } from "../shell/types.ts";
import { unwrapLayers } from "../shell/wrappers.ts";

export const SHELLS = new Set(["sh", "bash", "zsh", "dash", "ksh", "mksh", "ash"]);
/** Shells whose syntax differs too much from bash for their `-c` scripts to be checked with a bash parser. */
export const FOREIGN_SHELLS = new Set(["fish", "csh", "tcsh", "nu", "pwsh", "powershell", "xonsh", "elvish"]);

/** For each interpreter family, the options after which the code comes from an argument rather than stdin. */
const CODE_OPTION: [RegExp, RegExp][] = [
  [/^(sh|bash|zsh|dash|ksh|mksh|ash|fish|csh|tcsh)$/, /^-[A-Za-z]*c/],
  [/^python[0-9.]*$/, /^-[A-Za-z]*[cm]/],
  [/^(node|nodejs|deno|bun)$/, /^(-e|-p|--eval|--print)/],
  [/^(perl|ruby)$/, /^-[A-Za-z]*[eE]/],
  [/^php$/, /^-r/],
  [/^(lua|luajit|Rscript|osascript|tclsh|pwsh|powershell)$/, /^-(e|c|Command)/],
];

const STDIN_OPERANDS = new Set(["-", "-s", "/dev/stdin", "/dev/fd/0"]);

function codeOption(name: string): RegExp | undefined {
  return CODE_OPTION.find(([family]) => family.test(name))?.[1];
}

/**
 * True when the command (or the command a wrapper runs) is an interpreter that would read its program from
 * stdin: `sh`, `bash -s`, `python3 -`, `node` with only options.
 */
export function readsCodeFromStdin(words: Word[]): boolean {
  return unwrapLayers(words).some(interpreterReadsStdin);
}

/** Editors whose commands (`!cmd` runs a shell command) come from their input, whatever file they edit. */
const EDITORS = new Set(["ed", "red", "ex", "vi", "vim", "nvim", "view"]);

function interpreterReadsStdin(words: Word[]): boolean {
  const [program, ...args] = words;
  const name = program?.literal ? programName(program) : "";
  if (EDITORS.has(name)) return true;
  // sqlite3 runs the SQL given after the database; without it, it reads SQL and dot-commands (`.shell`) from its input.
  if (name === "sqlite3") return args.filter((arg) => !arg.literal || !arg.value.startsWith("-")).length < 2;
  const option = program?.literal ? codeOption(name) : undefined;
  if (!option) return false;
  for (const arg of args) {
    if (!arg.literal || STDIN_OPERANDS.has(arg.value)) return true;
    if (!arg.value.startsWith("-")) return false;
    if (option.test(arg.value)) return false;
  }
  return true;
}

const LOADS_CODE = "loads a module before the program, which runs any code it holds";

/**
 * Node and the runners built on it read `-r`/`--require`, `--import` and `--loader` exactly (no
 * abbreviation); any program's `--require`, `--import`, `--loader` are in any.ts.
 */
export const node: ProgramFamily = {
  names: ["node", "nodejs", "ts-node", "tsx", "bun", "deno"],
  risks: (args) =>
    optionRisks(args.slice(0, firstOperand(args)), {
      options: { "-r": LOADS_CODE, "--require": LOADS_CODE, "--import": LOADS_CODE, "--loader": LOADS_CODE, "--experimental-loader": LOADS_CODE, "--preload": LOADS_CODE },
      abbreviations: "exact",
    }),
};

/** Node's own options end at the script: what follows belongs to the script. */
function firstOperand(args: string[]): number {
  const index = args.findIndex((arg) => !arg.startsWith("-"));
  return index === -1 ? args.length : index;
}
