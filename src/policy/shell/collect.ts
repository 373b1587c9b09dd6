import { readsCodeFromStdin } from "./interpreters.ts";
import type { SyntaxNode } from "./syntax.ts";
import { checkHeredocBody, checkSimpleCommand, checkWord, hidesSubstitution, refuseHidden } from "./differentials.ts";
import { type Assignment, literalWord, type Redirect, refuse, type SimpleCommand, shorten, type Word } from "./types.ts";
import { wordOf } from "./words.ts";

export interface Collected {
  commands: SimpleCommand[];
  redirects: Redirect[];
}

/** Parents under which a `variable_assignment` belongs to something else, not a statement of its own. */
const NOT_A_STATEMENT = new Set(["command", "declaration_command", "variable_assignments", "c_style_for_statement"]);

/**
 * Lists every simple command and file redirection in the tree, wherever it is: lists, pipelines, substitutions,
 * subshells, groups, control flow, heredoc bodies. Throws ShellRefusal on constructs it will not check.
 */
export function collect(root: SyntaxNode): Collected {
  const out: Collected = { commands: [], redirects: [] };
  visit(root, "", out);
  return out;
}

function visit(node: SyntaxNode, parentType: string, out: Collected): void {
  switch (node.type) {
    case "function_definition":
      return refuse(`it defines a shell function (\`${shorten(node.text)}\`), whose body would run later under another name`);
    case "command":
      out.commands.push(simpleCommand(node));
      if (node.children.some(isInlineInput)) refuseStdinCode(node, "a heredoc or herestring");
      break;
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
      if (node.children.some(isInlineInput)) checkInlineInput(node);
      break;
    case "pipeline":
      checkPipeline(node);
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

function addRedirect(node: SyntaxNode, out: Collected): void {
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

/** A heredoc or herestring on a statement: no command in its body may be an interpreter reading code from stdin. */
function checkInlineInput(node: SyntaxNode): void {
  const body = node.children.find((child) => child.field === "body");
  if (body) commandsIn(body).forEach((command) => refuseStdinCode(command, "a heredoc or herestring"));
}

/** Commands after a `|` read the previous command's output: refuse interpreters that would run it as code. */
function checkPipeline(node: SyntaxNode): void {
  let piped = false;
  for (const child of node.children) {
    if (child.type === "|" || child.type === "|&") piped = true;
    else if (piped && child.named) commandsIn(child).forEach((command) => refuseStdinCode(command, "a pipe"));
  }
}

function commandsIn(node: SyntaxNode): SyntaxNode[] {
  if (node.type === "command") return [node];
  return node.children.flatMap(commandsIn);
}

function refuseStdinCode(node: SyntaxNode, source: string): void {
  const command = simpleCommand(node);
  if (command.program && readsCodeFromStdin([command.program, ...command.args])) {
    refuse(`\`${shorten(node.text)}\` runs code it reads from ${source}, which cannot be checked`);
  }
}
