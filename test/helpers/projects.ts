/**
 * Real projects with installed dependencies, made offline: npm packages packed into tarballs inside the
 * repository (`vendor/*.tgz`, referenced as `file:` dependencies) and installed by the real npm, and a
 * Python virtualenv made by the `python3` on PATH with a package installed in it.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { createRepo, writeFiles } from "./repo.ts";

/** The modification time `npm pack` gives every entry (1985-10-26T08:15:00Z), so a package packs to the same bytes. */
const NPM_PACK_MTIME = 499162500;

/** One ustar entry: a 512-byte header, then the content padded to whole blocks. */
function tarEntry(path: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) => header.write(value, offset, length, "ascii");
  const octal = (offset: number, length: number, value: number) => field(offset, length, `${value.toString(8).padStart(length - 1, "0")}\0`);
  field(0, 100, path);
  octal(100, 8, 0o644);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, content.length);
  octal(136, 12, NPM_PACK_MTIME);
  field(148, 8, " ".repeat(8));
  field(156, 1, "0");
  field(257, 8, "ustar\u000000");
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  field(148, 8, `${checksum.toString(8).padStart(6, "0")}\0 `);
  return Buffer.concat([header, content, Buffer.alloc((512 - (content.length % 512)) % 512)]);
}

/**
 * A package's tarball laid out as `npm pack` makes it (each file under `package/`, mode 644, npm's fixed time),
 * made in this process: an `npm pack` costs about a second of CPU.
 */
function packedTarball(name: string, version: string, files: Record<string, string>, extra: object = {}): Buffer {
  const all = { ...files, "package.json": JSON.stringify({ name, version, type: "module", main: "index.js", ...extra }, null, 2) };
  const entries = Object.entries(all).sort(([a], [b]) => a.localeCompare(b)).map(([path, content]) => tarEntry(`package/${path}`, Buffer.from(content)));
  return gzipSync(Buffer.concat([...entries, Buffer.alloc(1024)]));
}

/** The files of a gzipped tarball, by their paths in it (regular files only, as npm packs them). */
export function tarballFiles(tarball: Buffer): Record<string, Buffer> {
  const tar = gunzipSync(tarball);
  const files: Record<string, Buffer> = {};
  const text = (offset: number, length: number) => tar.toString("ascii", offset, offset + length).replace(/\0.*$/s, "");
  for (let at = 0; at + 512 <= tar.length && tar[at] !== 0; ) {
    const size = Number.parseInt(text(at + 124, 12).trim() || "0", 8);
    const prefix = text(at + 345, 155);
    if (["0", ""].includes(text(at + 156, 1))) files[(prefix ? `${prefix}/` : "") + text(at, 100)] = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
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

const MINI_TEST_BIN = { bin: { "mini-test": "cli.js" } };

/** The tarballs of greet at `greetVersion` and of mini-test, by their paths in the repository (vendor/). */
function vendorTarballs(greetVersion: string): Record<string, Buffer> {
  return {
    [`vendor/greet-${greetVersion}.tgz`]: packedTarball("greet", greetVersion, greetPackage(greetVersion)),
    "vendor/mini-test-1.0.0.tgz": packedTarball("mini-test", "1.0.0", miniTestPackage, MINI_TEST_BIN),
  };
}

/**
 * The project's package-lock.json for greet at `greetVersion`, as `npm install` writes it (the same bytes),
 * made here: the integrity of each tarball is what `npm ci` checks it against, so a wrong lockfile fails the
 * install that reads it.
 */
export function packageLock(greetVersion: string): string {
  const integrity = (tarball: Buffer | undefined) => `sha512-${createHash("sha512").update(tarball ?? "").digest("base64")}`;
  const tarballs = vendorTarballs(greetVersion);
  const greet = `file:vendor/greet-${greetVersion}.tgz`;
  const miniTest = "file:vendor/mini-test-1.0.0.tgz";
  return `${JSON.stringify({
    name: "hello-project",
    version: "1.0.0",
    lockfileVersion: 3,
    requires: true,
    packages: {
      "": { name: "hello-project", version: "1.0.0", dependencies: { greet }, devDependencies: { "mini-test": miniTest } },
      "node_modules/greet": { version: greetVersion, resolved: greet, integrity: integrity(tarballs[greet.slice(5)]) },
      "node_modules/mini-test": { version: "1.0.0", resolved: miniTest, integrity: integrity(tarballs[miniTest.slice(5)]), dev: true, ...MINI_TEST_BIN },
    },
  }, null, 2)}\n`;
}

export interface NpmProjectOptions {
  /** Run `npm ci` in the repository, as a user who installed the dependencies did. */
  install: boolean;
  greetVersion?: string;
  /** Extra files to commit. */
  files?: Record<string, string>;
  scripts?: Record<string, string>;
}

/**
 * A committed npm project: `src/hello.js` imports `greet`, `test/hello.test.js` checks it, `npm test` runs
 * `mini-test` from node_modules/.bin. node_modules is gitignored, as everywhere. Tarballs and lockfile are made
 * in this process and committed at once; only the install is npm's.
 */
export function createNpmProject({ install, greetVersion = "1.0.0", files = {}, scripts = {} }: NpmProjectOptions): string {
  const repo = createRepo({
    ".gitignore": "node_modules/\n",
    README: "demo\n",
    ...vendorTarballs(greetVersion),
    "package.json": JSON.stringify({
      name: "hello-project",
      version: "1.0.0",
      private: true,
      type: "module",
      scripts: { test: "mini-test test", ...scripts },
      dependencies: { greet: `file:vendor/greet-${greetVersion}.tgz` },
      devDependencies: { "mini-test": "file:vendor/mini-test-1.0.0.tgz" },
    }, null, 2),
    "package-lock.json": packageLock(greetVersion),
    "src/hello.js": 'import { greet } from "greet";\nexport const hello = () => greet("world");\n',
    "test/hello.test.js": 'import { hello } from "../src/hello.js";\nif (!hello().startsWith("Hello, world!")) throw new Error("unexpected: " + hello());\n',
    ...files,
  });
  if (install) npmInstall(repo, "ci");
  return repo;
}

/** Packs `greet` at `version` (and mini-test) into the repository's vendor folder. */
export function packInto(repo: string, greetVersion: string): void {
  writeFiles(repo, vendorTarballs(greetVersion));
}

/** `npm install` or `npm ci`, offline: every dependency is a tarball in the repository. */
export function npmInstall(repo: string, command: "install" | "ci"): void {
  execFileSync("npm", [command, "--offline", "--no-audit", "--no-fund", "--silent"], { cwd: repo, stdio: "ignore" });
}
