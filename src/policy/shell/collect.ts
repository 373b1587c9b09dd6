import { readsCodeFromStdin } from "../programs/interpreters.ts";
import type { SyntaxNode } from "./syntax.ts";
import { checkHeredocBody, checkSimpleCommand, checkWord, hidesSubstitution, refuseHidden } from "./differentials.ts";
import { type Assignment, literalWord, type Redirect, refuse, type SimpleCommand, shorten, type Word } from "./types.ts";
import { wordOf } from "./words.ts";

export interface Collected {
  commands: SimpleCommand[];
  redirects: Redirect[];
  /**
   * Commands whose standard input is a pipe, heredoc, herestring or file. None of them reads code from it
   * (that is refused); a shell script they run (`bash -c SCRIPT`) passes the input on to its own commands.
   */
  fed: Set<SimpleCommand>;
}

interface State {
  commands: SimpleCommand[];
  redirects: Redirect[];
  /** Command nodes given an input, and how. */
  fedNodes: Map<SyntaxNode, string>;
  nodes: Map<SyntaxNode, SimpleCommand>;
  /** `exec < FILE`: every later command of the script reads FILE. */
  stdinReplaced: boolean;
}

/** Parents under which a `variable_assignment` belongs to something else, not a statement of its own. */
const NOT_A_STATEMENT = new Set(["command", "declaration_command", "variable_assignments", "c_style_for_statement"]);

/**
 * Lists every simple command and file redirection in the tree, wherever it is: lists, pipelines, substitutions,
 * subshells, groups, control flow, heredoc bodies. Throws ShellRefusal on constructs it will not check.
 */
export function collect(root: SyntaxNode): Collected {
  const out: State = { commands: [], redirects: [], fedNodes: new Map(), nodes: new Map(), stdinReplaced: false };
  visit(root, "", out);
  if (out.stdinReplaced) for (const node of out.nodes.keys()) feed(node, "`exec <` (a file redirection)", out);
  const fed = new Set<SimpleCommand>();
  for (const node of out.fedNodes.keys()) {
    const command = out.nodes.get(node);
    if (command) fed.add(command);
  }
  return { commands: out.commands, redirects: out.redirects, fed };
}

function visit(node: SyntaxNode, parentType: string, out: State): void {
  switch (node.type) {
    case "function_definition":
      return refuse(`it defines a shell function (\`${shorten(node.text)}\`), whose body would run later under another name`);
    case "command": {
      const command = simpleCommand(node);
      out.commands.push(command);
      out.nodes.set(node, command);
      refuseDescriptorArgument(node, node.children);
      if (node.children.some(isInlineInput)) feed(node, "a heredoc or herestring", out);
      if (node.children.some(readsFile)) feed(node, "a file redirection", out);
      break;
    }
    case "declaration_command":
    case "unset_command":
      out.commands.push(keywordCommand(node));
      break;
    case "test_command":
      out.commands.push(testCommand(node));
      break;
    case "compound_statement":
      if (node.children[0]?.type === "((") out.commands.push(arithmeticCommand(node));
      if (/^\{[^\s]/.test(node.text)) refuse(`\`${shorten(node.text)}\` starts with a brace expansion to bash, not a group`);
      break;
    case "c_style_for_statement":
      out.commands.push(arithmeticCommand(node));
      break;
    case "variable_assignment":
    case "variable_assignments":
      if (!NOT_A_STATEMENT.has(parentType)) out.commands.push(bareAssignment(node));
      break;
    case "file_redirect":
      addRedirect(node, out);
      break;
    case "heredoc_redirect":
      if (node.children.some((child) => child.field === "argument")) {
        refuse("words follow a heredoc marker on its line; bash reads them as arguments, this checker cannot");
      }
      checkHeredocBody(node);
      break;
    case "redirected_statement":
      checkRedirectedStatement(node, out);
      break;
    case "pipeline":
      checkPipeline(node, out);
      break;
    case "expansion":
      if (/@P\}$/.test(node.text)) refuse(`\`${node.text}\` expands a variable as a prompt string, which can run commands`);
      break;
    case "word":
      checkWord(node);
      break;
    case "regex":
    case "extglob_pattern":
    case "string_content":
    case "heredoc_content":
      if (hidesSubstitution(node.text)) refuseHidden(node.text);
  }
  for (const child of node.children) visit(child, node.type, out);
}

