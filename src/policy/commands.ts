import { decideOpenedPath, decideRedirect, type FileCheck } from "./command-redirects.ts";
import { matchLoosely } from "./shell/loose-match.ts";
import { type OutputOption, outputOptions } from "./programs/outputs.ts";
import { matchWords, parsePattern, type PatternWord } from "./shell/pattern.ts";
import { variableRisks } from "./programs/any.ts";
import { riskyArgs, type Risk } from "./programs/index.ts";
import { literalWord, programName, type ParsedCommand, type SimpleCommand, type Word } from "./shell/types.ts";
import { MAX_WRAPPER_LAYERS, unwrapLayers } from "./shell/wrappers.ts";
import type { Decision, Policy, Rule } from "./types.ts";

export type { FileCheck } from "./command-redirects.ts";

/** How one simple command or one redirection of a shell command was decided. */
export interface Segment {
  command: string;
  decision: "allow" | "deny";
  rule: string;
  reason: string;
}

export type CommandDecision = Decision & { segments: Segment[] };

/** Environment variables that may precede a command an allow rule matches (`LANG=C npm test`). */
const SAFE_ASSIGNMENT = /^(LANG|LC_[A-Z_]+|TZ|CI|NO_COLOR|FORCE_COLOR|NODE_ENV)$/;

/**
 * Decides a parsed shell command: allowed only when every simple command in it and every redirection is
 * allowed. Deny rules look through wrappers, paths and flag spellings; allow rules match literal commands only.
 */
export function decideCommand(policy: Policy, parsed: ParsedCommand, checkFile: FileCheck, sandboxed = false): CommandDecision {
  const action = `run \`${clip(parsed.source)}\``;
  if (!parsed.ok) {
    return { decision: "deny", rule: "commands.parse", reason: `${action}: refused without checking rules: ${parsed.reason}`, segments: [] };
  }
  const changesDirectory = parsed.commands.some(changesWorkingDirectory);
  const segments = [
    ...parsed.commands.map((command) => decideSimpleCommand(policy, command, sandboxed)),
    ...parsed.redirects.map((redirect) => decideRedirect(redirect, checkFile, changesDirectory)),
    ...commandOutputs(parsed.commands).map((output) => decideOutput(output, checkFile, changesDirectory)),
  ];
  const denied = mostTelling(segments.filter((segment) => segment.decision === "deny"));
  const whole = segments.length === 1 && segments[0]?.command === parsed.source.trim();
  if (denied) return { decision: "deny", rule: denied.rule, reason: whole ? denied.reason : `${action}: ${denied.reason}`, segments };
  const rules = [...new Set(segments.map((segment) => segment.rule))].join(", ");
  const reason = segments.length === 1 ? (segments[0]?.reason ?? "") : `every part is allowed (${segments.map((segment) => segment.reason).join("; ")})`;
  return { decision: "allow", rule: rules, reason: whole ? reason : `${action}: ${reason}`, segments };
}

/** Of several denials, report an explicit deny rule first, then other specific refusals, then the default. */
function mostTelling(denials: Segment[]): Segment | undefined {
  const rank = (segment: Segment): number => (segment.rule.startsWith("commands.deny") ? 0 : segment.rule === "default" ? 2 : 1);
  return denials.reduce<Segment | undefined>((best, segment) => (best && rank(best) <= rank(segment) ? best : segment), undefined);
}

