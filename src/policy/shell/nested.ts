import type { Collected } from "./collect.ts";
import { FOREIGN_SHELLS, readsCodeFromStdin, SHELLS } from "../programs/interpreters.ts";
import { programName, refuse, type SimpleCommand, shorten, withContext, type Word } from "./types.ts";
import { unwrapLayers } from "./wrappers.ts";

/** Programs that run code this checker cannot see, or that redefine what later words mean. */
const REFUSED_PROGRAMS: Record<string, string> = {
  eval: "`eval` runs a string as shell code, which cannot be checked",
  source: "`source` runs a file as shell code, which cannot be checked",
  ".": "`.` (source) runs a file as shell code, which cannot be checked",
  coproc: "`coproc` starts a background coprocess, which is not supported",
  trap: "`trap` sets shell code to run later, which cannot be checked",
  alias: "`alias` changes what later command names mean",
  enable: "`enable` can load or disable shell builtins",
  fc: "`fc` re-runs commands from the history",
};

/** Builtins that evaluate array subscripts in their operands: `a[$(cmd)]` would run cmd even when quoted. */
const SUBSCRIPT_EVALUATORS = new Set(["[", "[[", "test", "let", "read", "mapfile", "readarray", "unset", "declare", "typeset", "local", "export", "readonly", "printf", "wait", "getopts"]);

const FIND_EXEC = new Set(["-exec", "-execdir", "-ok", "-okdir"]);

/**
 * Adds the commands that other commands run: the script of `bash -c`/`sh -c`… (through wrappers such as
 * `sudo` or `xargs`), and the command of `find -exec`. Refuses eval, source and the like wherever they occur.
 */
export function addNestedCommands(collected: Collected, parseScript: (script: string) => Collected): Collected {
  const commands = [...collected.commands];
  const redirects = [...collected.redirects];
  const fed = new Set(collected.fed);
  /** Where each command came from, e.g. "in the script `a && b`", to explain refusals. */
  const origins = commands.map(() => "");
  const add = (more: SimpleCommand[], origin: string): void => {
    commands.push(...more);
    origins.push(...more.map(() => origin));
  };
  for (let index = 0; index < commands.length; index++) {
    const command = commands[index];
    const origin = origins[index] ?? "";
    if (!command?.program) continue;
    const words = [command.program, ...command.args];
    inContext(origin, () => {
      for (const layer of unwrapLayers(words)) {
        checkProgram(layer);
        const script = shellScript(layer);
        if (script) {
          const context = `in the script \`${shorten(script.value)}\``;
          const nested = withContext(context, () => parseScript(script.value));
          if (fed.has(command)) withContext(context, () => passInput(command, nested.commands, fed));
          nested.fed.forEach((inner) => fed.add(inner));
          add(nested.commands, origin ? `${origin}: ${context}` : context);
          redirects.push(...nested.redirects);
        }
        add(findExecCommands(layer), origin);
      }
    });
  }
  return { commands, redirects, fed };
}

/** A shell given an input passes it to the commands of its script: none may read code from it. */
function passInput(shell: SimpleCommand, commands: SimpleCommand[], fed: Set<SimpleCommand>): void {
  for (const command of commands) {
    if (command.program && readsCodeFromStdin([command.program, ...command.args])) {
      refuse(`\`${shorten(command.source)}\` runs code it reads from the input of \`${shorten(shell.source)}\`, which cannot be checked`);
    }
    fed.add(command);
  }
}

function inContext(origin: string, run: () => void): void {
  if (origin) withContext(origin, run);
  else run();
}

function checkProgram(words: Word[]): void {
  const [program, ...args] = words;
  if (!program?.literal) return;
  const name = programName(program);
  const refused = REFUSED_PROGRAMS[name];
  if (refused) refuse(refused);
  if (SUBSCRIPT_EVALUATORS.has(name) && args.some((arg) => /\[.*[$`]/s.test(arg.value))) {
    refuse(`\`${name}\` evaluates array subscripts, and a subscript with \`$\` or a backtick can run a command`);
  }
}

/** The script word of `bash -c SCRIPT` and friends; refuses a script that is not a literal string. */
function shellScript(words: Word[]): Word | undefined {
  const [program, ...args] = words;
  if (!program?.literal) return undefined;
  const name = programName(program);
  if (!SHELLS.has(name) && !FOREIGN_SHELLS.has(name)) return undefined;
  const script = scriptArgument(args);
  if (!script) return undefined;
  if (FOREIGN_SHELLS.has(name)) refuse(`\`${name}\` runs a script in a syntax this checker does not parse`);
  if (!script.literal) refuse(`\`${name} -c\` runs \`${script.source}\`, which is not a literal string, so its commands cannot be checked`);
  return script;
}

/** Reads shell options (`-c`, `-lc`, `-o name`, `--rcfile f`…) and returns the first operand if `-c` was given. */
function scriptArgument(args: Word[]): Word | undefined {
  let hasCommandOption = false;
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (!word) break;
    if (!word.literal) return hasCommandOption || args.some(isCommandOption) ? word : undefined;
    const text = word.value;
    if (text === "--") return hasCommandOption ? args[i + 1] : undefined;
    if (/^[-+][A-Za-z]*[oO]$/.test(text) || text === "--rcfile" || text === "--init-file") i++;
    if (isCommandOption(word)) hasCommandOption = true;
    else if (!/^[-+]/.test(text)) return hasCommandOption ? word : undefined;
  }
  return undefined;
}

function isCommandOption(word: Word): boolean {
  return word.literal && /^-[A-Za-z]*c[A-Za-z]*$/.test(word.value);
}

/** `find … -exec CMD … ;` runs CMD; find substitutes `{}` anywhere in its words, so such words are not literal. */
function findExecCommands(words: Word[]): SimpleCommand[] {
  const [program] = words;
  if (!program?.literal || programName(program) !== "find") return [];
  const found: SimpleCommand[] = [];
  for (let i = 1; i < words.length; i++) {
    if (!FIND_EXEC.has(words[i]?.value ?? "") || !words[i]?.literal) continue;
    let end = i + 1;
    while (end < words.length && !isExecEnd(words[end])) end++;
    const inner = words.slice(i + 1, end).map((word) => (word.value.includes("{}") ? { ...word, literal: false } : word));
    const [innerProgram, ...innerArgs] = inner;
    if (innerProgram) found.push({ source: inner.map((word) => word.source).join(" "), assignments: [], program: innerProgram, args: innerArgs });
    i = end;
  }
  return found;
}

function isExecEnd(word: Word | undefined): boolean {
  return word?.literal === true && (word.value === ";" || word.value === "+");
}
