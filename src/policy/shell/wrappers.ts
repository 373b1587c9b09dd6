import { splitShellWords } from "./pattern.ts";
import { programName, type Word } from "./types.ts";

/** How a wrapper program finds the command it runs. */
interface WrapperSpec {
  /** Short options that take a value (inline, `-n5`, or as the next word). */
  valueFlags: string;
  /** Short options whose value, if any, is inline only (xargs `-i[R]`). */
  inlineValueFlags?: string;
  longValueFlags?: string[];
  /** `NAME=value` words may come before the command (env, sudo). */
  assignments?: boolean;
  /** Plain words before the command, e.g. the DURATION of `timeout`. */
  operands?: number;
  /** env: `-S STRING` splits STRING into the command's words. */
  splitString?: boolean;
  /** xargs: the command gets more arguments from stdin, and `-I R` substitutes them into words. */
  xargs?: boolean;
}

const WRAPPERS: Record<string, WrapperSpec> = {
  env: { valueFlags: "uCPS", longValueFlags: ["--unset", "--chdir", "--split-string"], assignments: true, splitString: true },
  sudo: {
    valueFlags: "ugCDprtTU",
    longValueFlags: ["--user", "--group", "--close-from", "--chdir", "--prompt", "--role", "--type", "--command-timeout", "--other-user", "--host"],
    assignments: true,
  },
  doas: { valueFlags: "uC" },
  command: { valueFlags: "" },
  builtin: { valueFlags: "" },
  exec: { valueFlags: "a" },
  time: { valueFlags: "fo", longValueFlags: ["--format", "--output"] },
  timeout: { valueFlags: "sk", longValueFlags: ["--signal", "--kill-after"], operands: 1 },
  nice: { valueFlags: "n", longValueFlags: ["--adjustment"] },
  nohup: { valueFlags: "" },
  stdbuf: { valueFlags: "ioe", longValueFlags: ["--input", "--output", "--error"] },
  ionice: { valueFlags: "cnpPu", longValueFlags: ["--class", "--classdata", "--pid", "--pgid", "--uid"] },
  setsid: { valueFlags: "" },
  xargs: {
    valueFlags: "adEILnPs",
    inlineValueFlags: "eil",
    longValueFlags: ["--arg-file", "--delimiter", "--max-args", "--max-procs", "--max-chars", "--process-slot-var"],
    xargs: true,
  },
};

/** More wrappers than this in one command is refused rather than read to the end. */
export const MAX_WRAPPER_LAYERS = 32;

export function isWrapper(word: Word): boolean {
  return word.literal && Object.hasOwn(WRAPPERS, programName(word));
}

/**
 * The command itself, then the command each wrapper runs: `sudo env A=1 nice rm -rf x` gives
 * [sudo …], [env …], [nice …], [rm -rf x]. A wrapper whose options cannot be read statically ends the list
 * with the unreadable word as the (dynamic) program.
 */
export function unwrapLayers(words: Word[]): Word[][] {
  const layers = [words];
  let current = words;
  while (layers.length < MAX_WRAPPER_LAYERS) {
    const program = current[0];
    if (!program || !isWrapper(program)) break;
    const inner = innerCommand(WRAPPERS[programName(program)] ?? { valueFlags: "" }, current);
    if (inner.length === 0) break;
    layers.push(inner);
    current = inner;
  }
  return layers;
}

function innerCommand(spec: WrapperSpec, words: Word[]): Word[] {
  let index = 1;
  let replace: string | null | undefined;
  for (;;) {
    const word = words[index];
    if (!word || !word.literal) break;
    if (word.value === "--") {
      index++;
      break;
    }
    if (spec.assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word.value)) {
      index++;
      continue;
    }
    if (!/^-./.test(word.value)) break;
    const option = readOption(spec, words, index);
    index += option.width;
    if (spec.splitString && (option.flag === "-S" || option.flag === "--split-string")) {
      return splitString(words[0], option.value, words.slice(index));
    }
    if (spec.xargs && (option.flag === "-I" || option.flag === "-i" || option.flag === "--replace")) {
      replace = option.value === undefined && option.flag === "-I" ? null : option.value || "{}";
    }
  }
  index += spec.operands ?? 0;
  const inner = words.slice(index);
  return spec.xargs && inner.length > 0 ? xargsCommand(inner, replace) : inner;
}

interface OptionRead {
  /** Words the option takes, counting itself. */
  width: number;
  /** The value-taking option found, e.g. `-n` or `--signal`. */
  flag?: string;
  /** Its value; undefined when missing or not literal. */
  value?: string;
}

/** Reads one option word: `--name=value`, `--name value`, or a short cluster such as `-n5`, `-oL`, `-0r`. */
function readOption(spec: WrapperSpec, words: Word[], index: number): OptionRead {
  const text = words[index]?.value ?? "";
  const next = words[index + 1];
  const nextValue = next?.literal ? next.value : undefined;
  if (text.startsWith("--")) {
    const equals = text.indexOf("=");
    if (equals !== -1) return { width: 1, flag: text.slice(0, equals), value: text.slice(equals + 1) };
    return spec.longValueFlags?.includes(text) ? { width: 2, flag: text, value: nextValue } : { width: 1, flag: text };
  }
  for (let i = 1; i < text.length; i++) {
    const flag = `-${text[i] ?? ""}`;
    const rest = text.slice(i + 1);
    if (spec.inlineValueFlags?.includes(flag[1] ?? "")) return { width: 1, flag, value: rest };
    if (spec.valueFlags.includes(flag[1] ?? "")) {
      return rest ? { width: 1, flag, value: rest } : { width: 2, flag, value: nextValue };
    }
  }
  return { width: 1 };
}

/** `env -S 'rm -rf x'` splits its string into words; the result is read as `env` again. */
function splitString(program: Word | undefined, value: string | undefined, rest: Word[]): Word[] {
  if (!program) return [];
  if (value === undefined) return [{ value: "<env -S string>", literal: false, source: "<env -S string>" }, ...rest];
  const split = splitShellWords(value).map((part) => ({ value: part.value, literal: !/[$\\]/.test(part.raw), source: part.raw }));
  return [program, ...split, ...rest];
}

/** The words xargs adds from its input, as the command's last (dynamic) word. */
export const XARGS_INPUT = "<arguments from stdin>";

const STDIN_ARGUMENTS: Word = { value: XARGS_INPUT, literal: false, source: XARGS_INPUT };

/** `replace` is the -I string (words containing it get stdin data), null when it is unknown, undefined without -I. */
function xargsCommand(inner: Word[], replace: string | null | undefined): Word[] {
  const substituted = (word: Word): boolean => replace === null || (replace !== undefined && word.value.includes(replace));
  const marked = inner.map((word) => (substituted(word) ? { ...word, literal: false } : word));
  return [...marked, STDIN_ARGUMENTS];
}