function decideSimpleCommand(policy: Policy, command: SimpleCommand, sandboxed: boolean): Segment {
  const layers = command.program ? withGitPrograms(unwrapLayers([command.program, ...command.args])) : [];
  if (layers.length >= MAX_WRAPPER_LAYERS) {
    return segment(command, "deny", "commands.wrapper", `\`${command.source}\` nests ${MAX_WRAPPER_LAYERS} or more wrappers, more than this policy reads`);
  }
  const denied = findDeny(policy.commands.deny, layers);
  if (denied) return segment(command, "deny", `commands.deny[${denied.index}]`, denyReason(command, denied));
  const obstacle = allowObstacle(command);
  const matching = obstacle ? [] : matchingAllows(policy.commands.allow, command);
  const allows = matching.filter(({ rule }) => sandboxed || !rule.sandboxed);
  const risks = layers.flatMap(riskyArgs);
  const allow = allows.find(({ pattern }) => risks.every((risk) => namesRisk(pattern, risk)));
  if (allow) return segment(command, "allow", `commands.allow[${allow.index}]`, `\`${command.source}\` matches allow rule "${allow.rule.pattern}"${allow.rule.sandboxed ? " (inside the sandbox)" : ""}`);
  const outsideSandbox = matching.find(({ rule, pattern }) => rule.sandboxed && risks.every((risk) => namesRisk(pattern, risk)));
  if (outsideSandbox) {
    return segment(command, "deny", `commands.allow[${outsideSandbox.index}]`, `\`${command.source}\` matches allow rule "${outsideSandbox.rule.pattern}", which allows it only inside the sandbox, and commands run without one here (docs/sandbox.md)`);
  }
  const risk = risks.find((candidate) => !allows.some(({ pattern }) => namesRisk(pattern, candidate)));
  if (risk) return segment(command, "deny", "commands.hardening", riskReason(command, risk));
  if (layers.length > 1) return segment(command, "deny", "commands.wrapper", wrapperReason(command, layers));
  // A command's own `NODE_OPTIONS=…` loads code as surely as `env NODE_OPTIONS=…` does. No allow rule
  // matches past it (allowObstacle), so only an allow default would let it through.
  const [loader] = variableRisks(command.assignments.map((assignment) => `${assignment.name}=${assignment.value.value}`));
  if (loader && policy.default === "allow") {
    return segment(command, "deny", "commands.hardening", `\`${command.source}\` sets \`${loader.word}\`, which makes programs load or run code it names; run it as \`env ${loader.word} …\` under an allow rule that spells it out`);
  }
  if (policy.default === "allow") return segment(command, "allow", "default", `\`${command.source}\`: no rule matches; default is allow`);
  const why = obstacle ? `allow rules do not apply: ${obstacle}` : "no allow rule matches";
  return segment(command, "deny", "default", `\`${command.source}\`: ${why} (policy ${policy.source}; default is deny)`);
}

/** The output options of every command, also behind wrappers, each once. */
export function commandOutputs(commands: readonly SimpleCommand[]): OutputOption[] {
  const seen = new Set<Word>();
  const found: OutputOption[] = [];
  for (const command of commands) {
    if (!command.program) continue;
    for (const layer of unwrapLayers([command.program, ...command.args])) {
      for (const output of outputOptions(layer)) {
        if (seen.has(output.value)) continue;
        seen.add(output.value);
        found.push(output);
      }
    }
  }
  return found;
}

/** `--outputFile=PATH` and the like write PATH: decided like a `>` redirection. */
function decideOutput(output: OutputOption, checkFile: FileCheck, changesDirectory: boolean): Segment {
  const command = output.option.includes("=") || output.option === output.value.source ? output.option : `${output.option} ${output.value.source}`;
  const verb = output.folder ? "writes into the folder" : "writes to";
  const rule = "commands.output";
  const deny = (reason: string): Segment => ({ command, decision: "deny", rule, reason: `\`${command}\` ${verb} ${reason}` });
  if (!output.value.literal) return deny(`\`${output.value.source}\`, which the shell expands at run time`);
  if (output.movedBy && !output.value.value.startsWith("/")) {
    return deny(`\`${output.value.value}\` taken from the folder \`${output.movedBy}\` names, so where it lands cannot be known; drop \`${output.movedBy}\` or give the path from the workspace root without it`);
  }
  return decideOpenedPath("write", output.value.value, checkFile, changesDirectory, { command, verb, rule, deny }, output.folder);
}

function segment(command: SimpleCommand, decision: "allow" | "deny", rule: string, reason: string): Segment {
  return { command: command.source, decision, rule, reason };
}

interface Compiled {
  rule: Rule;
  index: number;
  pattern: PatternWord[];
}

const compiledPatterns = new WeakMap<Rule, PatternWord[]>();

/** A rule belongs to one list, so one compiled form each: deny rules read `*` inside a word across `/`. */
function compile(rules: Rule[], deny = false): Compiled[] {
  return rules.map((rule, index) => {
    let pattern = compiledPatterns.get(rule);
    if (!pattern) compiledPatterns.set(rule, (pattern = parsePattern(rule.pattern, deny)));
    return { rule, index, pattern };
  });
}

interface DenyMatch extends Compiled {
  layer: number;
}

