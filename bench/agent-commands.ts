/**
 * Issue 13, part 5: how the policies decide shell commands that real coding agents ran on real repositories.
 *
 *   node bench/agent-commands.ts [--raw] [--policy FILE]... [--list-refused] [--json FILE]
 *
 * bench/agent-commands.jsonl holds the commands, each classified beforehand as ordinary, risky or unsure (its
 * first line states the rule). Every command is decided in-process, as execute_bash decides it (parse, workspace
 * facts, decide: what `nanocoder policy check --command` prints), under
 *   - the built-in policy (src/policy/default.ts),
 *   - the starter policy that `nanocoder policy init` writes for that workspace (src/policy/starter.ts),
 *   - any policy file given with --policy (e.g. a maintainer's policy).
 * Each repository gets its own temporary git workspace: a small Python layout (setup.py, setup.cfg,
 * pyproject.toml, tests/, docs/, ...), a package.json with test/lint/build scripts where its commands use
 * npm, bun, yarn or vitest, and every relative path its commands name (folders for `ls src/x/`, files for
 * `cat a/b.py`). The agent's own workspace folder in that run (`root`: /testbed, /workspace/<repo>, ...) is
 * rewritten to the temporary workspace, as the model would see its worktree; --raw keeps the commands as
 * recorded. Decisions do not depend on the sandbox today; the sandbox and the effect check are what make a
 * generous policy safe (docs/sandbox.md).
 *
 * Prints, per policy: the share of ordinary commands refused, how many risky and unsure ones are allowed, the
 * same per agent, the 20 most common reasons ordinary work is refused (grouped by rule and mechanic: "first"
 * counts the reason the decision gives, "in" counts the ordinary commands with any refused segment of that
 * kind), and every risky command allowed. A last row, "probe: starter + allow **", keeps the starter's file
 * rules but allows every program by a rule: what it still refuses is the checker's own mechanics (shell
 * expansions, what the parser skips, links, redirects after `cd`, paths outside the workspace), which no allow
 * rule fixes, and hardened options (`sed -i`, `find -exec`), which only a rule naming the option does. It is a
 * measuring device, not a policy: it allows most risky commands. --list-refused prints each refused ordinary
 * command with its reason; --json FILE writes every decision.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { decide } from "../src/policy/decide.ts";
import { builtinPolicy } from "../src/policy/default.ts";
import { parsePolicy } from "../src/policy/load.ts";
import { loadShellParser } from "../src/policy/shell/parser.ts";
import { inspectRepository, renderStarterPolicy } from "../src/policy/starter.ts";
import type { Decision, Policy } from "../src/policy/types.ts";
import { resolveAccesses } from "../src/policy/resolve/index.ts";
import { createRepo } from "../test/helpers/repo.ts";

type Class = "ordinary" | "risky" | "unsure";
interface Entry { command: string; class: Class; agent: string; repo: string; source: string; root?: string }

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const raw = args.includes("--raw");
const listRefused = args.includes("--list-refused");
const jsonOut = valueOf("--json");
const extraPolicies = args.flatMap((arg, i) => (arg === "--policy" && args[i + 1] ? [args[i + 1] as string] : []));

function valueOf(flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

const started = performance.now();
const lines = readFileSync(join(here, "agent-commands.jsonl"), "utf8").split("\n").filter((line) => line.trim() !== "");
const entries: Entry[] = lines.map((line) => JSON.parse(line) as Partial<Entry>).filter((e): e is Entry => typeof e.command === "string");

// ---- workspaces ---------------------------------------------------------------------------------------------

const PYTHON_LAYOUT: Record<string, string> = {
  "setup.py": "from setuptools import setup\nsetup(name='project')\n",
  "setup.cfg": "[metadata]\nname = project\n\n[tool:pytest]\ntestpaths = tests\n",
  "pyproject.toml": "[build-system]\nrequires = ['setuptools']\n",
  "tox.ini": "[tox]\nenvlist = py3\n",
  "requirements.txt": "pytest\n",
  "README.md": "# project\n",
  "README.rst": "project\n=======\n",
  "CHANGELOG.md": "# Changes\n",
  ".gitignore": "__pycache__/\n*.pyc\nbuild/\nnode_modules/\n",
  "conftest.py": "",
  "tests/__init__.py": "",
  "tests/test_example.py": "def test_example():\n    assert True\n",
  "docs/index.rst": "Docs\n====\n",
  "docs/conf.py": "project = 'project'\n",
};

const NODE_LAYOUT: Record<string, string> = {
  "package.json": `${JSON.stringify({ name: "project", private: true, type: "module", scripts: { test: "vitest run", lint: "eslint .", typecheck: "tsc --noEmit", build: "tsc", dev: "vite" } }, null, 2)}\n`,
  "tsconfig.json": "{}\n",
  "src/index.ts": "export {};\n",
};

const NODE_COMMANDS = /(^|[\s;&|(])(npm|npx|pnpm|yarn|bun|vitest|node|tsc)\s/;
const SECRET_NAME = /(^|\/)(\.env(\..*)?|id_rsa.*|id_ed25519.*|id_ecdsa.*|\.npmrc|\.netrc)$|\.(pem|key)$/;

/** The agent's workspace folder rewritten to ours, unless --raw. */
function asRun(entry: Entry, workspace: string): string {
  return !raw && entry.root ? entry.command.split(entry.root).join(workspace) : entry.command;
}

