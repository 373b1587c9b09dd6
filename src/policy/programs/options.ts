/**
 * Options that take a value, per program (short letters, long names), so the value is not read as a path;
 * `flags`: long options without a value that matter here, so their abbreviations are read as the program
 * reads them (`--rec` is `--recursive`).
 */
export interface OptionSpec {
  short: string;
  long: string[];
  flags?: string[];
  /** Short options whose value is optional and only the rest of the cluster (`sed -i.bak`, `-ie` is suffix `e`). */
  optionalShort?: string;
}

export const NO_VALUES: OptionSpec = { short: "", long: [] };

export function get(values: Map<string, string[]>, ...names: string[]): string[] {
  return names.flatMap((name) => values.get(name) ?? []);
}

/**
 * An operand, the value of a `--opt=value` word, or a value glued to a short option: which letters take a
 * value is not known for every program, so every tail of a short cluster is a candidate (`-F.env` gives
 * `.env`, `-nF.env` gives `F.env` and `.env`). `--exclude=GLOB` and the like are patterns.
 */
export function readCandidates(word: string): string[] {
  if (word === "" || word === "-") return [];
  if (!word.startsWith("-")) return [word];
  if (/^--(exclude|include|ignore)/.test(word)) return [];
  const value = /^--?[^=]+=(.+)$/.exec(word)?.[1];
  if (value) return [value];
  if (word.startsWith("--") || word.length < 3) return [];
  const tails: string[] = [];
  for (let at = 2; at < word.length && tails.length < 16; at++) tails.push(word.slice(at).replace(/^=/, ""));
  return tails.filter((tail) => tail !== "");
}

export interface Split {
  operands: string[];
  /** Values of options that take one, by option letter or full long name. */
  values: Map<string, string[]>;
  /** Options given without a value, by letter or full long name. */
  flags: Set<string>;
  /** Every value given, in order, with its option's letter or long name. */
  ordered: { name: string; value: string }[];
}

/**
 * Operands and options, as getopt reads them: short options grouped (`-rt DIR`, `-tDIR`), long options
 * abbreviated (`--rec`, `--target=DIR`), `--` ending the options.
 */
export function split(words: string[], spec: OptionSpec): Split {
  const result: Split = { operands: [], values: new Map(), flags: new Set(), ordered: [] };
  const give = (name: string, value: string) => {
    result.values.set(name, [...(result.values.get(name) ?? []), value]);
    result.ordered.push({ name, value });
  };
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? "";
    if (word === "--") {
      result.operands.push(...words.slice(i + 1));
      break;
    }
    if (word.startsWith("--")) {
      const [written = "", attached] = word.slice(2).split(/=(.*)/s);
      const name = longOption(written, spec);
      if (attached !== undefined) give(name, attached);
      else if (spec.long.includes(name)) give(name, words[++i] ?? "");
      else result.flags.add(name);
    } else if (word.startsWith("-") && word.length > 1) {
      for (let at = 1; at < word.length; at++) {
        const letter = word[at] ?? "";
        if (spec.optionalShort?.includes(letter)) {
          if (at + 1 < word.length) give(letter, word.slice(at + 1));
          else result.flags.add(letter);
          break;
        }
        if (!spec.short.includes(letter)) {
          result.flags.add(letter);
          continue;
        }
        give(letter, at + 1 < word.length ? word.slice(at + 1) : (words[++i] ?? ""));
        break;
      }
    } else result.operands.push(word);
  }
  return result;
}

/**
 * A long option as getopt reads it: exact, else the one option it abbreviates. An ambiguous abbreviation
 * makes the program fail; it is kept as written, or read as a value option when one matches (closed).
 */
function longOption(written: string, spec: OptionSpec): string {
  const known = [...spec.long, ...(spec.flags ?? [])];
  if (known.includes(written)) return written;
  const candidates = known.filter((long) => written.length > 0 && long.startsWith(written));
  if (candidates.length === 1) return candidates[0] ?? written;
  return candidates.find((long) => spec.long.includes(long)) ?? written;
}

export function optionValues(words: string[], letter: string, long: string): string[] {
  const { values } = split(words, { short: letter, long: [long] });
  return [...(values.get(letter) ?? []), ...(values.get(long) ?? [])];
}

/**
 * grep, sed, awk…: the first operand is a pattern or a script unless one is given with -e/-f (or their long
 * names); the rest are files, read, as are the files of -f.
 */
export function patternOperands(call: { paths: { reads: string[] }; words: string[] }, spec: OptionSpec): { files: string[]; split: Split } {
  const options = split(call.words, spec);
  const { operands, values, flags } = options;
  const given = values.has("e") || values.has("f") || values.has("regexp") || values.has("file") || values.has("expression") || flags.has("files");
  const files = given ? operands : operands.slice(1);
  call.paths.reads.push(...files, ...(values.get("f") ?? []), ...(values.get("file") ?? []));
  return { files, split: options };
}
