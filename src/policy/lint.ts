import { matchWords, parsePattern, type PatternWord } from "./shell/pattern.ts";
import { riskyArgs } from "./programs/index.ts";
import { literalWord } from "./shell/types.ts";
import { isWrapper, unwrapLayers } from "./shell/wrappers.ts";

/** Interpreters that read a program from standard input when given no script or code option. */
const BARE_INTERPRETERS = ["sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "csh", "tcsh", "python", "python2", "python3", "node", "nodejs", "deno", "bun", "perl", "ruby", "php", "lua", "luajit", "tclsh", "Rscript", "pwsh", "osascript"];

/** Commands that run code of the caller's choosing; an allow pattern matching one hands out arbitrary execution. */
const PROBES: [string, string][] = [
  ["sh -c CODE", "a shell runs any command"],
  ["bash -c CODE", "a shell runs any command"],
  ["zsh -c CODE", "a shell runs any command"],
  ["dash -c CODE", "a shell runs any command"],
  ["ksh -c CODE", "a shell runs any command"],
  ["bash ./script.sh", "a shell runs any script the agent wrote"],
  ["sh ./script.sh", "a shell runs any script the agent wrote"],
  ["eval CODE", "eval runs any shell code"],
  ["source ./script.sh", "source runs any shell code"],
  ["exec rm -rf /", "exec runs any command"],
  ["python -c CODE", "an interpreter runs any code"],
  ["python3 -c CODE", "an interpreter runs any code"],
  ["python3 ./script.py", "an interpreter runs any script the agent wrote"],
  ["node -e CODE", "an interpreter runs any code"],
  ["node --eval CODE", "an interpreter runs any code"],
  ["node -p CODE", "an interpreter runs any code"],
  ["node ./script.js", "an interpreter runs any script the agent wrote"],
  ["perl -e CODE", "an interpreter runs any code"],
  ["ruby -e CODE", "an interpreter runs any code"],
  ["php -r CODE", "an interpreter runs any code"],
  ["awk BEGIN{system(CODE)}", "awk programs can run any command"],
  ["env rm -rf /", "env runs any command"],
  ["sudo rm -rf /", "sudo runs any command"],
  ["doas rm -rf /", "doas runs any command"],
  ["xargs rm -rf", "xargs runs any command"],
  ["timeout 5 rm -rf /", "timeout runs any command"],
  ["nohup rm -rf /", "nohup runs any command"],
  ["nice rm -rf /", "nice runs any command"],
  ["command rm -rf /", "command runs any command"],
  ["npx some-package", "npx downloads and runs any package"],
  ["npm exec some-package", "npm exec downloads and runs any package"],
  ["npm exec", "npm exec downloads and runs any package"],
  ["npm x some-package", "npm x downloads and runs any package"],
  ["pnpm dlx some-package", "pnpm dlx downloads and runs any package"],
  ["yarn dlx some-package", "yarn dlx downloads and runs any package"],
  ["bunx some-package", "bunx downloads and runs any package"],
  ["uvx some-package", "uvx downloads and runs any package"],
  ["git config core.pager CODE", "git config can set commands git runs later (core.pager, hooks…)"],
  ["git submodule foreach CODE", "git submodule foreach runs any command"],
  ["git bisect run CODE", "git bisect run runs any command"],
  ...BARE_INTERPRETERS.map((name): [string, string] => [name, `\`${name}\` alone reads its program from its input (\`${name} < script\`, a pipe, a heredoc)`]),
];

const PROBE_WORDS = PROBES.map(([command, why]) => ({ command, why, words: command.split(" ") }));

/**
 * A warning for an allow pattern that hands out arbitrary code execution (a shell, an interpreter's
 * eval flag, a wrapper, a package runner, an exec-capable flag), or undefined when none is found.
 */
export function lintAllowPattern(pattern: string): string | undefined {
  const words = parsePattern(pattern);
  const [program] = words;
  if (!program) return `allow pattern "${pattern}" is empty`;
  if (program.kind !== "text") return `allow pattern "${pattern}" matches every program: it allows arbitrary commands`;
  const probe = PROBE_WORDS.find((candidate) => matchWords(words, candidate.words));
  if (probe) return `allow pattern "${pattern}" allows arbitrary code: it matches \`${probe.command}\` (${probe.why})`;
  const wrapper = runsAnyCommand(words);
  if (wrapper === "xargs") return `allow pattern "${pattern}" hands its command names read from the input of xargs, which are never checked (such commands are refused unless they only print)`;
  if (wrapper) return `allow pattern "${pattern}" allows arbitrary code: \`${wrapper}\` runs the command that follows it, and the pattern lets that be any command`;
  const inner = wrappedPattern(words);
  if (inner !== undefined) return lintAllowPattern(inner)?.replace(/^allow pattern "[^"]*"/, `allow pattern "${pattern}"`);
  const risk = riskyArgs(textWords(words).map(literalWord)).find((candidate) => candidate.word !== "*" && !candidate.checked);
  if (risk) return `allow pattern "${pattern}" names \`${risk.flag}\`, which ${risk.why}`;
  return segmentStar(pattern, words);
}

/**
 * A `*` inside a word that names a folder matches within that folder only (it matched across `/` before):
 * said once, so a rule written for nested paths is fixed on purpose, not found refusing.
 */
function segmentStar(pattern: string, words: PatternWord[]): string | undefined {
  const word = words.find((each) => each.kind === "text" && each.glob !== undefined && each.text.includes("/") && /(^|[^*])\*([^*]|$)/.test(each.text));
  if (word?.kind !== "text") return undefined;
  return `allow pattern "${pattern}": \`*\` in "${word.text}" matches within one folder (not sub/x, not ../x); write \`**\` inside the word to match in every folder below`;
}

/**
 * A wrapper (`time`, `nice`, `setsid`, `timeout`…) followed by a wildcard word: whatever the options, the
 * command it runs is left open. `nice npm test` names its command and is fine.
 */
function runsAnyCommand(words: PatternWord[]): string | undefined {
  const [program] = words;
  if (program?.kind !== "text" || !isWrapper(literalWord(program.text))) return undefined;
  // The wrappers' own options are read as they would be run; the command they end at must be a fixed word.
  const asWords = words.map((word) => (word.kind === "text" && word.glob === undefined ? literalWord(word.text) : { value: "*", literal: false, source: "*" }));
  const layers = unwrapLayers(asWords);
  const wrappers = layers.slice(0, -1).map((layer) => layer[0]?.value ?? "");
  if (wrappers.includes("xargs")) return "xargs";
  const inner = layers.at(-1) ?? [];
  const [innerProgram] = inner;
  if (layers.length < 2 || !innerProgram?.literal || isWrapper(innerProgram)) return program.text;
  return undefined;
}

/** The command a wrapper pattern runs (`cat *` of `timeout 60 cat *`), as pattern text; undefined when not a wrapper. */
function wrappedPattern(words: PatternWord[]): string | undefined {
  const [program] = words;
  if (program?.kind !== "text" || !isWrapper(literalWord(program.text))) return undefined;
  const layers = unwrapLayers(words.map((word) => literalWord(word.kind === "text" ? word.text : word.kind === "rest" ? "**" : "*")));
  const inner = layers.at(-1) ?? [];
  return inner.length > 0 && layers.length > 1 ? inner.map((word) => word.value).join(" ") : undefined;
}

function textWords(words: PatternWord[]): string[] {
  return words.map((word) => (word.kind === "text" ? word.text : "*"));
}
