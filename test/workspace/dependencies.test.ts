import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  describeMissingInstall, editablePaths, findDependencies, foldersToShow, linkDependencies, missingInstalls, pythonInstall, removeLinked, rootVirtualenv, stillLinked, untouchedFolders,
} from "../../src/workspace/dependencies.ts";
import type { MissingInstall } from "../../src/workspace/dependencies.ts";
import { createRepo, git, removeDir, writeFiles } from "../helpers/repo.ts";
import { scratchDir } from "../helpers/temp.ts";

let template: string | undefined;
afterAll(() => {
  if (template !== undefined) removeDir(template);
});

/**
 * A monorepo as npm leaves it after `npm install`: a root node_modules linking the workspace package, and one of the package's own.
 * Each test gets a copy of one made for the file, links as they are, instead of a new repository (six git commands).
 */
function monorepo(): string {
  template ??= makeMonorepo();
  const copy = join(scratchDir("nanocoder-deps-monorepo-"), "repo");
  cpSync(template, copy, { recursive: true, verbatimSymlinks: true });
  return copy;
}

function makeMonorepo(): string {
  const repo = createRepo({
    ".gitignore": "node_modules/\n.venv/\nbuild/\n",
    "package.json": JSON.stringify({ workspaces: ["packages/*"] }),
    "packages/a/package.json": "{}",
    "packages/b/package.json": "{}",
    "vendor/bundle/README": "tracked\n",
  });
  writeFiles(repo, {
    "node_modules/left-pad/index.js": "module.exports = 1;\n",
    "node_modules/@types/node/index.d.ts": "",
    "node_modules/.vite/results.json": "{}",
    "node_modules/.bin/.keep": "",
    "packages/a/node_modules/only-a/index.js": "",
    "build/out.js": "",
  });
  symlinkSync("../../packages/b", join(repo, "node_modules/@types/b"));
  symlinkSync("../left-pad/index.js", join(repo, "node_modules/.bin/left-pad"));
  return repo;
}

describe("finding the installed dependency folders", () => {
  it("finds node_modules at the root and beside each tracked manifest, passing over tracked folders silently", async () => {
    const repo = monorepo();
    const { folders, skipped } = await findDependencies(repo, { detect: true, paths: [] });
    expect(folders.map((folder) => folder.path).sort()).toEqual(["node_modules", "packages/a/node_modules"]);
    expect(folders.every((folder) => folder.root === repo)).toBe(true);
    expect(skipped).toEqual([]);
  });

  it("adds the policy's paths and globs, and says why a named path cannot be shared", async () => {
    const repo = monorepo();
    symlinkSync("/etc", join(repo, "linked"));
    const { folders, skipped } = await findDependencies(repo, { detect: false, paths: ["build", "packages/*/node_modules", "missing", "package.json", "linked", "../x"] });
    expect(folders.map((folder) => folder.path).sort()).toEqual(["build", "packages/a/node_modules"]);
    expect(skipped).toEqual([
      { path: "missing", reason: "no such file or folder in the repository", named: true },
      { path: "linked", reason: "it is a symlink; name the folder it points to", named: true },
      { path: "../x", reason: "it is not a path inside the repository", named: true },
      { path: "package.json", reason: "git tracks it, so every worktree has it already", named: true },
    ]);
  });

  it("shares nothing with detect off and no paths", async () => {
    expect((await findDependencies(monorepo(), { detect: false, paths: [] })).folders).toEqual([]);
  });
});

