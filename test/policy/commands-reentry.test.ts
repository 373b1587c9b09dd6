import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { scratchDir } from "../helpers/temp.ts";
import { decide } from "../../src/policy/decide.ts";
import { parsePolicy } from "../../src/policy/load.ts";
import { renderStarterPolicy } from "../../src/policy/starter.ts";
import type { Policy } from "../../src/policy/types.ts";
import fileOp from "../../src/tools/file-op.ts";
import { resolveAccesses } from "../../src/policy/resolve/index.ts";

/*
 * Paths that leave the workspace and come back, links that carry a read or write elsewhere, options that
 * write files, folders read whole and programs that write where their words do not say. Every case runs
 * against a real workspace with real symbolic links, through the facts and the decision, as a run does.
 * `WS` in a command is the workspace's absolute path.
 */

/** The issue's example policy, with the everyday rules a maintainer would add. */
const issuePolicy = parsePolicy(
  `version: 1
default: deny
files:
  read:
    allow: ["**"]
    deny: ["**/.env", "**/.env.*", "**/*.pem", "**/id_rsa*"]
  write:
    allow: ["src/**", "test/**", "docs/**"]
    deny: [".github/workflows/**"]
commands:
  allow:
    - "npm test"
    - "npm run lint **"
    - "git status"
    - "git diff **"
    - "npx vitest run **"
    - "cat *"
    - "cp **"
    - "cd *"
    - "tee **"
    - "chmod **"
    - "touch **"
    - "truncate **"
    - "rm **"
    - "unlink **"
    - "mv **"
    - "ln **"
    - "link **"
    - "echo **"
    - "mkdir **"
    - "grep **"
    - "egrep **"
    - "rg **"
    - "tar **"
    - "zip **"
    - "unzip **"
    - "rsync **"
    - "diff **"
    - "ls **"
    - "git add **"
    - "git show **"
    - "git cat-file **"
    - "git log **"
    - "git mv **"
    - "git rm **"
    - "git checkout **"
    - "git restore **"
    - "git clean **"
    - "git apply **"
    - "patch **"
    - "find ** -delete"
    - "sed -i **"
  deny:
    - pattern: "git push **"
      reason: "pushes happen in the release job"
`,
  "issue.yaml",
);

/** What `nanocoder policy init` writes for an npm project with test and lint scripts, loaded from the repository. */
const starterPolicy: Policy = (() => {
  const policy = parsePolicy(renderStarterPolicy({ packageManager: "npm", scripts: ["test", "lint"] }), ".nanocoder/policy.yaml");
  return { ...policy, protect: [...policy.protect, ".nanocoder/policy.yaml"] };
})();

/** Writes anywhere but workflows, as the starter policy has it, with cd, touch and cp allowed. */
const writeAnywhere = parsePolicy(
  'version: 1\nfiles:\n  read: {allow: ["**"], deny: ["**/.env"]}\n  write: {allow: ["**"], deny: [".github/workflows/**"]}\ncommands:\n  allow: ["cd *", "touch **", "cp **"]\n',
  "anywhere.yaml",
);

