import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { sedScriptRisk } from "../../../src/policy/programs/sed.ts";

/**
 * GNU sed's `--sandbox` refuses a program holding `e`, `w` or `r` (and their `s///` flags) before it runs:
 * the installed sed itself tells which scripts reach outside the text stream. Every such script must be
 * refused by the checker, whatever its spelling.
 */
function gnuRefusesInSandbox(script: string): boolean {
  const run = spawnSync("sed", ["--sandbox", "-n", "-e", script, "/dev/null"], { encoding: "utf8" });
  return run.status !== 0 && /disabled in sandbox mode/.test(run.stderr);
}

const hasSandbox = spawnSync("sed", ["--sandbox", "-n", "p", "/dev/null"]).status === 0;

const FRAGMENTS = ["s/a/b/", "s/[/]/x/", "s|[^/]*$||", "s/[]/]/x/", "[", "]", "/", "\\", "\\n", "\n", ";", " ", "}", "{", "!", "$", "1", ",", "~",
  "w x", "e", "r x", "W x", "R x", "p", "d", "a ", "i\\", "c", "y/a/b/", "s/a/c/", "s/a/i/", "g", "I", "#", ":l", "bl", "t", "N", "q"];

/** Scripts made of pieces that have misled sed readers: brackets, delimiters, escapes, a/i/c text, flags. */
function scripts(count: number): string[] {
  let seed = 13;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % FRAGMENTS.length;
  return Array.from({ length: count }, () => Array.from({ length: 1 + (next() % 5) }, () => FRAGMENTS[next()] ?? "").join(""));
}

describe("sed scripts", () => {
  it.each([
    ["s/a/b/g", undefined],
    ["1,5p", undefined],
    [":a;N;$!ba;s/\\n/ /g", undefined],
    ["s/[[:space:]]*$//", undefined],
    ["s|[^/]*$||", undefined],
    ["2i\\\nhello", undefined],
    ["a foo; w x", undefined],
    ["/x/{s/a/b/;p}", undefined],
  ])("reads %j exactly and lets it through", (script, expected) => {
    expect(sedScriptRisk(script)).toBe(expected);
  });

  it.each([
    ["e", /runs a shell command/],
    ["s/a/b/ w x", /s\/\/\/w/],
    ["s/a/c/w x", /s\/\/\/w/],
    ["s/a/i/e", /s\/\/\/e/],
    ["s/a/b/ie", /s\/\/\/e/],
    ["p;w x", /writes a file/],
    ["\\,a,w x", /writes a file/],
    // GNU sed 4.3+ ends the regular expression after the bracket, older seds at the `/` inside it.
    ["s/[/]/x/e", /holds the delimiter/],
    ["s/[/]/w x/", /holds the delimiter/],
    ["s/[^/]*$//", /use another delimiter/],
    ["v", /cannot read exactly/],
    ["s/a/b/cw x", /cannot read exactly/],
  ])("refuses %j", (script, reason) => {
    expect(sedScriptRisk(script)).toMatch(reason);
  });

  // About 100 of the 500 are let through, and only those are worth asking sed about (one process each).
  it.skipIf(!hasSandbox)("refuses every script the installed GNU sed would run with e, w or r (differential, 500 scripts)", () => {
    const missed = scripts(500).filter((script) => sedScriptRisk(script) === undefined && gnuRefusesInSandbox(script));
    expect(missed).toEqual([]);
  }, 60_000);
});
