#!/usr/bin/env node
/**
 * The command's entry: checks the Node version before anything else loads, because an older Node fails
 * while loading the command itself, with a SyntaxError and a stack trace that say nothing of the cause.
 */
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `nanocoder needs Node.js 22.12 or newer; this is Node.js ${process.versions.node} (${process.execPath}).\n` +
      "Install a current Node.js (https://nodejs.org, or nvm install 24), or run it from a clone with `npx nanocoder`, which uses the Node.js 24 that `npm ci` installs.\n",
  );
  process.exit(2);
}
// citty colours help text unless NO_COLOR is set, and decides when it loads: help read from a pipe is plain text.
if (!process.stdout.isTTY && process.env.NO_COLOR === undefined) process.env.NO_COLOR = "1";
await import("./cli.ts");
