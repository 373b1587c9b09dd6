import { describe, expect, it } from "vitest";
import { matchLoosely } from "../../src/policy/shell/loose-match.ts";
import { matchWords, parsePattern, splitShellWords } from "../../src/policy/shell/pattern.ts";

const words = (text: string) => text.split(" ");

describe("parsePattern", () => {
  it("reads words, wildcards and quotes", () => {
    expect(parsePattern("git log ** * a*b '*' \"x y\"")).toEqual([
      { kind: "text", text: "git", glob: undefined },
      { kind: "text", text: "log", glob: undefined },
      { kind: "rest" },
      { kind: "one" },
      { kind: "text", text: "a*b", glob: /^a[^/]*b$/s, noParents: true },
      { kind: "text", text: "*", glob: undefined },
      { kind: "text", text: "x y", glob: undefined },
    ]);
  });

  it("keeps `*` inside a word within a path segment, and lets `**` cross; deny rules read both across", () => {
    const matches = (pattern: string, command: string, anyStar = false) => matchWords(parsePattern(pattern, anyStar), command.split(" "));
    expect(matches("node scripts/*.js", "node scripts/build.js")).toBe(true);
    expect(matches("node scripts/*.js", "node scripts/../src/x.js")).toBe(false);
    expect(matches("node scripts/*.js", "node scripts/sub/x.js")).toBe(false);
    expect(matches("node scripts/**.js", "node scripts/sub/x.js")).toBe(true);
    expect(matches("node scripts/**.js", "node scripts/../src/x.js")).toBe(false);
    expect(matches("node scripts/../tools/*.js", "node scripts/../tools/x.js")).toBe(true);
    expect(matches("cat secrets/*", "cat secrets/a/b", true)).toBe(true);
  });

  it("splits like a shell without expanding", () => {
    expect(splitShellWords(`a 'b c' "d\\"e" f\\ g`).map((token) => token.value)).toEqual(["a", "b c", 'd"e', "f g"]);
  });
});

describe("allow matching (literal, in order)", () => {
  it.each<[string, string, boolean]>([
    ["git log", "git log", true],
    ["git log", "git logout", false],
    ["git log", "git log -1", false],
    ["git log **", "git log", true],
    ["git log **", "git log --oneline -n 5", true],
    ["git log **", "git logout", false],
    ["cat *", "cat a", true],
    ["cat *", "cat", false],
    ["cat *", "cat a b", false],
    ["* --version", "node --version", true],
    ["npm run test:*", "npm run test:unit", true],
    ["npm run test:*", "npm run test", false],
    ["git ** main", "git push origin main", true],
    ["git ** main", "git push origin dev", false],
    ["echo '*'", "echo *", true],
    ["echo '*'", "echo x", false],
  ])("%j vs %j → %s", (pattern, command, expected) => {
    expect(matchWords(parsePattern(pattern), words(command))).toBe(expected);
  });
});

describe("long commands", () => {
  const many = Array.from({ length: 100_000 }, () => "a");
  it("matches without recursion, whatever the length", () => {
    expect(matchWords(parsePattern("echo **"), ["echo", ...many])).toBe(true);
    expect(matchWords(parsePattern("echo ** b"), ["echo", ...many])).toBe(false);
    expect(matchWords(parsePattern("echo ** a"), ["echo", ...many])).toBe(true);
    expect(matchWords(parsePattern("echo *"), ["echo", ...many])).toBe(false);
  });

  it("matches loosely without recursion, whatever the length", () => {
    const subject = ["rm", ...many, "-r"].map((text) => ({ text, literal: true }));
    expect(matchLoosely(parsePattern("rm -r **"), subject)).toBe(true);
    expect(matchLoosely(parsePattern("rm -f **"), subject)).toBe(false);
  });
});

describe("deny matching (flags in any order, base names, expansions)", () => {
  const loose = (text: string) => words(text).map((word) => ({ text: word, literal: !word.startsWith("$") }));
  it.each<[string, string, boolean]>([
    ["rm -r **", "rm -r x", true],
    ["rm -r **", "rm -fr x", true],
    ["rm -r **", "rm x -r", true],
    ["rm -r **", "/bin/rm -r x", true],
    ["rm -r **", "rm -R x", false],
    ["rm -r **", "rm --recursive x", false],
    ["rm -r **", "rm -- -r", false],
    ["rm -rf **", "rm -r -f x", true],
    ["rm -rf **", "rm -r x", false],
    ["rm -r", "rm -r", true],
    ["rm -r", "rm -r -i", false],
    ["rm -r **", "rm $FLAGS x", true],
    ["git push **", "git push", true],
    ["git push **", "git --no-pager push origin", true],
    ["git push **", "git -C dir push", true],
    ["git push **", "git log push", false],
    ["git push **", "git $SUB", true],
    ["git push --force **", "git push --force=yes", true],
    ["curl **", "$PROGRAM x", true],
    ["/usr/bin/curl **", "curl x", true],
    ["git diff --output=* **", "git diff --output=x", true],
  ])("%j vs %j → %s", (pattern, command, expected) => {
    expect(matchLoosely(parsePattern(pattern), loose(command))).toBe(expected);
  });
});
