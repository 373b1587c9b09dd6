import { familyOf } from "./programs/index.ts";
import { unwrapLayers } from "./shell/wrappers.ts";
import { programName, type Word } from "./shell/types.ts";
import type { Decision, ResolvedAccess } from "./types.ts";

/** Programs `xargs` may run on names from its input: they print their arguments and touch no file. */
const XARGS_HARMLESS = new Set(["echo", "printf", "true", "false"]);

/**
 * Wrappers whose command gets words nobody can check: `xargs` hands the command names read from its input
 * (`ls -a | xargs cat` prints .env), and `env -S STRING` splits and expands (`${VAR}`) its string itself.
 * Refused after the deny and allow rules, so a deny rule still names itself in the reason.
 */
export function refusedWrapper(access: Extract<ResolvedAccess, { kind: "command" }>): Decision | undefined {
  if (!access.parsed.ok) return undefined;
  for (const command of access.parsed.commands) {
    if (!command.program) continue;
    const layers = unwrapLayers([command.program, ...command.args]);
    for (const [index, [program, ...args]] of layers.entries()) {
      if (!program?.literal) continue;
      const name = programName(program);
      if (name === "xargs") {
        const inner = layers[index + 1]?.[0];
        if (inner === undefined || (inner.literal && XARGS_HARMLESS.has(programName(inner)))) continue;
        // A program that only reads counts as reading every file instead (decide.ts, unreadableNames).
        if (inner.literal && familyOf(programName(inner))?.onlyReads) continue;
        return refusal(access.command, command.source, "gives its command file names read from its input, which cannot be checked; name the files in the command, or list them first and run the command on them", "commands.xargs");
      }
      if (name === "env" && splitsString(args)) {
        return refusal(access.command, command.source, "splits its `-S` string into words and expands `${VAR}` in it itself, which cannot be checked; run the command without env -S", "commands.wrapper");
      }
    }
  }
  return undefined;
}

/** `env -S STRING`, `-iS…`, `--split-string`, `--sp…` among env's options (which end at the first operand). */
function splitsString(args: Word[]): boolean {
  for (const word of args) {
    if (!word.literal) return false;
    const text = word.value;
    if (text === "--" || !text.startsWith("-")) return false;
    if (/^--sp/.test(text)) return true;
    if (/^-[^-]/.test(text)) {
      // Letters up to the first that takes a value (u, C, P, S): only S splits.
      const letters = /^-([^uCPS]*)([uCPS])?/.exec(text);
      if (letters?.[2] === "S") return true;
    }
  }
  return false;
}

function refusal(line: string, command: string, why: string, rule: string): Decision {
  const clip = (text: string) => (text.length > 200 ? `${text.slice(0, 197)}...` : text);
  const prefix = line.trim() === command ? "" : `run \`${clip(line)}\`: `;
  return { decision: "deny", reason: `${prefix}\`${clip(command)}\` ${why}`, rule };
}
