import { beforeAll, describe, expect, it } from "vitest";
import { loadShellParser, type ShellParser } from "../../src/policy/shell/parser.ts";
import type { ParsedCommand, SimpleCommand, Word } from "../../src/policy/shell/types.ts";

let parser: ShellParser;
beforeAll(async () => {
  parser = await loadShellParser();
});

/** A compact view: `~` marks a word with an expansion. */
const show = (word: Word) => (word.literal ? word.value : `~${word.source}`);
const outline = (command: SimpleCommand) =>
  [...command.assignments.map((assignment) => `${assignment.name}=${show(assignment.value)}`), ...(command.program ? [show(command.program)] : []), ...command.args.map(show)].join(" ");

function parsed(command: string): Extract<ParsedCommand, { ok: true }> {
  const result = parser.parse(command);
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result;
}

const commands = (command: string) => parsed(command).commands.map(outline);

describe("listing simple commands", () => {
  it.each<[string, string[]]>([
    ["a && b || c; d | e & f\ng", ["a", "b", "c", "d", "e", "f", "g"]],
    ["echo $(a) `b` <(c) >(d)", ["echo ~$(a) ~`b` ~<(c) ~>(d)", "a", "b", "c", "d"]],
    ["(a; { b; })", ["a", "b"]],
    ["if a; then b; elif c; then d; else e; fi", ["a", "b", "c", "d", "e"]],
    ["while a; do b; done; until c; do d; done", ["a", "b", "c", "d"]],
    ["for x in $(a); do b; done", ["a", "b"]],
    ["case $(a) in x) b;; esac", ["a", "b"]],
    ["[[ -f $(a) ]]", ["[[ -f ~$(a) ]]", "a"]],
    ["cat <<EOF\n$(a)\nEOF", ["cat", "a"]],
    ["cat <<'EOF'\n$(a)\nEOF", ["cat"]],
    ["bash -c 'a && b'", ["bash -c a && b", "a", "b"]],
    ["sudo sh -lc \"a | b\"", ["sudo sh -lc a | b", "a", "b"]],
    ["find . -exec grep -l x {} \\; -execdir a \\;", ["find . -exec grep -l x {} ; -execdir a ;", "grep -l x ~{}", "a"]],
    ["FOO=1 LANG=C a", ["FOO=1 LANG=C a"]],
    ["x=$(a)", ["x=~$(a)", "a"]],
    ["export A=1 B", ["export A=1 B"]],
    ["((i++))", ["(( ~((i++))"]],
  ])("%j", (command, expected) => {
    expect(commands(command)).toEqual(expected);
  });
});

describe("words", () => {
  it.each<[string, string]>([
    ["a 'b c' \"d\" \\r e\\ f $'g\\th'", "a b c d r e f g\th"],
    ["a \"x\\\"y\\$z\" 'q\\n'", 'a x"y$z q\\n'],
    ["a $X ${Y} $(z) $((1)) *.ts a?b [ab] {a,b} {1..2} ~/x a=~/y", "a ~$X ~${Y} ~$(z) ~$((1)) ~*.ts ~a?b ~[ab] ~{a,b} ~{1..2} ~~/x ~a=~/y"],
    ["a '*.ts' \"~\" {} HEAD~1 a,b x=1", "a *.ts ~ {} HEAD~1 a,b x=1"],
  ])("%j", (command, expected) => {
    expect(commands(command)[0]).toBe(expected);
  });
});

describe("redirects", () => {
  it("lists file redirects as reads and writes, skipping fd duplication, heredocs and herestrings", () => {
    const { redirects } = parsed("a > o1 >> o2 &> o3 &>> o4 >| o5 < i1 2>&1 >&2 3<&0 <&-; b <<< s; c <<EOF\nx\nEOF");
    expect(redirects.map((redirect) => `${redirect.kind} ${redirect.operator} ${show(redirect.target)}`)).toEqual([
      "write > o1",
      "write >> o2",
      "write &> o3",
      "write &>> o4",
      "write >| o5",
      "read < i1",
    ]);
  });

  it("keeps expansions in targets visible", () => {
    expect(parsed("a > $HOME/x").redirects[0]?.target).toEqual({ value: "$HOME/x", literal: false, source: "$HOME/x" });
  });

  it("finds redirects inside nested scripts", () => {
    expect(parsed("bash -c 'echo x > o'").redirects.map((redirect) => redirect.target.value)).toEqual(["o"]);
  });
});

describe("failing closed", () => {
  it.each<[string, string]>([
    ["echo 'unterminated", "does not parse"],
    ["eval ls", "`eval`"],
    ["source x", "`source`"],
    [". x", "`.`"],
    ["f() { a; }", "defines a shell function"],
    ["coproc a", "`coproc`"],
    ["bash <<EOF\na\nEOF", "heredoc"],
    ["a | python3", "pipe"],
    ["bash -c \"$X\"", "not a literal string"],
    ["a ".repeat(5_001), "longer than 10000 characters"],
    ["a\0", "U+0000"],
    ["a\u200bb", "U+200B"],
    ["a\u202eb", "U+202E"],
    ["a\u2067b", "U+2067"],
    ["a\ufeff", "U+FEFF"],
    ["echo ${x@P}", "prompt string"],
    ["printf -v 'a[$(id)]' x", "array subscripts"],
    ["a >o b", "a word follows the redirection"],
    ["a - <<EOF\nx\nEOF", "skipped `-`"],
    ["bash -c 'bash -c \"eval x\"'", "in the script"],
  ])("%.60j", (command, reason) => {
    const result = parser.parse(command);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it("returns plain data only", () => {
    const result = parser.parse("a $(b) > c");
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});