/** A workspace folder named `ws` (so `../ws/…` comes back in), with secrets, a workflow and links. */
function workspace(): string {
  const parent = realpathSync(scratchDir("nanocoder-reentry-"));
  const dir = join(parent, "ws");
  const files: Record<string, string> = {
    ".env": "TOKEN=x\n",
    ".github/workflows/ci.yml": "on: push\n",
    ".nanocoder/policy.yaml": "version: 1\n",
    "keys/id_rsa": "PRIVATE\n",
    "src/a.ts": "export const a = 1;\n",
    "src/deep/er/b.ts": "export const b = 2;\n",
    "README.md": "# ws\n",
    "x.sh": "echo hi\n",
    "x.py": "print(1)\n",
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  mkdirSync(join(dir, ".git"));
  writeFileSync(join(dir, ".git/config"), "[core]\n");
  symlinkSync("../.github/workflows/ci.yml", join(dir, "src/wf"));
  symlinkSync("../.env", join(dir, "src/env-link"));
  symlinkSync("deep/er", join(dir, "src/lnk"));
  symlinkSync("/proc/self/cwd", join(dir, "src/cwd"));
  return dir;
}

type Case = [command: string, expected: "allow" | "deny", rule?: string];

let dir: string;
beforeAll(() => {
  dir = workspace();
});

async function decideIn(policy: Policy, command: string, where = dir) {
  return decide(policy, await resolveAccesses("execute_bash", [{ kind: "command", command: command.replaceAll("WS", where) }], where));
}

function run(policy: () => Policy, cases: Case[]) {
  it.each(cases)("%s → %s %s", async (command, expected, rule) => {
    const decision = await decideIn(policy(), command);
    expect(`${decision.decision}: ${decision.reason}`).toMatch(new RegExp(`^${expected}: `));
    if (rule) expect(decision.rule).toBe(rule);
    expect(decision.reason.length).toBeGreaterThan(10);
  });
}

describe("1. paths that leave the workspace and come back are checked as the workspace path", () => {
  describe("per-process paths under /proc and paths through a descriptor are refused (starter policy)", () => {
    run(() => starterPolicy, [
      ["git diff --no-index /proc/self/cwd/.env /dev/null", "deny", "workspace"],
      ["git diff --no-index /proc/thread-self/cwd/.env /dev/null", "deny", "workspace"],
      ["git diff --no-index /proc/1/cwd/.env /dev/null", "deny", "workspace"],
      ["git diff --no-index /proc/self/root/WS/.env /dev/null", "deny", "workspace"],
      ["git diff --no-index /proc/self/fd/3/.env /dev/null 3< .", "deny", "workspace"],
      ["git diff --no-index /dev/fd/3/.env /dev/null 3< .", "deny", "workspace"],
      // /dev/stdin is /proc/self/fd/0: `..` from there is /proc/self/fd, and `../cwd` the command's folder.
      ["git diff --no-index /dev/stdin/../cwd/.env /dev/null", "deny", "workspace"],
      ["git diff --no-index ../../../../../../../../../../proc/self/cwd/.env /dev/null", "deny", "workspace"],
      // A link in the workspace to /proc/self/cwd.
      ["git diff --no-index src/cwd/.env /dev/null", "deny", "workspace"],
      ["git diff --no-index README.md /dev/null", "allow"],
      ["git diff > /proc/self/cwd/src/x.patch", "deny", "commands.redirect"],
      ["git diff 2> /dev/stderr", "allow"],
    ]);
  });

  describe("reads and writes through /proc/self/cwd (issue policy)", () => {
    run(() => issuePolicy, [
      ["cat /proc/self/cwd/.env", "deny", "workspace"],
      ["cp src/a.ts /proc/self/cwd/.github/workflows/ci.yml", "deny", "workspace"],
      ["cp src/a.ts /proc/self/cwd/.nanocoder/policy.yaml", "deny", "workspace"],
      ["cp src/a.ts /proc/self/cwd/.git/config", "deny", "workspace"],
      ["ln -s /proc/self/cwd/.env src/e", "deny", "workspace"],
      ["cd /proc/self/cwd && cat .env", "deny"],
    ]);
  });

  describe("`..` and absolute paths that lead back in", () => {
    run(() => issuePolicy, [
      ["cd .. && cat ws/.env", "deny", "files.read.deny[0]"],
      ["cat ../ws/.env", "deny", "files.read.deny[0]"],
      ["cat WS/.env", "deny", "files.read.deny[0]"],
      ["cd WS/src && cat ../.env", "deny", "files.read.deny[0]"],
      ["cp src/a.ts ../ws/.github/workflows/ci.yml", "deny", "files.write.deny[0]"],
      ["cp src/a.ts WS/.github/workflows/ci.yml", "deny", "files.write.deny[0]"],
      ["cd .. && cp ws/src/a.ts ws/.github/workflows/ci.yml", "deny"],
      // src/lnk is src/deep/er: the kernel takes `..` from the link's target, two levels below src.
      ["cat src/lnk/../../../.env", "deny", "files.read.deny[0]"],
      ["cp src/a.ts src/lnk/../../../.github/workflows/ci.yml", "deny", "files.write.deny[0]"],
      ["cat WS/src/a.ts", "allow"],
      ["cp src/a.ts WS/src/copy.ts", "allow"],
    ]);
  });

  describe("outside the workspace: reads are left to the sandbox, writes refused but for /tmp and the output streams", () => {
    run(() => issuePolicy, [
      ["cat /etc/os-release", "allow"],
      ["cp src/a.ts /etc/nanocoder-x", "deny", "workspace"],
      ["cp src/a.ts ../../../../../../../../../../etc/nanocoder-x", "deny", "workspace"],
      // The workspace's own neighbours in /tmp (other tasks' worktrees) are nanocoder's folders: refused.
      ["cp src/a.ts ../elsewhere.ts", "deny", "workspace"],
      ["cp src/a.ts /tmp/nanocoder-run-1/worktree-2/src/a.ts", "deny", "workspace"],
      ["touch /home/x", "deny", "workspace"],
      ["cp src/a.ts /tmp/copy.ts", "allow"],
      ["mkdir -p /tmp/build/out", "allow"],
      ["echo x | tee /dev/stderr", "allow"],
      ["echo x > /tmp/out.txt", "allow"],
      ["echo x > /etc/passwd", "deny", "commands.redirect"],
      ["echo x > ../elsewhere.txt", "deny", "commands.redirect"],
    ]);
  });

  describe("a cd to a folder the words do not name", () => {
    run(() => issuePolicy, [
      ["cd src && cd - && cat .env", "deny", "workspace"],
      ["cd - && cp src/a.ts .github/workflows/ci.yml", "deny", "workspace"],
      ["cd src && cat a.ts", "allow"],
    ]);
    // `cd ..` back from a folder of the workspace stays inside: no write there counts as outside.
    run(() => writeAnywhere, [
      ["cd src/deep && cd .. && touch a.ts", "allow"],
      ["cd src && (cd deep && cd ..) && touch a.ts", "allow"],
      ["cd .. && touch a.ts", "deny", "workspace"],
    ]);
  });
});

describe("2. programs that write through a link are checked at the link and at its target", () => {
  run(() => issuePolicy, [
    ["echo x | tee src/wf", "deny", "files.write.deny[0]"],
    ["chmod 777 src/wf", "deny", "files.write.deny[0]"],
    ["touch src/wf", "deny", "files.write.deny[0]"],
    ["truncate -s 0 src/wf", "deny", "files.write.deny[0]"],
    ["cp src/a.ts src/wf", "deny", "files.write.deny[0]"],
    ["sed -i s/push/pull/ src/wf", "deny", "files.write.deny[0]"],
    // These act on the link itself.
    ["rm src/wf", "allow"],
    ["unlink src/wf", "allow"],
    ["mv src/wf src/wf2", "allow"],
    ["touch -h src/wf", "allow"],
    // A trailing slash makes rm follow the link to a folder.
    ["echo x | tee src/ok.txt", "allow"],
  ]);
});

describe("3. a link made in the same line as other commands is refused; a lone link checks both ends", () => {
  run(() => issuePolicy, [
    ["ln -s ../.env src/e && cat src/e", "deny", "commands.link"],
    ["ln -s ../.github src/gh && echo x > src/gh/workflows/ci.yml", "deny", "commands.link"],
    ["ln -s ../.github src/gh && cp src/a.ts src/gh/workflows/ci.yml", "deny", "commands.link"],
    ["ln -s ../.github src/gh; cp src/a.ts src/gh/workflows/ci.yml", "deny", "commands.link"],
    ["ln -sf ../.github src/gh & cat src/a.ts", "deny", "commands.link"],
    ["link src/a.ts src/h && cat src/h", "deny", "commands.link"],
    ["cp -s WS/.env src/e && cat src/e", "deny", "commands.link"],
    ["cp -l src/a.ts src/h && echo x > src/h", "deny", "commands.link"],
    ["cp --symbolic-link WS/src/a.ts src/e && cat src/e", "deny", "commands.link"],
    // cp -r copies a link as a link; mv moves it.
    ["cp -r src src2 && cat src2/env-link", "deny", "commands.link"],
    ["mv src/env-link src/deep/e && cat src/deep/e", "deny", "commands.link"],
    // Alone, the link's target is read (relative to the link's folder) and its new name written.
    ["ln -s ../.env src/e", "deny", "files.read.deny[0]"],
    ["ln -s ../../.env src/deep/e", "deny", "files.read.deny[0]"],
    ["ln .env src/e", "deny", "files.read.deny[0]"],
    ["link .env src/e", "deny", "files.read.deny[0]"],
    // A hard link is the same file under a new name: its file must be writable too.
    ["ln README.md src/readme", "deny", "default"],
    ["ln -s a.ts src/alias.ts", "allow"],
    ["ln src/a.ts src/hard.ts", "allow"],
    ["ln -s ../src/a.ts docs/a.ts", "allow"],
    ["cp src/a.ts src/b.ts && cat src/b.ts", "allow"],
  ]);
});

describe("4. options that write files are checked as writes, past `--` and in dotted form", () => {
  describe("starter policy", () => {
    run(() => starterPolicy, [
      ["npm test -- --reporter=json --outputFile=.nanocoder/policy.yaml", "deny", "protect[5]"],
      ["npm test -- --outputFile=.github/workflows/ci.yml", "deny", "files.write.deny[0]"],
      ["npm test -- --outputFile.json=.git/config", "deny", "protect[1]"],
      ["npm run lint -- -o .github/workflows/ci.yml", "deny", "files.write.deny[0]"],
      ["npm run lint -- --output-file=.github/workflows/ci.yml", "deny", "files.write.deny[0]"],
      ["npm test -- --script-shell=./x.sh", "deny", "commands.hardening"],
      ["npm test -- --script-shell.x=./x.sh", "deny", "commands.hardening"],
      ["npm test -- --reporter=json --outputFile=test-results.json", "allow"],
      ["npm run lint -- -o lint.txt", "allow"],
    ]);
  });

  describe("issue policy", () => {
    run(() => issuePolicy, [
      ["npm run lint -- -o .github/workflows/ci.yml", "deny", "files.write.deny[0]"],
      ["npx vitest run --outputFile.json=.github/workflows/ci.yml", "deny", "files.write.deny[0]"],
      ["npx vitest run --coverage.reportsDirectory=.github", "deny"],
      ["npx vitest run --coverage.reportsDirectory=.", "deny"],
      ["npx vitest run --outputFile=src/results.json", "allow"],
      ["npx vitest run --coverage.reportsDirectory=src/coverage", "allow"],
      ["npx vitest run --outputFile=WS/.github/workflows/ci.yml", "deny", "files.write.deny[0]"],
      ["npx vitest run --outputFile=/tmp/results.json", "allow"],
      ["npx vitest run --outputFile=/proc/self/cwd/src/x.json", "deny", "commands.output"],
      // The folder holds a workflow: the program names the files it writes there.
      ["npx vitest run --coverage.reportsDirectory=src/wf/..", "deny"],
    ]);
  });
});

describe("7. folders read with everything in them", () => {
  run(() => issuePolicy, [
    ["grep -r KEY .", "deny", "files.read.deny[0]"],
    ["grep -R KEY src", "deny", "files.read.deny[0]"],
    ["grep --recursive KEY .", "deny", "files.read.deny[0]"],
    ["grep -d recurse KEY .", "deny", "files.read.deny[0]"],
    ["egrep -rl KEY .", "deny", "files.read.deny[0]"],
    ["grep -r KEY", "deny", "files.read.deny[0]"],
    ["grep -r KEY ../ws", "deny", "files.read.deny[0]"],
    ["grep -r --exclude-dir=keys KEY .", "deny", "files.read.deny[0]"],
    ["grep -r --exclude=.env --exclude-dir=keys KEY .", "allow"],
    ["grep -r --include='*.ts' KEY .", "allow"],
    ["grep -r KEY src", "allow"],
    // ripgrep skips hidden files (.env), not keys/id_rsa.
    ["rg KEY", "deny", "files.read.deny[3]"],
    ["rg KEY src", "allow"],
    ["rg -g '!id_rsa' KEY", "allow"],
    ["rg --hidden -g '!id_rsa' KEY", "deny", "files.read.deny[0]"],
    ["rg -L KEY src", "deny", "files.read.deny[0]"],
    ["cp -r . /tmp/all", "deny", "files.read.deny[0]"],
    ["cp -r src/deep /tmp/deep", "allow"],
    ["tar czf /tmp/a.tgz .", "deny", "files.read.deny[0]"],
    ["tar -C .. -czf /tmp/a.tgz ws/.env", "deny", "files.read.deny[0]"],
    ["tar czf /tmp/a.tgz --exclude=.env --exclude=id_rsa .", "allow"],
    ["zip -r /tmp/a.zip .", "deny", "files.read.deny[0]"],
    ["rsync -a . /tmp/copy", "deny", "files.read.deny[0]"],
    ["diff -r . /tmp", "deny", "files.read.deny[0]"],
    ["ls .", "allow"],
    ["ls -R .", "allow"],
    ["git add .", "deny", "files.read.deny[0]"],
    ["git add src", "allow"],
  ]);

  it("refuses a folder holding more entries than it looks into, and says to name narrower folders", async () => {
    const where = workspace();
    mkdirSync(join(where, "big"));
    for (let i = 0; i < 5_100; i++) writeFileSync(join(where, "big", `f${i}.txt`), "");
    const decision = await decideIn(issuePolicy, "grep -r KEY big", where);
    expect(decision).toMatchObject({ decision: "deny", rule: "commands.folder-read" });
    expect(decision.reason).toContain("name narrower folders");
    expect(await decideIn(issuePolicy, "grep -r KEY src", where)).toMatchObject({ decision: "allow" });
  });

  it("names the file and how to leave it out", async () => {
    const decision = await decideIn(issuePolicy, "grep -r KEY .");
    expect(decision.reason).toContain("holds .env, a file the policy does not let you read");
    expect(decision.reason).toContain("--exclude=.env");
  });

  describe("reads from git's history", () => {
    run(() => issuePolicy, [
      ["git show HEAD:.env", "deny", "files.read.deny[0]"],
      ["git show HEAD:./.env", "deny", "files.read.deny[0]"],
      ["git show main~2:src/../.env", "deny", "files.read.deny[0]"],
      ["git show :.env", "deny", "files.read.deny[0]"],
      ["git cat-file -p HEAD:.env", "deny", "files.read.deny[0]"],
      ["git log -p -- .env", "deny", "files.read.deny[0]"],
      ["git show HEAD:keys/id_rsa", "deny", "files.read.deny[3]"],
      ["git show HEAD:src/a.ts", "allow"],
      ["git log --format=%H:%s -- src", "allow"],
    ]);
  });

  describe("programs that write where their words say", () => {
    run(() => issuePolicy, [
      ["git mv src/a.ts .github/workflows/x.yml", "deny", "files.write.deny[0]"],
      ["git mv .github/workflows/ci.yml src/ci.yml", "deny", "files.write.deny[0]"],
      ["git mv src/a.ts src/b.ts", "allow"],
      ["git rm .github/workflows/ci.yml", "deny", "files.write.deny[0]"],
      ["git checkout -- .github/workflows/ci.yml", "deny", "files.write.deny[0]"],
      ["git checkout HEAD~1 -- .github", "deny"],
      ["git checkout .github/workflows/ci.yml", "deny", "files.write.deny[0]"],
      ["git checkout main", "allow"],
      ["git restore .github/workflows/ci.yml", "deny", "files.write.deny[0]"],
      ["git restore src/a.ts", "allow"],
      ["git clean -fdx", "deny"],
      ["git clean -fd src", "allow"],
      ["tar cf .github/workflows/x.tar src", "deny", "files.write.deny[0]"],
      ["tar cf src/x.tar src/deep", "allow"],
      ["find .github -delete", "deny"],
      ["find src/deep -name '*.ts' -delete", "allow"],
      ["patch src/a.ts x.diff", "allow"],
      ["patch .github/workflows/ci.yml x.diff", "deny", "files.write.deny[0]"],
      ["patch -o .github/workflows/x.yml src/a.ts x.diff", "deny", "files.write.deny[0]"],
      ["sed -i s/a/b/ .github/workflows/ci.yml", "deny", "files.write.deny[0]"],
    ]);
  });

  describe("programs that write where their input says: refused", () => {
    run(() => issuePolicy, [
      ["tar xf a.tar", "deny", "commands.uncheckable"],
      ["tar -xzf a.tgz -C src", "deny", "commands.uncheckable"],
      ["tar --extract --file=a.tar", "deny", "commands.uncheckable"],
      ["tar cf src/x.tar -T list.txt", "deny", "commands.uncheckable"],
      ["patch -p1 < x.diff", "deny", "commands.uncheckable"],
      ["patch -d src a.ts < x.diff", "deny", "commands.uncheckable"],
      ["git apply x.diff", "deny", "commands.uncheckable"],
      ["unzip a.zip", "deny", "commands.uncheckable"],
      ["tar tf a.tar", "allow"],
      ["tar xOf a.tar member", "allow"],
      ["git apply --check x.diff", "allow"],
      ["unzip -l a.zip", "allow"],
    ]);
  });
});

describe("adversarial pass: more of the same classes", () => {
  const runners = parsePolicy(
    'version: 1\nfiles:\n  read: {allow: ["**"], deny: ["**/.env"]}\n  write: {allow: ["**"], deny: [".github/workflows/**"]}\ncommands:\n  allow: ["npx vitest run **", "npm test -- **", "npm --prefix * test -- **", "pnpm --filter * test -- **", "grep **", "rg **", "gzip **", "uniq **", "split **", "sponge **", "ed **", "sqlite3 **", "printf **", "cat *", "iconv **"]\n',
    "runners.yaml",
  );
  run(() => runners, [
    // A base folder moved by the program: `workflows/ci.yml` lands in .github.
    ["npx vitest run --root .github --outputFile=workflows/ci.yml", "deny", "commands.output"],
    ["npm --prefix .github test -- --outputFile=workflows/ci.yml", "deny", "commands.output"],
    ["pnpm --filter ./.github test -- --outputFile=workflows/ci.yml", "deny", "commands.output"],
    ["npx vitest run --outputFile=workflows/ci.yml", "allow"],
    // An output option read as a folder when some programs take it as one (playwright's --output).
    ["npx vitest run --output=.github", "deny"],
    // grep: the last matching --include/--exclude decides.
    ["grep -r --exclude='*' --include=.env KEY .", "deny", "files.read.deny[0]"],
    ["grep -r --include=.env --exclude='*' KEY .", "allow"],
    // ripgrep: a later glob (here one with a slash, not modelled) can let back in what an earlier one left out.
    ["rg --hidden -g '!.env' -g '**/.env' KEY", "deny", "files.read.deny[0]"],
    ["rg --hidden -g '!.env' KEY", "allow"],
    // Programs that write files their words name.
    ["gzip .github/workflows/ci.yml", "deny", "files.write.deny[0]"],
    ["gzip -c .github/workflows/ci.yml", "allow"],
    ["uniq README.md .github/workflows/ci.yml", "deny", "files.write.deny[0]"],
    ["split README.md .github/workflows/", "deny", "files.write.deny[0]"],
    ["cat README.md | sponge .github/workflows/ci.yml", "deny", "files.write.deny[0]"],
    ["iconv -f latin1 -t utf8 -o .github/workflows/ci.yml README.md", "deny", "files.write.deny[0]"],
    // Editors and sqlite3 run commands from their input (`!cmd`, `.shell`).
    ["printf '!id\\n' | ed -s README.md", "deny", "commands.parse"],
    ["sqlite3 db.sqlite < x.sql", "deny", "commands.parse"],
    ["sqlite3 db.sqlite 'select 1' < /dev/null", "allow"],
  ]);
});

describe("8. file_op copy checks its source against files.write too", () => {
  it.each([
    [{ operation: "copy", path: ".github/workflows/ci.yml", destination: "src/ci.yml" }, "deny", "files.write.deny[0]"],
    [{ operation: "copy", path: "README.md", destination: "src/README.md" }, "deny", "default"],
    [{ operation: "copy", path: "src/a.ts", destination: "src/b.ts" }, "allow", "files.read.allow[0]"],
  ] as const)("%j → %s", async (args, expected, rule) => {
    expect(decide(issuePolicy, await resolveAccesses("file_op", fileOp.accesses(args), dir))).toMatchObject({ decision: expected, rule });
  });
});