function simpleCommand(node: SyntaxNode): SimpleCommand {
  const assignments: Assignment[] = [];
  const args: Word[] = [];
  let program: Word | undefined;
  checkSimpleCommand(node);
  for (const child of node.children) {
    if (child.type === "variable_assignment") assignments.push(assignmentOf(child));
    else if (child.field === "name") program = wordOf(child.children.length === 1 && child.children[0] ? child.children[0] : child);
    else if (child.field === "argument") args.push(wordOf(child));
    else if (child.field !== "redirect" && child.type !== "comment") refuse(`unexpected syntax \`${child.text}\` in \`${node.text}\``);
  }
  return { source: node.text, assignments, program, args };
}

function assignmentOf(node: SyntaxNode): Assignment {
  const name = node.children.find((child) => child.field === "name");
  const value = node.children.find((child) => child.field === "value");
  return { name: name?.text ?? "", value: value ? wordOf(value) : literalWord(""), source: node.text };
}

/** `export A=1 B`, `declare -x C`, `unset D`: the keyword is the program, the rest are its words. */
function keywordCommand(node: SyntaxNode): SimpleCommand {
  const [keyword, ...rest] = node.children;
  const args = rest.filter((child) => child.type !== "comment").map((child): Word => {
    if (child.type === "variable_name") return literalWord(child.text);
    if (child.type !== "variable_assignment") return wordOf(child);
    const assignment = assignmentOf(child);
    const literal = assignment.value.literal && /^[A-Za-z_][A-Za-z0-9_]*$/.test(assignment.name);
    return { value: literal ? `${assignment.name}=${assignment.value.value}` : child.text, literal, source: child.text };
  });
  return { source: node.text, assignments: [], program: literalWord(keyword?.text ?? ""), args };
}

const TEST_WORDS = new Set(["word", "string", "raw_string", "concatenation", "simple_expansion", "expansion", "command_substitution", "number", "ansi_c_string", "process_substitution", "arithmetic_expansion"]);

/** `[ … ]` and `[[ … ]]` become a command named `[` or `[[` with the expression's words as arguments. */
function testCommand(node: SyntaxNode): SimpleCommand {
  const words: Word[] = [];
  const flatten = (part: SyntaxNode): void => {
    if (TEST_WORDS.has(part.type)) words.push(wordOf(part));
    else if (part.type === "regex" || part.type === "extglob_pattern") words.push({ value: part.text, literal: false, source: part.text });
    else if (part.children.length === 0) words.push(literalWord(part.text));
    else part.children.forEach(flatten);
  };
  node.children.forEach(flatten);
  const [program, ...args] = words;
  return { source: node.text, assignments: [], program, args };
}

/** `(( … ))` and `for (( … ))` evaluate arithmetic, which can run code through array subscripts: never literal. */
function arithmeticCommand(node: SyntaxNode): SimpleCommand {
  const end = node.text.indexOf("))");
  const source = end === -1 ? node.text : node.text.slice(0, end + 2);
  return { source, assignments: [], program: literalWord("(("), args: [{ value: source, literal: false, source }] };
}

function bareAssignment(node: SyntaxNode): SimpleCommand {
  const parts = node.type === "variable_assignments" ? node.children.filter((child) => child.type === "variable_assignment") : [node];
  return { source: node.text, assignments: parts.map(assignmentOf), program: undefined, args: [] };
}

const WRITES = new Set([">", ">>", "&>", "&>>", ">|"]);

