/**
 * Real projects with installed dependencies, made offline: npm packages packed into tarballs inside the
 * repository (`vendor/*.tgz`, referenced as `file:` dependencies) and installed by the real npm, and a
 * Python virtualenv made by the `python3` on PATH with a package installed in it.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRepo, git, removeDir, writeFiles } from "./repo.ts";

/** A package folder packed by `npm pack` into `destination`; returns the tarball's file name. */
export function packPackage(destination: string, name: string, version: string, files: Record<string, string>, extra: object = {}): string {
  const folder = mkdtempSync(join(tmpdir(), "nanocoder-test-pkg-"));
  try {
    writeFiles(folder, { ...files, "package.json": JSON.stringify({ name, version, type: "module", main: "index.js", ...extra }, null, 2) });
    execFileSync("npm", ["pack", "--silent", "--pack-destination", destination], { cwd: folder, stdio: "ignore" });
  } finally {
    removeDir(folder);
  }
  return readdirSync(destination).find((file) => file === `${name}-${version}.tgz`) ?? `${name}-${version}.tgz`;
}

/** `greet`: the runtime dependency the project's code imports; `version` shows in what it returns. */
export const greetPackage = (version: string) => ({
  "index.js": `export function greet(name) { return "Hello, " + name + "! (greet ${version})"; }\n`,
});

/**
 * `mini-test`: a devDependency with a bin, the project's test runner. It runs every `*.test.js` in the
 * folders given and exits 1 when one throws, like a real runner from node_modules/.bin.
 */
export const miniTestPackage = {
  "cli.js": [
    "#!/usr/bin/env node",
    'import { readdirSync } from "node:fs";',
    'import { join, resolve } from "node:path";',
    "let failed = 0;",
    "for (const folder of process.argv.slice(2)) {",
    '  for (const file of readdirSync(folder).filter((name) => name.endsWith(".test.js"))) {',
    "    try { await import(resolve(join(folder, file))); console.log(`ok ${file}`); }",
    "    catch (error) { failed++; console.log(`FAIL ${file}: ${error.message}`); }",
    "  }",
    "}",
    "process.exit(failed ? 1 : 0);",
    "",
  ].join("\n"),
};

export interface NpmProjectOptions {
  /** Run `npm install` in the repository, as a user who installed the dependencies did. */
  install: boolean;
  greetVersion?: string;
  /** Extra files to commit. */
  files?: Record<string, string>;
  scripts?: Record<string, string>;
}

/**
 * A committed npm project: `src/hello.js` imports `greet`, `test/hello.test.js` checks it, `npm test` runs
 * `mini-test` from node_modules/.bin. node_modules is gitignored, as everywhere.
 */
export function createNpmProject({ install, greetVersion = "1.0.0", files = {}, scripts = {} }: NpmProjectOptions): string {
  const repo = createRepo({ ".gitignore": "node_modules/\n", README: "demo\n" });
  packInto(repo, greetVersion);
  writeFiles(repo, {
    "package.json": JSON.stringify({
      name: "hello-project",
      version: "1.0.0",
      private: true,
      type: "module",
      scripts: { test: "mini-test test", ...scripts },
      dependencies: { greet: `file:vendor/greet-${greetVersion}.tgz` },
      devDependencies: { "mini-test": "file:vendor/mini-test-1.0.0.tgz" },
    }, null, 2),
    "src/hello.js": 'import { greet } from "greet";\nexport const hello = () => greet("world");\n',
    "test/hello.test.js": 'import { hello } from "../src/hello.js";\nif (!hello().startsWith("Hello, world!")) throw new Error("unexpected: " + hello());\n',
    ...files,
  });
  npmInstall(repo, "install");
  if (!install) removeDir(join(repo, "node_modules"));
  git(repo, "add", "--all");
  git(repo, "commit", "--quiet", "-m", "project");
  return repo;
}

/** Packs `greet` at `version` (and mini-test) into the repository's vendor folder. */
export function packInto(repo: string, greetVersion: string): void {
  const vendor = join(repo, "vendor");
  writeFiles(repo, { "vendor/.keep": "" });
  packPackage(vendor, "greet", greetVersion, greetPackage(greetVersion));
  packPackage(vendor, "mini-test", "1.0.0", miniTestPackage, { bin: { "mini-test": "cli.js" } });
}

/** `npm install` or `npm ci`, offline: every dependency is a tarball in the repository. */
export function npmInstall(repo: string, command: "install" | "ci"): void {
  execFileSync("npm", [command, "--offline", "--no-audit", "--no-fund", "--silent"], { cwd: repo, stdio: "ignore" });
}
