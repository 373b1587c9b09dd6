import type { Risk, RiskRules } from "./types.ts";

/**
 * Risky options among `args`, read as the program reads them: `--name=value`, shortened long options as its
 * option parser resolves them (`abbreviations`), short clusters (`-ni` is `-n -i`). Stops at `--` unless
 * the rules say otherwise.
 */
export function optionRisks(args: string[], rules: RiskRules): Risk[] {
  const risks: Risk[] = [];
  for (const word of args) {
    if (word === "--" && !rules.readsPastDoubleDash) break;
    const written = word.split("=")[0] ?? word;
    const name = rules.dottedNames && written.startsWith("--") ? (written.split(".")[0] ?? written) : written;
    const why = rules.options[name];
    const direct = why ? { flag: name, why } : abbreviated(name, rules);
    if (direct) risks.push({ flag: direct.flag, word, why: direct.why });
    else if (/^-[^-]/.test(word)) risks.push(...letterRisks(word, rules));
  }
  return risks.map((risk) => (rules.checkedWrites?.includes(risk.flag) ? { ...risk, checked: true } : risk));
}

/**
 * A long option written shorter than a risky one. getopt_long and git take any unique prefix (`--i` for
 * `--in-place`); npm's nopt does the same over its config keys (`--scr` for `--script-shell`). The other
 * options of the program are not all known here, so any prefix counts: a prefix shared with another option
 * makes the program fail, and refusing it costs nothing.
 */
function abbreviated(name: string, rules: RiskRules): { flag: string; why: string } | undefined {
  const mode = rules.abbreviations ?? "getopt";
  if (mode === "exact" || !name.startsWith("--") || name.length < 3 || rules.exact?.includes(name)) return undefined;
  const flag = Object.keys(rules.options).find((option) => option.startsWith("--") && option.startsWith(name));
  return flag ? { flag, why: rules.options[flag] ?? "" } : undefined;
}

function letterRisks(word: string, rules: RiskRules): Risk[] {
  const direct = rules.options[word.slice(0, 2)];
  if (direct) return [{ flag: word.slice(0, 2), word, why: direct }];
  const letters = rules.letters ?? {};
  const risks: Risk[] = [];
  for (const letter of word.slice(1)) {
    const why = letters[letter];
    if (why) risks.push({ flag: `-${letter}`, word, why });
    if (why || rules.valueLetters?.includes(letter)) break;
  }
  return risks;
}