function addRedirect(node: SyntaxNode, out: { redirects: Redirect[] }): void {
  const destinations = node.children.filter((child) => child.field === "destination");
  if (destinations.length > 1) {
    refuse(`a word follows the redirection \`${node.text}\`; bash reads it as an argument, this checker cannot (put redirections last)`);
  }
  const operator = node.children.find((child) => !child.named)?.text ?? "";
  const target = destinations[0];
  if (operator === "<&-" || operator === ">&-") return;
  if (!target) return refuse(`the redirection \`${node.text}\` has no target`);
  const duplicatesFd = (operator === ">&" || operator === "<&") && (target.type === "number" || target.text === "-");
  if (duplicatesFd) return;
  if (operator === "<" || operator === "<&") out.redirects.push({ kind: "read", operator, target: wordOf(target) });
  else if (WRITES.has(operator) || operator === ">&") out.redirects.push({ kind: "write", operator, target: wordOf(target) });
  else refuse(`the redirection \`${node.text}\` is not supported`);
}

function isInlineInput(node: SyntaxNode): boolean {
  return node.type === "heredoc_redirect" || node.type === "herestring_redirect";
}

const READ_OPERATORS = new Set(["<", "<&", "<>"]);

/** `< FILE`, `<&3`, `<> FILE`: the command's input comes from a file (closing with `<&-` does not count). */
function readsFile(node: SyntaxNode): boolean {
  if (node.type !== "file_redirect") return false;
  const operator = node.children.find((child) => !child.named)?.text ?? "";
  return READ_OPERATORS.has(operator) && !node.children.some((child) => child.field === "destination" && child.text === "-");
}

/** A heredoc, herestring or `<` file on a statement feeds every command in its body (`{ bash; } < x.sh`). */
function checkRedirectedStatement(node: SyntaxNode, out: State): void {
  const body = node.children.find((child) => child.field === "body");
  const redirects = node.children.filter((child) => child.field === "redirect");
  if (body?.type === "command") refuseDescriptorArgument(body, [...body.children, ...redirects]);
  const source = redirects.some(isInlineInput) ? "a heredoc or herestring" : redirects.some(readsFile) ? "a file redirection" : undefined;
  if (!body || !source) return;
  if (source === "a file redirection" && isBareExec(body)) out.stdinReplaced = true;
  commandsIn(body).forEach((command) => feed(command, source, out));
}

/** `exec < FILE` with no command (also as `builtin exec`, `command exec`): the redirection stays for the rest of the script. */
function isBareExec(node: SyntaxNode): boolean {
  if (node.type !== "command") return false;
  const words = node.children.filter((child) => child.field === "name" || child.field === "argument").map((child) => child.text);
  while (words[0] === "builtin" || words[0] === "command") words.shift();
  return words.length === 1 && words[0] === "exec";
}

/** Commands after a `|` read the previous command's output: refuse interpreters that would run it as code. */
function checkPipeline(node: SyntaxNode, out: State): void {
  let piped = false;
  for (const child of node.children) {
    if (child.type === "|" || child.type === "|&") piped = true;
    else if (piped && child.named) commandsIn(child).forEach((command) => feed(command, "a pipe", out));
  }
}

function commandsIn(node: SyntaxNode): SyntaxNode[] {
  if (node.type === "command") return [node];
  return node.children.flatMap(commandsIn);
}

function feed(node: SyntaxNode, source: string, out: State): void {
  refuseStdinCode(node, source);
  if (!out.fedNodes.has(node)) out.fedNodes.set(node, source);
}

function refuseStdinCode(node: SyntaxNode, source: string): void {
  const command = simpleCommand(node);
  if (command.program && readsCodeFromStdin([command.program, ...command.args])) {
    refuse(`\`${shorten(node.text)}\` runs code it reads from ${source}, which cannot be checked`);
  }
}

/**
 * `bash 0<x.sh`: bash reads `0<` as a redirection of descriptor 0, tree-sitter as an argument `0` followed by
 * `<x.sh`. A number word that touches the redirection after it is refused rather than read the parser's way.
 */
function refuseDescriptorArgument(command: SyntaxNode, parts: SyntaxNode[]): void {
  parts.forEach((part, index) => {
    const next = parts[index + 1];
    if (part.field !== "argument" || !/^[0-9]+$/.test(part.text) || !next || next.start !== part.end) return;
    if (next.type.endsWith("_redirect")) {
      refuse(`\`${part.text}${shorten(next.text)}\` is a redirection of descriptor ${part.text} to bash, but the parser read \`${part.text}\` as an argument of \`${shorten(command.text)}\``);
    }
  });
}
