import { beforeAll, describe, it } from "vitest";
import { type Case, commandDecider, type Decider, expectDecision, testPolicy } from "./commands-fixture.ts";

let decide: Decider;
beforeAll(async () => {
  decide = await commandDecider();
});

const run = (cases: Case[]) =>
  it.each(cases)("%j → %s", (command, expected, rule) => expectDecision(decide(testPolicy, command), expected, rule));

describe("shell re-entry", () => {
  run([
    ["bash -c 'rm -rf /'", "deny", "commands.deny[1]"],
    ['sh -c "git push origin"', "deny", "commands.deny[0]"],
    ["zsh -c 'curl x'", "deny", "commands.deny[3]"],
    ["dash -c 'rm -f x'", "deny", "commands.deny[2]"],
    ["bash -lc 'rm -rf x'", "deny", "commands.deny[1]"],
    ["bash -xc 'rm -rf x'", "deny", "commands.deny[1]"],
    ["bash -e -c 'git status; rm -rf x'", "deny", "commands.deny[1]"],
    ["bash -o pipefail -c 'rm -rf x'", "deny", "commands.deny[1]"],
    ["bash -c -- 'rm -rf x'", "deny", "commands.deny[1]"],
    ["/bin/sh -c 'rm -rf x'", "deny", "commands.deny[1]"],
    [`bash -c "bash -c 'rm -rf x'"`, "deny", "commands.deny[1]"],
    ["sudo sh -c 'curl x'", "deny", "commands.deny[3]"],
    ["xargs sh -c 'rm -rf x'", "deny", "commands.deny[1]"],
    ["bash -c 'npm test'", "deny", "default"],
    ['sh -c "$CMD"', "deny", "commands.parse"],
    ["bash -c 'curl x | sh'", "deny", "commands.parse"],
    ["sh -c 'eval ls'", "deny", "commands.parse"],
    ["fish -c 'rm -rf x'", "deny", "commands.parse"],
    ["xargs -I{} sh -c '{}'", "deny", "commands.parse"],
    ['eval "rm -rf x"', "deny", "commands.parse"],
    ["source ./x.sh", "deny", "commands.parse"],
    [". ./x.sh", "deny", "commands.parse"],
    ["builtin eval ls", "deny", "commands.parse"],
    ["sh <<< 'rm -rf x'", "deny", "commands.parse"],
    ["bash <<EOF\nrm -rf x\nEOF", "deny", "commands.parse"],
    ["cat script.sh | bash", "deny", "commands.parse"],
    ["echo 'rm -rf x' | sudo sh", "deny", "commands.parse"],
    ["curl -s x | python3", "deny", "commands.parse"],
    ["python3 - <<'EOF'\nimport os\nEOF", "deny", "commands.parse"],
    ["coproc rm -rf x", "deny", "commands.parse"],
    ["trap 'rm -rf x' EXIT", "deny", "commands.parse"],
    ["alias ls='rm -rf x'", "deny", "commands.parse"],
    ["exec rm -rf x", "deny", "commands.deny[1]"],
  ]);
});

describe("wrappers", () => {
  run([
    ["sudo rm -rf /", "deny", "commands.deny[1]"],
    ["sudo -u root -E rm -rf /", "deny", "commands.deny[1]"],
    ["sudo --user=root rm -rf /", "deny", "commands.deny[1]"],
    ["doas rm -rf /", "deny", "commands.deny[1]"],
    ["env rm -rf /", "deny", "commands.deny[1]"],
    ["env -i PATH=/bin rm -rf x", "deny", "commands.deny[1]"],
    ["env -u HOME -- rm -rf x", "deny", "commands.deny[1]"],
    ["env -S 'rm -rf x'", "deny", "commands.deny[1]"],
    ["command rm -rf x", "deny", "commands.deny[1]"],
    ["time rm -rf x", "deny", "commands.deny[1]"],
    ["time -p curl x", "deny", "commands.deny[3]"],
    ["timeout 5 rm -rf x", "deny", "commands.deny[1]"],
    ["timeout -s KILL 5 curl x", "deny", "commands.deny[3]"],
    ["timeout --kill-after=1 5s git push", "deny", "commands.deny[0]"],
    ["nice -n 10 rm -rf x", "deny", "commands.deny[1]"],
    ["nice -5 curl x", "deny", "commands.deny[3]"],
    ["nohup curl x", "deny", "commands.deny[3]"],
    ["stdbuf -oL curl x", "deny", "commands.deny[3]"],
    ["stdbuf -o L -e 0 curl x", "deny", "commands.deny[3]"],
    ["ionice -c2 -n7 rm -rf x", "deny", "commands.deny[1]"],
    ["setsid -f curl x", "deny", "commands.deny[3]"],
    ["xargs rm -rf", "deny", "commands.deny[1]"],
    ["ls | xargs rm", "deny", "commands.deny[1]"],
    ["find . -print0 | xargs -0 -n1 rm -f", "deny", "commands.deny[1]"],
    ["sudo env A=1 nice -n 5 timeout 9 rm -rf x", "deny", "commands.deny[1]"],
    ["sudo git push", "deny", "commands.deny[0]"],
    ["sudo npm test", "deny", "commands.wrapper"],
    ["time npm test", "deny", "commands.wrapper"],
    ["timeout 60 npm test", "deny", "commands.wrapper"],
    ["env npm test", "deny", "commands.wrapper"],
    ["xargs echo", "deny", "commands.wrapper"],
  ]);
});

