// Built by `npm run build:action` from the modules the entries share. Do not edit.
import { t as defineCommand } from "./dist2.mjs";
import { n as execa } from "./execa.mjs";
import { g as resolveProvider, h as loadConfig, i as resolvePathsAsWritten, m as findConfigFile, n as loadPolicy, p as builtinPolicy, s as decide, u as offeredTools } from "./load.mjs";
import { i as serverNeverAllowed, n as probeProvider, r as commandEnv, t as describeProbe } from "./probe.mjs";
import { _ as resolveSandbox, h as describeNetwork, i as findRepoRoot, m as UNCONFINED, p as DEFAULT_SANDBOX, v as probeBwrap } from "./shard.mjs";
import { i as describeMissingInstall, n as refuseRunnerCredentials, o as findDependencies, t as loadMcpServers, u as missingInstalls } from "./config.mjs";
import { a as runArgs, r as rejectUnknownFlags } from "./args.mjs";
import { n as serverPrefix } from "./names.mjs";
import { homedir } from "node:os";
// src/mcp/inspect.ts
/**
* Starts each server as a task would (in `folder`, in the sandbox, with the policy's variables, network off
* for a host list: doctor runs no proxy), lists its tools and sorts them by what the policy says of a call
* without arguments. Never throws.
*/
async function inspectServers(servers, policy, sandbox, folder, env, runnerEnv) {
	if (servers.length === 0) return [];
	return Promise.all(servers.map((server) => inspectServer(server, policy, sandbox, folder, env, runnerEnv)));
}
async function inspectServer(server, policy, sandbox, folder, env, runnerEnv) {
	const never = serverNeverAllowed(policy, serverPrefix(server.name));
	if (never) return {
		server: server.name,
		level: "warn",
		text: `not started: ${never}`
	};
	const started = Date.now();
	const settings = policy.mcp?.servers[server.name];
	try {
		const { startMcpSession } = await import("./session.mjs");
		const session = await startMcpSession([server], {
			workspace: folder,
			taken: [],
			redact: (text) => text,
			signal: AbortSignal.timeout(server.timeoutMs + 5e3),
			async launch(stdio) {
				const wrap = await sandbox.wrapperFor(folder, {
					network: settings?.network === true,
					readOnly: settings?.read ?? []
				});
				const named = Object.fromEntries((settings?.env ?? []).flatMap((name) => {
					const value = stdio.env[name] ?? runnerEnv[name];
					return value === void 0 ? [] : [[name, value]];
				}));
				const final = {
					...env,
					...named
				};
				refuseRunnerCredentials(stdio, final, runnerEnv);
				return {
					wrap,
					env: final
				};
			}
		});
		const tools = session.tools;
		await session.close();
		const request = (tool) => resolvePathsAsWritten(tool.name, [{
			kind: "tool",
			name: tool.name,
			...tool.writtenAs === void 0 ? {} : { writtenAs: tool.writtenAs }
		}]);
		const decidedBy = (rules, tool) => decide({
			...policy,
			tools: rules
		}, request(tool)).decision;
		const offered = offeredTools(policy, tools);
		const allowed = offered.filter((tool) => decide(policy, request(tool)).decision === "allow");
		const narrowed = allowed.filter((tool) => policy.tools.deny.some((rule) => rule.when !== void 0 && decidedBy({
			allow: policy.tools.allow,
			deny: [{
				...rule,
				when: void 0
			}]
		}, tool) === "deny"));
		const byArguments = offered.filter((tool) => !allowed.includes(tool) && policy.tools.allow.some((rule) => rule.when !== void 0 && decidedBy({
			allow: [{
				...rule,
				when: void 0
			}],
			deny: []
		}, tool) === "allow"));
		const denied = tools.filter((tool) => !allowed.includes(tool) && !byArguments.includes(tool));
		const plainly = allowed.filter((tool) => !narrowed.includes(tool));
		const where = sandbox.status.active ? "in the sandbox" : "WITHOUT a sandbox";
		const parts = [
			`${plainly.length} allowed${list(plainly)}`,
			...narrowed.length ? [`${narrowed.length} allowed but for some arguments${list(narrowed)}`] : [],
			...byArguments.length ? [`${byArguments.length} allowed for some arguments${list(byArguments)}`] : [],
			`${denied.length} denied${list(denied)}`
		];
		return {
			server: server.name,
			level: allowed.length + byArguments.length > 0 ? "ok" : "warn",
			text: `starts ${where} (${server.transport}, ${Date.now() - started} ms); ${tools.length} tools: ${parts.join("; ")}`
		};
	} catch (error) {
		return {
			server: server.name,
			level: "FAIL",
			text: error instanceof Error ? error.message : String(error)
		};
	}
}
/** The first tools of a list by the names their server gives them; a renamed one with the name the model and events see. */
function list(tools) {
	if (tools.length === 0) return "";
	return ` (${tools.slice(0, 8).map((tool) => {
		const own = tool.mcp?.tool ?? tool.name;
		return tool.writtenAs === void 0 ? own : `${own} as ${tool.name}`;
	}).join(", ")}${tools.length > 8 ? ", …" : ""})`;
}
// src/cli/commands/doctor.ts
const doctorArgs = {
	config: runArgs.config,
	policy: runArgs.policy,
	provider: runArgs.provider,
	model: runArgs.model,
	"base-url": runArgs["base-url"]
};
var doctor_default = defineCommand({
	meta: {
		name: "doctor",
		description: "Check this machine: git, the provider, the policy and the command sandbox; exit 0 when all is fine"
	},
	args: doctorArgs,
	async run({ args, rawArgs }) {
		rejectUnknownFlags(rawArgs, doctorArgs);
		const cwd = process.cwd();
		const policy = await loadPolicy({
			explicitPath: args.policy,
			cwd
		}).catch((error) => error instanceof Error ? error : new Error(String(error)));
		const findings = [
			await checkGit(),
			await checkProvider(args, cwd),
			...checkPolicy(policy),
			await checkSandbox(policy instanceof Error ? void 0 : policy),
			...await checkDependencies(policy instanceof Error ? void 0 : policy, cwd),
			...await checkMcpServers(policy instanceof Error ? void 0 : policy, cwd)
		];
		for (const { level, subject, text, fix } of findings) process.stdout.write(`${level.padEnd(4)}  ${subject}: ${text}\n${fix ? `      fix: ${fix}\n` : ""}`);
		return findings.some((finding) => finding.level === "FAIL") ? "failed" : "succeeded";
	}
});
async function checkGit() {
	const result = await execa("git", ["--version"], { reject: false });
	if (result.exitCode === 0) return {
		level: "ok",
		subject: "git",
		text: result.stdout.trim()
	};
	return {
		level: "FAIL",
		subject: "git",
		text: `not usable: ${(result.shortMessage ?? "").split("\n")[0] ?? ""}`,
		fix: "install git"
	};
}
/** The same probe as the provider check before a run (provider/probe.ts), without a model: the server and the key. */
async function checkProvider(args, cwd) {
	try {
		const configPath = findConfigFile({
			explicitPath: args.config,
			cwd,
			home: homedir(),
			env: process.env
		});
		const config = configPath ? await loadConfig(configPath, process.env, { cwd }) : void 0;
		const flags = {
			provider: args.provider,
			baseUrl: args["base-url"],
			model: args.model ?? "doctor"
		};
		const { provider, fixAt } = resolveProvider({
			config,
			flags,
			env: process.env
		});
		const result = await probeProvider(provider);
		const { text, fix } = describeProbe(result, provider, fixAt);
		return {
			level: result.verdict === "ok" ? "ok" : "FAIL",
			subject: `provider ${provider.name}`,
			text,
			...fix ? { fix } : {}
		};
	} catch (error) {
		return {
			level: "FAIL",
			subject: "provider",
			text: error instanceof Error ? error.message : String(error)
		};
	}
}
function checkPolicy(policy) {
	if (policy instanceof Error) return [{
		level: "FAIL",
		subject: "policy",
		text: policy.message
	}];
	const { source, warnings = [] } = policy;
	return [{
		level: "ok",
		subject: "policy",
		text: `${source} loads`
	}, ...warnings.map((warning) => ({
		level: "warn",
		subject: "policy",
		text: warning
	}))];
}
async function checkSandbox(policy) {
	const settings = policy?.sandbox ?? DEFAULT_SANDBOX;
	if (settings.mode === "none" && settings.required) return {
		level: "FAIL",
		subject: "sandbox",
		text: "the policy says sandbox.required true but sandbox.mode none; runs would stop before any command",
		fix: "set sandbox.mode to auto or bwrap"
	};
	if (settings.mode === "none") return {
		level: "warn",
		subject: "sandbox",
		text: `off: the policy says sandbox.mode none; commands run unconfined: ${UNCONFINED}`
	};
	const probe = await probeBwrap();
	if (!probe.ok) {
		const effect = settings.mode === "auto" && !settings.required ? `commands would run WITHOUT a sandbox: ${UNCONFINED}${sandboxOnlyNote(policy)}` : "runs would stop before any command";
		return {
			level: "FAIL",
			subject: "sandbox",
			text: `${probe.reason}; ${effect}`,
			fix: probe.fix
		};
	}
	return {
		level: "ok",
		subject: "sandbox",
		text: `bubblewrap works (${probe.bwrap}); commands run ${describeNetwork(settings.network)}`
	};
}
/** The policy's allow rules that hold only in the sandbox, which refuse their commands without one. */
function sandboxOnlyNote(policy) {
	const rules = policy?.commands.allow.filter((rule) => rule.sandboxed) ?? [];
	if (rules.length === 0) return "";
	const shown = rules.slice(0, 3).map((rule) => `"${rule.pattern}"`).join(", ");
	return `; the policy's ${rules.length} allow rule(s) marked sandboxed (${shown}${rules.length > 3 ? ", …" : ""}) will refuse their commands`;
}
/** Which installed dependencies tasks will see here, and installs the repository lacks. */
async function checkDependencies(policy, cwd) {
	const repoRoot = await findRepoRoot(cwd).catch(() => void 0);
	if (!repoRoot) return [];
	const { folders, skipped } = await findDependencies(repoRoot, policy?.dependencies ?? {
		detect: true,
		paths: []
	});
	const setup = policy?.setup?.run ?? [];
	const findings = [];
	if (folders.length > 0) findings.push({
		level: "ok",
		subject: "dependencies",
		text: `tasks see ${folders.map((folder) => folder.path).join(", ")} (read-only, from the repository)`
	});
	for (const { path, reason, named } of skipped) findings.push({
		level: "warn",
		subject: "dependencies",
		text: `${named ? "dependencies.paths: " : ""}${path} is not shared: ${reason}`
	});
	if (setup.length > 0) findings.push({
		level: "ok",
		subject: "setup",
		text: `each worktree runs ${setup.map((command) => `\`${command}\``).join(", ")} before its first task`
	});
	else for (const missing of await missingInstalls(repoRoot, folders)) {
		const { problem, fix } = describeMissingInstall(missing, policy?.source ?? "built-in");
		findings.push({
			level: "warn",
			subject: "dependencies",
			text: problem,
			fix
		});
	}
	if (folders.length === 0 && setup.length === 0 && findings.length === 0) findings.push({
		level: "ok",
		subject: "dependencies",
		text: "none installed, none needed (no installed folder and no lockfile at the root)"
	});
	return findings;
}
/** Each MCP server of .mcp.json: whether it starts, its tools, and what the policy allows of them (docs/mcp.md). */
async function checkMcpServers(policy, cwd) {
	try {
		const projectRoot = await findRepoRoot(cwd).catch(() => void 0) ?? cwd;
		const servers = await loadMcpServers({
			projectRoot,
			home: homedir(),
			env: process.env,
			cwd
		});
		if (servers.length === 0) return [];
		const effective = policy ?? builtinPolicy;
		const sandbox = await resolveSandbox(effective.sandbox);
		const { HOME: _home, ...env } = commandEnv(process.env, []);
		return (await inspectServers(servers, effective, sandbox, projectRoot, env, process.env)).map(({ server, level, text }) => ({
			level,
			subject: `mcp ${server}`,
			text
		}));
	} catch (error) {
		return [{
			level: "FAIL",
			subject: "mcp",
			text: error instanceof Error ? error.message : String(error)
		}];
	}
}
export { doctor_default as default };