function findDeny(rules: Rule[], layers: Word[][]): DenyMatch | undefined {
  for (const compiled of compile(rules, true)) {
    const layer = layers.findIndex((words) => matchLoosely(compiled.pattern, words.map((word) => ({ text: word.value, literal: word.literal }))));
    if (layer !== -1) return { ...compiled, layer };
  }
  return undefined;
}

function denyReason(command: SimpleCommand, denied: DenyMatch): string {
  const words = unwrapLayers(command.program ? [command.program, ...command.args] : [])[denied.layer] ?? [];
  const inner = denied.layer > 0 ? ` once the wrapper is removed (\`${words.map((word) => word.source).join(" ")}\`)` : "";
  const dynamic = words[0] && !words[0].literal ? " (its program is only known at run time)" : "";
  const why = denied.rule.reason ? `: ${denied.rule.reason}` : "";
  return `\`${command.source}\` matches deny rule "${denied.rule.pattern}"${inner}${dynamic}${why}`;
}

/** Why no allow rule may match this command, if so: expansions, unsafe assignments, no program. */
function allowObstacle(command: SimpleCommand): string | undefined {
  if (!command.program) return "it only assigns variables";
  const unsafe = command.assignments.find((assignment) => !SAFE_ASSIGNMENT.test(assignment.name) || !assignment.value.literal);
  if (unsafe) return `it sets \`${unsafe.source}\`, and allow rules only match past literal LANG, LC_*, TZ, CI, NO_COLOR, FORCE_COLOR, NODE_ENV`;
  const dynamic = [command.program, ...command.args].find((word) => !word.literal);
  if (dynamic) return `\`${dynamic.source}\` is expanded by the shell at run time, and allow rules match literal commands only`;
  return undefined;
}

function matchingAllows(rules: Rule[], command: SimpleCommand): Compiled[] {
  const program = command.program;
  if (!program) return [];
  // `\rm`, `"rm"` or a path only match a rule that spells the program the same way.
  const name = program.source === program.value ? program.value : program.source;
  const words = [name, ...command.args.map((word) => word.value)];
  return compile(rules).filter(({ pattern }) => matchWords(pattern, words));
}

function namesRisk(pattern: PatternWord[], risk: Risk): boolean {
  return pattern.some(
    (word) => word.kind === "text" && (word.text === risk.flag || word.text === risk.word || word.text.startsWith(`${risk.flag}=`)),
  );
}

function riskReason(command: SimpleCommand, risk: Risk): string {
  if (risk.flag.startsWith("$")) {
    return `\`${command.source}\` uses \`${risk.word}\`, an expansion that could become an option that runs code; allow rules never match expansions`;
  }
  const remedy = risk.flag.startsWith("-") ? `only an allow rule that names \`${risk.flag}\` permits it` : "only an allow rule that spells it out permits it";
  return `\`${command.source}\` uses \`${risk.word}\`, which ${risk.why}; ${remedy}`;
}

function wrapperReason(command: SimpleCommand, layers: Word[][]): string {
  const wrapper = layers[0]?.[0]?.value ?? "";
  return `\`${command.source}\` runs another command through \`${wrapper}\`; that needs an allow rule naming \`${wrapper}\``;
}

const DIRECTORY_CHANGERS = new Set(["cd", "pushd", "popd"]);

/** `cd` (also through a wrapper such as `builtin`), or a program only known at run time. */
function changesWorkingDirectory(command: SimpleCommand): boolean {
  if (!command.program) return false;
  return unwrapLayers([command.program, ...command.args]).some(([program]) => !program?.literal || DIRECTORY_CHANGERS.has(program.value));
}

/** Reasons go to the model, events and reports: a 10,000-character command is not repeated whole. */
function clip(command: string, max = 200): string {
  return command.length > max ? `${command.slice(0, max - 3)}...` : command;
}

/**
 * git's own programs (`/usr/lib/git-core/git-push`) run git's subcommands: each is also read as
 * `git <subcommand>`, so deny rules for git see it.
 */
function withGitPrograms(layers: Word[][]): Word[][] {
  const aliases = layers.flatMap(([program, ...args]) => {
    const subcommand = program?.literal ? /^git-([a-z][a-z0-9-]*)$/.exec(programName(program))?.[1] : undefined;
    return subcommand ? [[literalWord("git"), literalWord(subcommand), ...args]] : [];
  });
  return [...layers, ...aliases];
}
