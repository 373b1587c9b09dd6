#!/usr/bin/env node
// Built by `npm run build:action` from src/cli/main.ts. Do not edit.
// src/cli/main.ts
/**
* The command's entry: checks the Node version before anything else loads, because an older Node fails
* while loading the command itself, with a SyntaxError and a stack trace that say nothing of the cause.
*/
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 22 || major === 22 && minor < 12) {
	process.stderr.write(`nanocoder needs Node.js 22.12 or newer; this is Node.js ${process.versions.node} (${process.execPath}).\nInstall a current Node.js (https://nodejs.org, or nvm install 24), or run it from a clone with \`npx nanocoder\`, which uses the Node.js 24 that \`npm ci\` installs.
`);
	process.exit(2);
}
if (!process.stdout.isTTY && process.env.NO_COLOR === void 0) process.env.NO_COLOR = "1";
await import("./cli.mjs");
export {};
