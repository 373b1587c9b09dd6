import { describe, expect, it } from "vitest";
import { loadShellParser } from "../../../src/policy/shell/parser.ts";
import { commandPaths } from "../../../src/policy/programs/index.ts";

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
    ["cat --file=x.txt -- -odd", ["x.txt", "-odd", "dd", "d"]],
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

  it.each<[string, string[]]>([
    ["rm a", ["a"]],
    ["unlink a", ["a"]],
    ["mv a b", ["a", "b"]],
    ["git mv a b", ["a"]],
    ["touch -h a", ["a"]],
    ["chown -h me a", ["a"]],
    ["tee a", []],
    ["chmod 600 a", []],
    ["cp a b", []],
    ["rm a && tee a", []],
  ])("acts on links, not what they point to: %s", async (command, linkWrites) => {
    expect((await pathsOf(command)).linkWrites).toEqual(linkWrites);
  });

  it.each<[string, boolean]>([
    ["ln -s a b", true],
    ["ln a b", true],
    ["link a b", true],
    ["cp -s /x/a b", true],
    ["cp -l a b", true],
    ["cp --link a b", true],
    ["cp --symbolic-link /x/a b", true],
    ["sudo ln -sf a b", true],
    ["cp a b", false],
    ["cp -r a b", false],
  ])("knows commands that make links: %s", async (command, makes) => {
    expect((await pathsOf(command)).linkMakers.length > 0).toBe(makes);
  });

  it("reads a symbolic link's target from the link's folder, a hard link's file from the current one", async () => {
    expect((await pathsOf("ln -s ../.env src/e")).symlinkTargets).toContainEqual({ target: "../.env", linkFolder: "src" });
    expect((await pathsOf("ln -s -t src/deep ../../.env")).symlinkTargets).toEqual([{ target: "../../.env", linkFolder: "src/deep" }]);
    expect((await pathsOf("ln -sr .env src/e")).symlinkTargets).toEqual([]);
    expect((await pathsOf("ln .env src/e")).writes).toEqual(expect.arrayContaining([".env", "src/e"]));
  });

  it.each<[string, string[]]>([
    ["git show HEAD:.env", [".env"]],
    ["git show main~2:./src/a.ts", ["src/a.ts"]],
    ["git cat-file -p :0:.env", [".env"]],
    ["git log -p -- .env src", [".env", "src"]],
    ["git log --format=%H:%s", []],
    ["git add -- .env", []],
  ])("reads from git's history: %s", async (command, reads) => {
    expect((await pathsOf(command)).historyReads).toEqual(reads);
  });

  it.each<[string, string[]]>([
    ["grep -r KEY .", ["."]],
    ["grep -rn KEY", ["."]],
    ["grep --rec KEY src lib", ["src", "lib"]],
    ["grep --derefer KEY src", ["src"]],
    ["grep KEY src", []],
    ["rg KEY", ["."]],
    ["rg --files src", []],
    ["cp -r src dst", ["src"]],
    ["cp -a src dst", ["src"]],
    ["cp src/a dst", []],
    ["mv src dst", ["src"]],
    ["tar czf out.tgz src docs", ["src", "docs"]],
    ["tar -C lib -cf out.tar x", ["x", "lib/x"]],
    ["tar tf out.tgz", []],
    ["zip -r out.zip src", ["src"]],
    ["diff -r a b", ["a", "b"]],
    ["git grep --untracked KEY", ["."]],
    ["git grep KEY", []],
  ])("reads folders whole: %s", async (command, folders) => {
    expect((await pathsOf(command)).folderReads.map((read) => read.folder)).toEqual(folders);
  });

  it("keeps each recursive reader's filters", async () => {
    const [grep] = (await pathsOf("grep -r --exclude=.env --exclude-dir=node_modules --include='*.ts' KEY .")).folderReads;
    expect(grep).toMatchObject({
      files: [{ glob: ".env", include: false }, { glob: "*.ts", include: true }],
      readsUnmatched: true,
      folders: [{ glob: "node_modules", include: false }],
      skipsHidden: false,
      followsLinks: false,
    });
    const [includeFirst] = (await pathsOf("grep -r --include='*.ts' --exclude=x.ts KEY .")).folderReads;
    expect(includeFirst?.readsUnmatched).toBe(false);
    const [rg] = (await pathsOf("rg -g '!.env' --iglob '*.TS' -L KEY")).folderReads;
    expect(rg).toMatchObject({
      files: [{ glob: ".env", include: false }, { glob: "*.TS", include: true, nocase: true }],
      readsUnmatched: false,
      followsLinks: true,
    });
    const [hidden] = (await pathsOf("rg --hidden KEY")).folderReads;
    expect(hidden?.skipsHidden).toBe(false);
    // A glob with a slash is not modelled: then no glob leaves anything out.
    const [slashed] = (await pathsOf("rg -g '!.env' -g 'src/**' KEY")).folderReads;
    expect(slashed?.files).toEqual([{ glob: "src/**", include: true, nocase: false }]);
  });

  it.each<[string, boolean]>([
    ["tar xf a.tar", true],
    ["tar -xzf a.tgz -C src", true],
    ["tar --extract -f a.tar", true],
    ["tar xOf a.tar m", false],
    ["tar tf a.tar", false],
    ["tar cf out.tar -T list", true],
    ["git apply x.diff", true],
    ["git am x.patch", true],
    ["git apply --check x.diff", false],
    ["patch -p1", true],
    ["patch -d src a.ts", true],
    ["patch src/a.ts", false],
    ["patch --dry-run -p1", false],
    ["unzip a.zip", true],
    ["unzip -l a.zip", false],
    ["git restore --pathspec-from-file=list", true],
  ])("knows programs whose writes cannot be told from their words: %s", async (command, uncheckable) => {
    expect((await pathsOf(command)).uncheckable.length > 0).toBe(uncheckable);
  });

  it.each<[string, string[], string[]]>([
    ["git checkout -- a b", ["a", "b"], []],
    ["git checkout HEAD~1 -- a", ["a"], ["HEAD~1"]],
    ["git checkout main", [], ["main"]],
    ["git checkout -b feature", [], []],
    ["git restore -s HEAD a", ["a"], []],
    ["git clean -fdx", ["."], []],
  ])("knows what git rewrites: %s", async (command, trees, ifPresent) => {
    const paths = await pathsOf(command);
    expect([paths.gitTrees, paths.gitTreesIfPresent]).toEqual([trees, ifPresent]);
  });

  it.each<[string, string[]]>([
    ["find .github -delete", [".github"]],
    ["find -delete", ["."]],
    ["find -L a b -name x -delete", ["a", "b"]],
    ["find a -name x", []],
  ])("knows what find -delete removes: %s", async (command, trees) => {
    expect((await pathsOf(command)).trees).toEqual(trees);
  });

  it("takes absolute cd targets as folders, and notes paths after a cd it cannot follow", async () => {
    expect((await pathsOf("cd /work/x && cat a")).folders).toContain("/work/x");
    expect((await pathsOf("cd - && cat a")).unanchored).toEqual([{ path: "a", after: "cd -" }]);
    expect((await pathsOf("cat a; popd; cat b")).unanchored).toEqual([{ path: "b", after: "popd" }]);
    expect((await pathsOf("cd && ls")).unanchored).toEqual([]);
  });
});