/** Relative paths a command names: files (with an extension, or a dotfile) and folders (with a slash). */
function namedPaths(command: string, workspace: string): { files: string[]; folders: string[] } {
  const files: string[] = [];
  const folders: string[] = [];
  for (let token of command.split(/[\s;&|()<>'"`=,:]+/)) {
    if (token.startsWith(`${workspace}/`)) token = token.slice(workspace.length + 1);
    token = token.replace(/^\.\//, "");
    if (!/^[\w.@+-][\w.@+/-]*$/.test(token) || token.startsWith("-") || token.includes("..") || /^[\d.]+$/.test(token)) continue;
    if (SECRET_NAME.test(token) || token.startsWith(".git/") || token === ".git") continue;
    if (token.endsWith("/")) folders.push(token.replace(/\/+$/, ""));
    else if (/\.[A-Za-z][A-Za-z0-9]{0,7}$/.test(token) || /(^|\/)\.[\w-]+$/.test(token)) files.push(token);
    else if (token.includes("/")) folders.push(token);
  }
  return { files, folders };
}

function buildWorkspace(repo: string, repoEntries: Entry[]): string {
  const node = repoEntries.some((entry) => NODE_COMMANDS.test(entry.command));
  const files: Record<string, string> = { ...PYTHON_LAYOUT, ...(node ? NODE_LAYOUT : {}) };
  const packageName = repo.split("/").pop()?.replace(/[^\w]/g, "_").toLowerCase() ?? "project";
  files[`${packageName}/__init__.py`] = "";
  const placeholder = "/WORKSPACE";
  const folders = new Set<string>();
  for (const entry of repoEntries) {
    const named = namedPaths(asRun(entry, placeholder), placeholder);
    for (const folder of named.folders) folders.add(folder);
    for (const file of named.files) files[file] ??= "\n";
  }
  // A path named both as a folder and a file stays a folder; a file under a file is dropped.
  for (const path of Object.keys(files)) {
    if (folders.has(path) || Object.keys(files).some((other) => path.startsWith(`${other}/`))) delete files[path];
  }
  for (const folder of folders) {
    const clash = Object.keys(files).some((file) => folder === file || folder.startsWith(`${file}/`));
    if (!clash && !Object.keys(files).some((file) => file.startsWith(`${folder}/`))) files[`${folder}/.keep`] = "";
  }
  return createRepo(files);
}

// ---- policies -----------------------------------------------------------------------------------------------

interface PolicyUnderTest { name: string; forWorkspace: (dir: string) => Promise<Policy>; sandboxed: boolean; probe?: boolean }
const starter = async (dir: string) => parsePolicy(renderStarterPolicy(await inspectRepository(dir)), ".nanocoder/policy.yaml");
const policies: PolicyUnderTest[] = [
  { name: "built-in", forWorkspace: async () => builtinPolicy, sandboxed: false },
  { name: "starter, sandbox", forWorkspace: starter, sandboxed: true },
  { name: "starter, no sandbox", forWorkspace: starter, sandboxed: false },
  ...extraPolicies.map((file) => {
    const policy = parsePolicy(readFileSync(file, "utf8"), file);
    return { name: `${file}, sandbox`, forWorkspace: async () => policy, sandboxed: true };
  }),
  // Not a policy to ship: the starter's file rules with every program allowed by a rule, so that what it
  // still refuses is the checker's mechanics (expansions, parser, hardening, paths), which no rule fixes.
  { name: "probe: starter + allow **", forWorkspace: async (dir) => ({ ...(await starter(dir)), commands: { allow: [{ pattern: "**" }], deny: [] } }), sandboxed: true, probe: true },
];

/** The decision execute_bash makes for a command line in `workspace`, as `policy check --command` makes it. */
async function decideCommandLine(policy: Policy, command: string, workspace: string, sandboxed: boolean): Promise<Decision> {
  try {
    return decide(policy, await resolveAccesses("execute_bash", [{ kind: "command", command }], workspace, sandboxed));
  } catch (error) {
    return { decision: "deny", reason: error instanceof Error ? error.message : String(error), rule: "workspace" };
  }
}

// ---- reasons, grouped by mechanic ----------------------------------------------------------------------------

const SUBCOMMANDS = new Set(["git", "npm", "pnpm", "yarn", "bun", "uv", "pip", "pip3", "cargo", "go", "gh", "docker", "make", "npx"]);

/** `grep`, `git diff`, `python -m pytest`, `python script.py`, `python -c`, `python -` for a simple command. */
function programOf(simple: string): string {
  const words = simple.trim().split(/\s+/).filter((word) => !/^\w+=/.test(word));
  const first = (words[0] ?? "").replace(/^.*\//, "");
  const second = words[1] ?? "";
  if (/^python[\d.]*$/.test(first)) {
    if (second === "-m") return `${first} -m ${words[2] ?? ""}`;
    if (second === "-c" || second === "-") return `${first} ${second}`;
    return second.endsWith(".py") ? `${first} <script>.py` : first;
  }
  if (first === "sed" && second === "-n") return "sed -n";
  if (first === "sed" && second.startsWith("-i")) return "sed -i";
  if (SUBCOMMANDS.has(first) && second && !second.startsWith("-")) return `${first} ${second}`;
  return first || simple.slice(0, 20);
}

function expansionKind(word: string): string {
  if (word.includes("$(") || word.includes("`")) return "command substitution";
  if (word.includes("$?")) return "`$?`";
  if (/\$\{?\w/.test(word)) return "variable";
  if (word.startsWith("~")) return "`~`";
  if (word.includes("{") && word.includes("}")) return "braces";
  if (/[*?[]/.test(word)) return "glob";
  return `\`${word.slice(0, 20)}\``;
}

/** One refusal reason as a mechanic: rule plus what refused, with the paths and words taken out. */
function mechanic(rule: string, reason: string): string {
  const text = reason.replace(/^run `[\s\S]*?`: (?=`|refused|no |allow |the |it )/, "").replace(/ \(policy [^)]*\)$/, "");
  const known: [RegExp, (m: RegExpExecArray) => string][] = [
    [/^`([\s\S]*?)`: no allow rule matches/, (m) => `no allow rule for \`${programOf(m[1] ?? "")}\``],
    [/allow rules do not apply: `([\s\S]*?)` is expanded by the shell/, (m) => `shell expansion in an argument: ${expansionKind(m[1] ?? "")}`],
    [/allow rules do not apply: it sets /, () => "`VAR=value command`: an assignment before the command"],
    [/allow rules do not apply: it only assigns variables/, () => "a line that only assigns variables"],
    [/parser skipped `([\s\S]*?)`/, (m) => `the parser skipped \`${m[1] === "-" ? "-" : (m[1] ?? "").length > 12 ? "…" : m[1]}\``],
    [/uses `[\s\S]*?`, which is an expansion/, () => "an expansion where an option could be (e.g. -m \"$(cat <<EOF …)\")"],
    [/uses `(-[\w-]+)`, which/, (m) => `uses \`${m[1]}\` (hardening)`],
    [/runs another command through `([^`]+)`/, (m) => `runs a command through \`${m[1]}\``],
    [/gives its command file names read from its input/, () => "`xargs`: file names read from its input"],
    [/after a change of directory \(cd\)/, () => "a redirect after `cd`"],
    [/writes to the absolute path `[^`]*`, outside the workspace/, () => "a redirect to an absolute path outside the workspace"],
    [/makes a link, and the other commands of the line/, () => "`ln -s` and then other commands in the same line"],
    [/it changes [\s\S]*?, outside the workspace/, () => "writes outside the workspace"],
    [/matches deny rule "([^"]*)"/, (m) => `deny rule "${m[1]}"`],
  ];
  for (const [pattern, name] of known) {
    const m = pattern.exec(text);
    if (m) return `[${rule}] ${name(m)}`;
  }
  const general = text
    .replace(/`[^`]*`/g, "`…`")
    .replace(/\/[\w./@+#-]+/g, "<path>")
    .replace(/\b\d+\b/g, "N")
    .split(/[;,] /)[0] ?? "";
  return `[${rule}] ${general.slice(0, 100)}`;
}

// ---- run ------------------------------------------------------------------------------------------------------

interface Result { entry: Entry; decision: Decision }

await loadShellParser();
const byRepo = new Map<string, Entry[]>();
for (const entry of entries) byRepo.set(entry.repo, [...(byRepo.get(entry.repo) ?? []), entry]);

const results = new Map<string, Result[]>(policies.map((policy) => [policy.name, []]));
const workspaces: string[] = [];
try {
  for (const [repo, repoEntries] of byRepo) {
    const workspace = buildWorkspace(repo, repoEntries);
    workspaces.push(workspace);
    for (const policy of policies) {
      const decided = await policy.forWorkspace(workspace);
      for (const entry of repoEntries) {
        results.get(policy.name)?.push({ entry, decision: await decideCommandLine(decided, asRun(entry, workspace), workspace, policy.sandboxed) });
      }
    }
  }
} finally {
  for (const workspace of workspaces) rmSync(workspace, { recursive: true, force: true });
}

const count = (items: Result[], cls: Class, decision?: Decision["decision"]) =>
  items.filter((r) => r.entry.class === cls && (decision === undefined || r.decision.decision === decision)).length;
const pct = (part: number, whole: number) => (whole === 0 ? "–" : `${((100 * part) / whole).toFixed(1)}%`);
const pad = (text: string, width: number) => text.padEnd(width);

const classes = { ordinary: count(results.get("built-in") ?? [], "ordinary"), risky: count(results.get("built-in") ?? [], "risky"), unsure: count(results.get("built-in") ?? [], "unsure") };
const agents = [...new Set(entries.map((e) => e.agent))];
const out: string[] = [];
out.push(`agent-commands: ${entries.length} commands (${classes.ordinary} ordinary, ${classes.risky} risky, ${classes.unsure} unsure) by ${agents.length} agents on ${byRepo.size} repositories; ${raw ? "as recorded (--raw)" : "the agent's workspace folder mapped to the temporary workspace"}`);
out.push("");
out.push(`${pad("policy", 28)}${pad("ordinary refused", 24)}${pad("risky allowed", 16)}unsure allowed`);
for (const policy of policies) {
  const items = results.get(policy.name) ?? [];
  const refused = count(items, "ordinary", "deny");
  out.push(`${pad(policy.name, 28)}${pad(`${refused}/${classes.ordinary} (${pct(refused, classes.ordinary)})`, 24)}${pad(`${count(items, "risky", "allow")}/${classes.risky}`, 16)}${count(items, "unsure", "allow")}/${classes.unsure}`);
}
out.push("");
out.push(`ordinary refused, per agent: ${policies.map((p) => p.name).join(" | ")}`);
for (const agent of agents) {
  const cells = policies.map((policy) => {
    const items = (results.get(policy.name) ?? []).filter((r) => r.entry.agent === agent);
    const total = count(items, "ordinary");
    return `${count(items, "ordinary", "deny")}/${total} (${pct(count(items, "ordinary", "deny"), total)})`;
  });
  out.push(`  ${pad(agent, 16)}${cells.map((cell) => pad(cell, 20)).join("")}`);
}

for (const policy of policies) {
  const refusedOrdinary = (results.get(policy.name) ?? []).filter((r) => r.entry.class === "ordinary" && r.decision.decision === "deny");
  const first = new Map<string, number>();
  const anywhere = new Map<string, number>();
  for (const { decision } of refusedOrdinary) {
    const key = mechanic(decision.rule, decision.reason);
    first.set(key, (first.get(key) ?? 0) + 1);
    const kinds = new Set([key, ...(decision.segments ?? []).filter((s) => s.decision === "deny").map((s) => mechanic(s.rule, s.reason))]);
    for (const kind of kinds) anywhere.set(kind, (anywhere.get(kind) ?? 0) + 1);
  }
  out.push("");
  out.push(`top refusal reasons for ordinary work, ${policy.name} (${refusedOrdinary.length} refused): first / in`);
  const top = [...anywhere.keys()].sort((a, b) => (first.get(b) ?? 0) - (first.get(a) ?? 0) || (anywhere.get(b) ?? 0) - (anywhere.get(a) ?? 0)).slice(0, 20);
  for (const key of top) out.push(`  ${String(first.get(key) ?? 0).padStart(4)} ${String(anywhere.get(key) ?? 0).padStart(4)}  ${key}`);
  const riskyAllowed = (results.get(policy.name) ?? []).filter((r) => r.entry.class === "risky" && r.decision.decision === "allow");
  out.push(`risky commands allowed, ${policy.name}: ${riskyAllowed.length === 0 ? "none" : policy.probe ? `${riskyAllowed.length} (a probe, not listed)` : ""}`);
  if (!policy.probe) for (const { entry, decision } of riskyAllowed) out.push(`  [${entry.agent}, ${entry.repo}] ${oneLine(entry.command)}  <- ${decision.rule}`);
  if (listRefused) {
    out.push(`ordinary commands refused, ${policy.name}:`);
    for (const { entry, decision } of refusedOrdinary) out.push(`  [${entry.agent}] ${oneLine(entry.command)}\n      ${mechanic(decision.rule, decision.reason)}: ${oneLine(decision.reason)}`);
  }
}
out.push("");
out.push(`${entries.length * policies.length} decisions in ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.stdout.write(`${out.join("\n")}\n`);

if (jsonOut) {
  const rows = [...results].flatMap(([policy, items]) => items.map(({ entry, decision }) => ({ policy, command: entry.command, class: entry.class, agent: entry.agent, repo: entry.repo, decision: decision.decision, rule: decision.rule, reason: decision.reason, mechanic: mechanic(decision.rule, decision.reason) })));
  writeFileSync(jsonOut, `${rows.map((row) => JSON.stringify(row)).join("\n")}\n`);
}

function oneLine(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, " ⏎ ");
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}
