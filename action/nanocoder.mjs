#!/usr/bin/env node
// Built by `npm run build:action` from src/cli/main.ts. Do not edit.
// src/cli/main.ts
/**
* The command's entry: checks the Node version before anything else loads, because an older Node fails
* while loading the command itself, with a SyntaxError and a stack trace that say nothing of the cause.
*/
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 22 || major === 22 && minor < 12) {
	const { existsSync } = await import("node:fs");
	const { fileURLToPath } = await import("node:url");
	const clone = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
	const cloneNode = `${clone}/node_modules/.bin/node`;
	const fix = existsSync(cloneNode) ? `Use the clone's own Node.js 24: alias nanocoder="${cloneNode} ${clone}/dist/cli/main.js", or install Node.js 22.12 or newer (https://nodejs.org, or nvm install 24).` : "Install Node.js 22.12 or newer (https://nodejs.org, or nvm install 24).";
	process.stderr.write(`nanocoder needs Node.js 22.12 or newer; this is Node.js ${process.versions.node} (${process.execPath}).\n${fix}\n`);
	process.exit(2);
}
const { enableCompileCache } = await import("node:module");
enableCompileCache();
if (!process.stdout.isTTY && process.env.NO_COLOR === void 0) process.env.NO_COLOR = "1";
await import("./cli.mjs");
export {};