describe("linking them into a worktree", () => {
  const worktreeOf = (repo: string) => {
    const worktree = scratchDir("nanocoder-deps-worktree-");
    mkdirSync(join(worktree, "packages/a"), { recursive: true });
    mkdirSync(join(worktree, "packages/b"), { recursive: true });
    return { worktree, folders: [{ path: "node_modules", root: repo }, { path: "packages/a/node_modules", root: repo }] };
  };

  it("makes a real folder of links to the installed copy, copying the copy's own links as written", () => {
    const repo = monorepo();
    const { worktree, folders } = worktreeOf(repo);
    linkDependencies(worktree, folders);
    expect(lstatSync(join(worktree, "node_modules")).isDirectory()).toBe(true);
    expect(readlinkSync(join(worktree, "node_modules/left-pad"))).toBe(join(repo, "node_modules/left-pad"));
    // Scope folders and .bin are linked entry by entry, so their relative links resolve in the worktree.
    expect(readlinkSync(join(worktree, "node_modules/@types/node"))).toBe(join(repo, "node_modules/@types/node"));
    expect(readlinkSync(join(worktree, "node_modules/@types/b"))).toBe("../../packages/b");
    expect(realpathSync(join(worktree, "node_modules/@types/b"))).toBe(realpathSync(join(worktree, "packages/b")));
    expect(readlinkSync(join(worktree, "node_modules/.bin/left-pad"))).toBe("../left-pad/index.js");
    expect(readFileSync(join(worktree, "packages/a/node_modules/only-a/index.js"), "utf8")).toBe("");
  });

  it("gives the caches empty folders of the worktree's own, never the installed copy's", () => {
    const repo = monorepo();
    const { worktree, folders } = worktreeOf(repo);
    linkDependencies(worktree, folders);
    expect(lstatSync(join(worktree, "node_modules/.vite")).isDirectory()).toBe(true);
    expect(existsSync(join(worktree, "node_modules/.vite/results.json"))).toBe(false);
  });

  it("keeps a linked folder for the next task while only its caches changed, emptying them", () => {
    const repo = monorepo();
    const { worktree, folders } = worktreeOf(repo);
    const [linked] = linkDependencies(worktree, folders);
    writeFiles(worktree, { "node_modules/.vite/vitest/results.json": "{}", "node_modules/.cache/babel/x": "" });
    expect(linked && stillLinked(linked)).toBe(true);
    expect(readdirSync(join(worktree, "node_modules/.vite"))).toEqual([]);
    expect(readdirSync(join(worktree, "node_modules/.cache"))).toEqual([]);
  });

  it.each([
    ["a new entry", (worktree: string) => writeFiles(worktree, { "node_modules/planted/index.js": "" })],
    ["a link pointed elsewhere", (worktree: string) => {
      rmSync(join(worktree, "node_modules/left-pad"));
      symlinkSync("/tmp", join(worktree, "node_modules/left-pad"));
    }],
    ["a changed scope folder", (worktree: string) => rmSync(join(worktree, "node_modules/@types/node"))],
    ["a new .bin entry", (worktree: string) => writeFiles(worktree, { "node_modules/.bin/git": "#!/bin/sh\n" })],
    ["the folder replaced by a copy", (worktree: string) => {
      renameSync(join(worktree, "node_modules"), join(worktree, "moved"));
      renameSync(join(worktree, "moved"), join(worktree, "node_modules"));
    }],
  ])("links a folder anew after %s", (_name, change) => {
    const repo = monorepo();
    const { worktree, folders } = worktreeOf(repo);
    const [linked] = linkDependencies(worktree, folders);
    change(worktree);
    expect(linked && stillLinked(linked)).toBe(false);
  });

  it("lets what the worktree already has win", () => {
    const repo = monorepo();
    const { worktree, folders } = worktreeOf(repo);
    writeFiles(worktree, { "node_modules/left-pad/index.js": "mine\n" });
    linkDependencies(worktree, folders);
    expect(lstatSync(join(worktree, "node_modules/left-pad")).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(worktree, "node_modules/left-pad/index.js"), "utf8")).toBe("mine\n");
  });

  it("writes nothing outside the worktree when a folder on the way is a link leading out", () => {
    const repo = monorepo();
    const { worktree, folders } = worktreeOf(repo);
    const outside = scratchDir("nanocoder-deps-outside-");
    mkdirSync(join(worktree, "packages"), { recursive: true });
    symlinkSync(outside, join(worktree, "packages", "evil"));
    linkDependencies(worktree, [...folders, { path: "packages/evil/node_modules", root: repo }]);
    expect(existsSync(join(outside, "node_modules"))).toBe(false);
  });

  it("removes a linked folder with what was written beside the links, never what the links point to", () => {
    const repo = monorepo();
    const { worktree, folders } = worktreeOf(repo);
    linkDependencies(worktree, folders);
    writeFiles(worktree, { "node_modules/.cache/x": "cache" });
    removeLinked(worktree, ["node_modules"]);
    expect(existsSync(join(worktree, "node_modules"))).toBe(false);
    expect(readFileSync(join(repo, "node_modules/left-pad/index.js"), "utf8")).toBe("module.exports = 1;\n");
    expect(existsSync(join(repo, "node_modules/.bin/left-pad"))).toBe(true);
  });

  it("removes nothing through a folder a command swapped for a link to the installed copy", () => {
    const repo = monorepo();
    const { worktree, folders } = worktreeOf(repo);
    linkDependencies(worktree, folders);
    // A command moves the linked folder away and puts a link to the installed copy in its place.
    rmSync(join(worktree, "node_modules"), { recursive: true });
    symlinkSync(join(repo, "node_modules"), join(worktree, "node_modules"));
    removeLinked(worktree, ["node_modules/.bin", "node_modules/@types"]);
    expect(existsSync(join(repo, "node_modules/.bin/left-pad"))).toBe(true);
    expect(existsSync(join(repo, "node_modules/@types/node"))).toBe(true);
  });

  it("tells a folder an install replaced from one left as linked", () => {
    const repo = monorepo();
    const { worktree, folders } = worktreeOf(repo);
    linkDependencies(worktree, folders);
    expect(untouchedFolders(worktree, folders).map((folder) => folder.path)).toEqual(["node_modules", "packages/a/node_modules"]);
    rmSync(join(worktree, "node_modules"), { recursive: true });
    writeFiles(worktree, { "node_modules/left-pad/index.js": "installed\n" });
    expect(untouchedFolders(worktree, folders).map((folder) => folder.path)).toEqual(["packages/a/node_modules"]);
  });
});