describe("assignments", () => {
  run([
    ["FOO=1 npm test", "deny", "default"],
    ["PAGER='sh -c x' git log", "deny", "default"],
    ["GIT_PAGER=cat git log", "deny", "default"],
    ["GIT_SSH_COMMAND='curl x' git status", "deny", "default"],
    ["LD_PRELOAD=./x.so ls", "deny", "default"],
    ["PATH=.:$PATH ls", "deny", "default"],
    ["NODE_OPTIONS='--require ./x.js' npm test", "deny", "default"],
    ["BASH_ENV=./x.sh npm test", "deny", "default"],
    ["LANG=$X npm test", "deny", "default"],
    ["LANG=$(curl x) npm test", "deny", "commands.deny[3]"],
    ["FOO=1 rm -rf x", "deny", "commands.deny[1]"],
    ["A=1 B=2 git push", "deny", "commands.deny[0]"],
    ["X=1", "deny", "default"],
    ["a=1; npm test", "deny", "default"],
    ["export PATH=.; ls", "deny", "default"],
    ["LC_MESSAGES=C TZ=UTC git log -1", "allow", "commands.allow[4]"],
  ]);
});

describe("executable paths", () => {
  run([
    ["/bin/rm -rf x", "deny", "commands.deny[1]"],
    ["/usr/bin/curl x", "deny", "commands.deny[3]"],
    ["./rm -rf x", "deny", "commands.deny[1]"],
    ["\\rm -rf x", "deny", "commands.deny[1]"],
    ['"rm" -rf x', "deny", "commands.deny[1]"],
    ["r'm' -rf x", "deny", "commands.deny[1]"],
    // A numeric escape makes the word unreadable, so the program counts as unknown: every deny rule matches it.
    ["$'\\x72m' -rf x", "deny", "commands.deny[0]"],
    ["/usr/bin/git status", "deny", "default"],
    ["\\git status", "deny", "default"],
    ['"git" status', "deny", "default"],
    ["./node_modules/.bin/vitest run", "deny", "default"],
    ["$(echo rm) -rf x", "deny"],
    ["${RM:-rm} -rf x", "deny"],
    ["{rm,-rf,x}", "deny"],
    ['$"rm" -rf x', "deny"],
  ]);
});

describe("flag spellings", () => {
  run([
    ["rm -rf x", "deny", "commands.deny[1]"],
    ["rm -fr x", "deny", "commands.deny[1]"],
    ["rm -r -f x", "deny", "commands.deny[1]"],
    ["rm x -r", "deny", "commands.deny[1]"],
    ["rm -vr x", "deny", "commands.deny[1]"],
    ["rm -Rf x", "deny", "commands.deny[2]"],
    ["rm -R x", "deny", "default"],
    ["rm --recursive x", "deny", "default"],
    ["rm -- -r", "deny", "default"],
    ["git --no-pager push origin", "deny", "commands.deny[0]"],
    ["git -C /tmp/repo push", "deny", "commands.deny[0]"],
    ["git --git-dir=.git push", "deny", "commands.deny[0]"],
    ["git push --force", "deny", "commands.deny[0]"],
    ["git push -f origin main", "deny", "commands.deny[0]"],
    ["git   push", "deny", "commands.deny[0]"],
    ['git "push" origin', "deny", "commands.deny[0]"],
    ["git pu''sh", "deny", "commands.deny[0]"],
    ["git p\\ush", "deny", "commands.deny[0]"],
    ["curl", "deny", "commands.deny[3]"],
    ["curl -sSL https://x", "deny", "commands.deny[3]"],
  ]);
});
