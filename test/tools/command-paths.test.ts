import { describe, expect, it } from "vitest";
import { loadShellParser } from "../../src/policy/shell/parser.ts";
import { commandPaths } from "../../src/tools/command-paths.ts";

async function pathsOf(command: string) {
  const parsed = (await loadShellParser()).parse(command);
  if (!parsed.ok) throw new Error(parsed.reason);
  return commandPaths(parsed.commands);
}

describe("which words of a command are paths", () => {
  it.each<[string, string[]]>([
    ["grep .env README.md", ["README.md"]],
    ["grep -e KEY .env", [".env"]],
    ["grep -f patterns.txt src/a.ts", ["src/a.ts", "patterns.txt"]],
    ["sed s/a/.env/ a.txt", ["a.txt"]],
    ["awk -f prog.awk data.csv", ["data.csv", "prog.awk"]],
    ["cat --file=x.txt -- -odd", ["x.txt", "-odd"]],
  ])("reads of %s", async (command, reads) => {
    expect((await pathsOf(command)).reads.sort()).toEqual(reads.sort());
  });

  it.each<[string, string[]]>([
    ["chmod +x src/x.ts", ["src/x.ts"]],
    ["chown -R me:me build", ["build"]],
    ["touch -d 2020-01-01 src/x.ts", ["src/x.ts"]],
    ["truncate -s 0 log.txt", ["log.txt"]],
    ["mkdir -m 755 -p src/new", ["src/new"]],
    ["sed -i -e s/a/b/ src/x.ts", ["src/x.ts"]],
    ["sed -i.bak s/a/b/ src/x.ts", ["src/x.ts"]],
    ["sed s/a/b/ src/x.ts", []],
    ["dd if=a of=b bs=1", ["b"]],
    ["cp -rt dest a b", ["a", "b", "dest", "dest/a", "dest/b"]],
    ["cp --target=dest a", ["a", "dest", "dest/a"]],
    ["mv a b", ["a", "b", "b/a"]],
  ])("writes of %s", async (command, writes) => {
    expect([...new Set((await pathsOf(command)).writes)].sort()).toEqual(writes.sort());
  });

  it("knows recursive removals and what mv takes away", async () => {
    expect((await pathsOf("rm --rec -f build")).trees).toEqual(["build"]);
    expect((await pathsOf("rm -f build")).trees).toEqual([]);
    expect((await pathsOf("mv .github elsewhere")).trees).toEqual([".github"]);
  });

  it("follows cd chains and env -C for the folders commands run in", async () => {
    expect((await pathsOf("cd src && cd lib && cat x")).folders.sort()).toEqual([".", "lib", "src", "src/lib"]);
    expect((await pathsOf("cd src/lib; cd ..; cat x")).folders.sort()).toEqual([".", "..", "src", "src/lib"]);
    expect((await pathsOf("env -C tools cat x")).folders.sort()).toEqual([".", "tools"]);
  });
});
