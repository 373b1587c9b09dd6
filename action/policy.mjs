// Built by `npm run build:action` from the modules the entries share. Do not edit.
import { t as defineCommand } from "./dist2.mjs";
import { d as INSPECTION_COMMANDS, n as loadPolicy, r as resolveAccesses, s as decide, t as DEFAULT_POLICY_PATH } from "./load.mjs";
import { _ as resolveSandbox, i as findRepoRoot } from "./shard.mjs";
import { r as UserError } from "./errors.mjs";
import { r as rejectUnknownFlags } from "./args.mjs";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { existsSync } from "node:fs";
// src/policy/starter.ts
const CHECK_SCRIPTS = [
	"test",
	"lint",
	"typecheck",
	"check",
	"format",
	"build"
];
function pickScripts(scripts) {
	return CHECK_SCRIPTS.filter((name) => name in scripts);
}
/** What the starter policy is shaped by: the package manager (from the lockfile) and package.json's check scripts. */
async function inspectRepository(dir) {
	const manifest = await readFile(join(dir, "package.json"), "utf8").then((text) => JSON.parse(text), () => void 0);
	if (!manifest) return { scripts: [] };
	return {
		packageManager: existsSync(join(dir, "pnpm-lock.yaml")) ? "pnpm" : existsSync(join(dir, "yarn.lock")) ? "yarn" : "npm",
		scripts: pickScripts(manifest.scripts ?? {})
	};
}
/**
* Programs that change files in the workspace. What each writes is known from its words, so `files.write`
* decides it with or without a sandbox, and the effect check undoes anything else a command changed.
*/
const EDIT_COMMANDS = [
	"mkdir **",
	"touch **",
	"cp **",
	"mv **",
	"rm **",
	"rmdir **",
	"tee **",
	"sed -i **",
	"chmod **",
	"git add **",
	"git restore **",
	"git checkout -- **"
];
/**
* Programs that run the workspace's own code (tests, scripts, build tools): what they read and write cannot
* be known from their words. Inside the sandbox that is safe: denied files are hidden, the network is off
* unless the policy opens it, protected paths are read-only and every write is checked. Without a sandbox
* they could read any file the runner can, so these rules hold only inside it.
*/
const SANDBOXED_COMMANDS = [
	"python **",
	"python3 **",
	"pytest **",
	"node **",
	"npx **",
	"bun **",
	"deno **",
	"make **",
	"awk **",
	"bash *.sh **",
	"sh *.sh **",
	"bash **/*.sh **",
	"sh **/*.sh **",
	"go build **",
	"go test **",
	"go run **",
	"go vet **",
	"cargo build **",
	"cargo test **",
	"cargo run **",
	"cargo check **"
];
/**
* Installs change the environment every later task shares and need the network: they belong in the
* policy's `setup:` (docs/environment.md), not in a task.
*/
const INSTALLS = [
	"pip install **",
	"pip3 install **",
	"python -m pip **",
	"python3 -m pip **",
	"npm install **",
	"npm i **",
	"npm ci **",
	"yarn add **",
	"pnpm add **",
	"pnpm install **",
	"bun add **",
	"bun install **",
	"uv pip **",
	"uv add **",
	"poetry add **"
];
/** A commented policy a maintainer can read top to bottom and tighten or widen on purpose. */
function renderStarterPolicy(facts) {
	const scripts = facts.packageManager ? scriptCommands(facts.packageManager, facts.scripts) : [];
	const quoted = (pattern) => JSON.stringify(pattern);
	const sandboxed = (pattern) => `{ pattern: ${quoted(pattern)}, sandboxed: true }`;
	const sandboxedRules = [...scripts, ...SANDBOXED_COMMANDS].map(sandboxed);
	return `# nanocoder batch policy: decides every tool call of an unattended run.
# Reference: docs/policy.md. Try a decision: nanocoder policy check --command "npm test"
version: 1
default: deny                 # when no rule matches

files:
  read:
    allow: ["**"]
    deny: ["**/.env", "**/.env.*", "**/*.pem", "**/*.key", "**/id_rsa*", "**/id_ed25519*", "**/id_ecdsa*", "**/.npmrc", "**/.netrc"]
  write:
    allow: ["**"]             # narrow this to the folders tasks should change, e.g. ["src/**", "test/**", "docs/**"]
    deny:
      - pattern: ".github/workflows/**"
        reason: "CI workflows are changed by people"
      - "**/.env"
      - "**/.env.*"

commands:                     # every simple command of a shell line must be allowed on its own
  allow: [
    # Looking: these read only what their words name, so files.read decides what they see.
${flowRows(INSPECTION_COMMANDS.map(quoted), 8)}
    # Changing files: what they write is known from their words, so files.write decides it.
${flowRows(EDIT_COMMANDS.map(quoted), 8)}
    # Running the project's code: only inside the sandbox, where denied files are hidden, the network is off
    # and every write is checked (docs/sandbox.md). Without "sandboxed: true" they could read every file.
${flowRows(sandboxedRules, 2)}
  ]
  deny:
    - pattern: "git push **"
      reason: "pushes happen in the release job"
    - pattern: "git commit **"
      reason: "changes are delivered as patches"
${INSTALLS.map((pattern) => `    - { pattern: ${quoted(pattern)}, reason: "installs belong in the policy's setup (docs/environment.md)" }`).join("\n")}

tools:                        # MCP tools of .mcp.json (docs/mcp.md), e.g. allow: [mcp__docs__*]
  allow: []
  deny: []

env:
  pass: []                    # extra environment variables commands may see, e.g. [NODE_OPTIONS]

limits:                       # defaults for every task; a task may only lower them
  max_turns: 50
  max_denials: 20
`;
}
/** Items of a YAML flow sequence, `perLine` to a line, each followed by a comma. */
function flowRows(items, perLine) {
	const lines = [];
	for (let i = 0; i < items.length; i += perLine) lines.push(`    ${items.slice(i, i + perLine).join(", ")},`);
	return lines.join("\n");
}
function scriptCommands(manager, scripts) {
	return scripts.flatMap((name) => {
		if (manager === "npm" && name === "test") return ["npm test", "npm test -- **"];
		const run = manager === "yarn" ? `yarn ${name}` : `${manager} run ${name}`;
		return [run, `${run} -- **`];
	});
}
// src/cli/commands/policy.ts
const checkArgs = {
	policy: {
		type: "string",
		description: "Policy file (default .nanocoder/policy.yaml when present, else the built-in policy)",
		valueHint: "FILE"
	},
	workspace: {
		type: "string",
		description: "Folder paths are resolved in, symlinks included (default: the current folder)",
		valueHint: "DIR"
	},
	command: {
		type: "string",
		description: "A shell command, as execute_bash would run it",
		valueHint: "CMD"
	},
	read: {
		type: "string",
		description: "A path a tool would read",
		valueHint: "PATH"
	},
	write: {
		type: "string",
		description: "A path a tool would write",
		valueHint: "PATH"
	},
	tool: {
		type: "string",
		description: "A tool name",
		valueHint: "NAME"
	},
	args: {
		type: "string",
		description: "With --tool: the call's arguments as a JSON object, for rules with `when`",
		valueHint: "JSON"
	},
	sandbox: {
		type: "string",
		description: "Decide as with the sandbox on or off (default: as a run here would, by sandbox.mode and whether bubblewrap works)",
		valueHint: "on|off"
	},
	json: {
		type: "boolean",
		description: "Print the decision trace as JSON"
	}
};
const check = defineCommand({
	meta: {
		name: "check",
		description: "Show how the policy decides one command, path or tool; exit 0 allow, 1 deny"
	},
	args: checkArgs,
	async run({ args, rawArgs }) {
		rejectUnknownFlags(rawArgs, checkArgs);
		const access = withArguments(requestedAccess(args), args.args);
		const workspace = await existingFolder(args.workspace);
		const repoRoot = await findRepoRoot(process.cwd()).catch(() => void 0);
		const policy = await loadPolicy({
			explicitPath: args.policy,
			cwd: process.cwd(),
			repoRoot
		});
		for (const warning of policy.warnings ?? []) process.stderr.write(`${warning}\n`);
		const sandboxed = await sandboxedHere(args.sandbox, policy);
		const decision = await resolveAccesses(toolFor(access), [access], workspace, sandboxed).then((request) => decide(policy, request), (error) => ({
			decision: "deny",
			reason: error instanceof Error ? error.message : String(error),
			rule: "workspace"
		}));
		const trace = {
			decision: decision.decision,
			reason: decision.reason,
			rule: decision.rule,
			segments: decision.segments ?? []
		};
		process.stdout.write(args.json ? `${JSON.stringify(trace, null, 2)}\n` : `${decision.decision}: ${decision.reason} [${decision.rule}]\n`);
		return decision.decision === "allow" ? "succeeded" : "failed";
	}
});
function requestedAccess(args) {
	const given = [
		...args.command !== void 0 ? [{
			kind: "command",
			command: args.command
		}] : [],
		...args.read !== void 0 ? [{
			kind: "read",
			path: args.read
		}] : [],
		...args.write !== void 0 ? [{
			kind: "write",
			path: args.write
		}] : [],
		...args.tool !== void 0 ? [{
			kind: "tool",
			name: args.tool
		}] : []
	];
	const [access] = given;
	if (!access || given.length > 1) throw new UserError("policy check: give exactly one of --command, --read, --write or --tool", "E_USAGE");
	const empty = Object.entries({
		command: args.command,
		read: args.read,
		write: args.write,
		tool: args.tool
	}).find(([, value]) => value !== void 0 && value.trim() === "");
	if (empty) throw new UserError(`policy check: --${empty[0]} needs a value, e.g. ${EXAMPLES[empty[0]] ?? ""}`, "E_USAGE");
	return access;
}
/** `--args JSON` with `--tool`: the arguments rules with `when` look at. */
function withArguments(access, json) {
	if (json === void 0) return access;
	if (access.kind !== "tool") throw new UserError("policy check: --args goes with --tool, e.g. --tool mcp__github__create_issue --args '{\"repo\": \"me/site\"}'", "E_USAGE");
	let parsed;
	try {
		parsed = JSON.parse(json);
	} catch (error) {
		throw new UserError(`policy check: --args is not valid JSON (${error instanceof Error ? error.message : String(error)}); give one JSON object`, "E_USAGE");
	}
	if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new UserError("policy check: --args must be a JSON object, e.g. '{\"repo\": \"me/site\"}'", "E_USAGE");
	return {
		...access,
		arguments: parsed
	};
}
const EXAMPLES = {
	command: "--command \"npm test\"",
	read: "--read src/index.ts",
	write: "--write src/index.ts",
	tool: "--tool fetch_url"
};
/** `--workspace DIR` (default: the current folder), which must be an existing folder. */
async function existingFolder(given) {
	const folder = resolve(given ?? process.cwd());
	const stats = await stat(folder).catch(() => void 0);
	if (!stats?.isDirectory()) throw new UserError(`policy check: --workspace ${given ?? ""}: ${stats ? "not a folder" : "no such folder"}; give the folder paths are resolved in (default: the current folder)`, "E_USAGE");
	return folder;
}
/** `--sandbox on|off`, else whether a run on this machine would put commands in the sandbox. */
async function sandboxedHere(given, policy) {
	if (given === "on" || given === "off") return given === "on";
	if (given !== void 0) throw new UserError(`policy check: --sandbox ${given}: expected on or off`, "E_USAGE");
	return (await resolveSandbox(policy.sandbox)).status.active;
}
function toolFor(access) {
	if (access.kind === "command") return "execute_bash";
	if (access.kind === "tool") return access.name;
	return access.kind === "read" ? "read_file" : "write_file";
}
const init = defineCommand({
	meta: {
		name: "init",
		description: `Write a commented starter policy to ${DEFAULT_POLICY_PATH}`
	},
	args: { force: {
		type: "boolean",
		description: "Overwrite an existing policy file"
	} },
	async run({ args, rawArgs }) {
		rejectUnknownFlags(rawArgs, { force: { type: "boolean" } });
		const path = join(process.cwd(), DEFAULT_POLICY_PATH);
		if (existsSync(path) && !args.force) throw new UserError(`${DEFAULT_POLICY_PATH} already exists; pass --force to overwrite it`, "E_USAGE");
		await mkdir(dirname(path), { recursive: true });
		await writeFile(path, renderStarterPolicy(await inspectRepository(process.cwd())));
		process.stdout.write(`wrote ${DEFAULT_POLICY_PATH}; try: nanocoder policy check --command "git status"\n`);
		return "succeeded";
	}
});
var policy_default = defineCommand({
	meta: {
		name: "policy",
		description: "Check decisions of a policy, or write a starter policy"
	},
	subCommands: {
		check,
		init
	}
});
export { policy_default as default };