describe("virtualenvs and toolchains", () => {
  it("shows the interpreter's install named by pyvenv.cfg (a prefix with its standard library)", async () => {
    const home = scratchDir("nanocoder-deps-home-");
    writeFiles(home, { ".pyenv/versions/3.11.7/lib/python3.11/os.py": "", ".pyenv/versions/3.11.7/bin/python3": "" });
    const repo = createRepo({ ".gitignore": ".venv/\n" });
    writeFiles(repo, { ".venv/pyvenv.cfg": `home = ${home}/.pyenv/versions/3.11.7/bin\nversion = 3.11.7\n` });
    const folders = [{ path: ".venv", root: repo }];
    expect(await rootVirtualenv(folders)).toBe(join(repo, ".venv"));
    expect(await foldersToShow(folders, { home, others: [] })).toEqual([join(repo, ".venv"), realpathSync(join(home, ".pyenv/versions/3.11.7"))]);
  });

  it("shows no folder a pyvenv.cfg names that is not a Python install, nor one holding the home", () => {
    const home = scratchDir("nanocoder-deps-home-");
    writeFiles(home, { ".npm/_cacache/x": "", ".pyenv/versions/3.12.1/lib/python3.12/os.py": "", "lib/python3.11/os.py": "" });
    const kept = { home, others: [] };
    expect(pythonInstall(join(home, ".pyenv/versions/3.12.1/bin"), kept)).toBe(realpathSync(join(home, ".pyenv/versions/3.12.1")));
    expect(pythonInstall(join(home, ".npm"), kept)).toBeUndefined();
    expect(pythonInstall(join(home, ".npm/bin"), kept)).toBeUndefined();
    expect(pythonInstall(join(home, "bin"), kept)).toBeUndefined();
  });

  it("follows links before deciding: a prefix that leads to / or to a folder holding the home is not shown", () => {
    const home = scratchDir("nanocoder-deps-home-");
    const elsewhere = scratchDir("nanocoder-deps-links-");
    symlinkSync("/", join(elsewhere, "root"));
    symlinkSync(home, join(elsewhere, "home"));
    writeFiles(home, { "lib/python3.11/os.py": "" });
    expect(pythonInstall(join(elsewhere, "root/bin"), { home, others: [] })).toBeUndefined();
    expect(pythonInstall(join(elsewhere, "home/bin"), { home, others: [] })).toBeUndefined();
    expect(pythonInstall("/usr/bin", { home, others: ["/usr/local"] })).toBeUndefined();
  });

  it("finds the repository folders an editable install points at, from .pth files and setuptools' finder", async () => {
    const repo = createRepo({ ".gitignore": ".venv/\n" });
    writeFiles(repo, {
      ".venv/pyvenv.cfg": "home = /usr/bin\n",
      ".venv/lib/python3.11/site-packages/__editable__.slugger-0.1.pth": `${join(repo, "src")}\n`,
      ".venv/lib/python3.11/site-packages/distutils-precedence.pth": "import os; var = 'x'\n",
      ".venv/lib/python3.11/site-packages/__editable___tools_0_1_finder.py": `import sys\nMAPPING: dict[str, str] = {'tools': '${join(repo, "lib/tools")}', 'outside': '/opt/x/outside'}\n`,
    });
    expect((await editablePaths(join(repo, ".venv"), repo)).sort()).toEqual(["lib", "src"]);
  });

  it("takes the repository itself for a package at its root (the flat layout)", async () => {
    const repo = createRepo({ ".gitignore": ".venv/\n" });
    writeFiles(repo, {
      ".venv/lib/python3.11/site-packages/__editable___slugger_0_1_finder.py": `MAPPING = {'slugger': '${join(repo, "slugger")}'}\n`,
    });
    expect(await editablePaths(join(repo, ".venv"), repo)).toEqual(["."]);
  });

  it("does not take a folder without pyvenv.cfg for a virtualenv", async () => {
    const repo = createRepo({ ".gitignore": "venv/\n" });
    writeFileSync(join(repo, "venv"), "");
    expect(await rootVirtualenv([{ path: "node_modules", root: repo }])).toBeUndefined();
  });
});

