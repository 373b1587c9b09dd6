#!/usr/bin/env node
/**
 * The command's entry: checks the Node version before anything else loads, because an older Node fails
 * while loading the command itself, with a SyntaxError and a stack trace that say nothing of the cause.
 */
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  // Run from a clone after `npm ci`, the clone's own Node.js 24 is at hand: an alias to it works from any folder
  // (`npx nanocoder` would not: outside the clone npx looks for a package of that name).
  const { existsSync } = await import("node:fs");
  const { fileURLToPath } = await import("node:url");
  const clone = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
  const cloneNode = `${clone}/node_modules/.bin/node`;
  const fix = existsSync(cloneNode)
    ? `Use the clone's own Node.js 24: alias nanocoder="${cloneNode} ${clone}/dist/cli/main.js", or install Node.js 22.12 or newer (https://nodejs.org, or nvm install 24).`
    : "Install Node.js 22.12 or newer (https://nodejs.org, or nvm install 24).";
  process.stderr.write(`nanocoder needs Node.js 22.12 or newer; this is Node.js ${process.versions.node} (${process.execPath}).\n${fix}\n`);
  process.exit(2);
}
// V8's code cache on disk (os.tmpdir()/node-compile-cache), enabled before the rest of the command loads so
// that all of it, and the modules a command imports (openai, zod, yaml, execa, the price table...), is compiled
// once per machine, not on every start. NODE_DISABLE_COMPILE_CACHE=1 turns it off; a failure to write the cache
// is silent. Imported here, after the version check: older Node has no enableCompileCache to import.
const { enableCompileCache } = await import("node:module");
enableCompileCache();
// citty colours help text unless NO_COLOR is set, and decides when it loads: help read from a pipe is plain text.
if (!process.stdout.isTTY && process.env.NO_COLOR === undefined) process.env.NO_COLOR = "1";
await import("./cli.ts");