describe("installs the repository lacks", () => {
  it("names a lockfile at the root without the folder it installs into, once per folder", async () => {
    const repo = createRepo({ "package-lock.json": "{}", "yarn.lock": "", "uv.lock": "" });
    expect((await missingInstalls(repo, [])).map((entry) => [entry.lockfile, entry.folder, entry.install, entry.hosts])).toEqual([
      ["package-lock.json", "node_modules", "npm ci", ["registry.npmjs.org"]],
      ["uv.lock", ".venv", "uv sync --frozen", ["pypi.org", "files.pythonhosted.org"]],
    ]);
    expect(await missingInstalls(repo, [{ path: "node_modules", root: repo }, { path: ".venv", root: repo }])).toEqual([]);
  });

  it("says a folder that is there but not ignored by git is what the tasks lack, and that ignoring it is the fix, lockfile or not", async () => {
    // A Python project with no lockfile and a .venv git does not ignore, and an npm one with a lockfile.
    const repo = createRepo({ "package-lock.json": "{}", "calc/core.py": "" });
    writeFiles(repo, { "node_modules/yocto-queue/index.js": "export default 1;\n", ".venv/bin/python": "" });
    expect(await missingInstalls(repo, [])).toEqual([]);
    const notIgnored = (path: string) => ({
      path,
      reason: `git does not ignore it, so the tasks, which start from the commit, do not get it and commands and checks will not find what it holds; add ${path}/ to .gitignore: the tasks then share it, read-only`,
      named: false,
    });
    expect((await findDependencies(repo, { detect: true, paths: [] })).skipped).toEqual([notIgnored("node_modules"), notIgnored(".venv")]);
    // Committed with the project, the folder is in every task's checkout: nothing is missing, nothing to say.
    git(repo, "add", "--force", "node_modules");
    expect(await missingInstalls(repo, [])).toEqual([]);
    expect((await findDependencies(repo, { detect: true, paths: [] })).skipped).toEqual([notIgnored(".venv")]);
    git(repo, "rm", "-r", "--cached", "--quiet", "node_modules");
    removeDir(join(repo, "node_modules"));
    expect(describeMissingInstall((await missingInstalls(repo, []))[0] as MissingInstall, "built-in").fix).toMatch(/^run `npm ci` before nanocoder/);
    removeDir(repo);
  });
});
