import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { scratchDir } from "../helpers/temp.ts";
import { decide } from "../../src/policy/decide.ts";
import type { Policy } from "../../src/policy/types.ts";
import { resolveAccesses } from "../../src/policy/resolve/index.ts";
import { type Case, commandDecider, type Decider, denyListPolicy, expectDecision, testPolicy, toolPolicy } from "./commands-fixture.ts";

/*
 * Commands that bash runs differently from how the checker reads them, so that an allow rule lets through
 * something that runs another program, writes a file the checker did not see, or that a deny rule misses.
 * Each case says what `bash -c COMMAND` (GNU bash 5.2) really does; all were run to confirm it.
 */

let decide_: Decider;
beforeAll(async () => {
  decide_ = await commandDecider();
});

const run = (policy: Policy, cases: Case[]) =>
  it.each(cases)("%j → %s", (command, expected, rule) => expectDecision(decide_(policy, command), expected, rule));

describe("ANSI-C quoting ($'…') decoded differently from bash", () => {
  /*
   * bash understands `\x{HH…}` in $'…' (`$'\x{65}'` is `e`); the checker keeps `\x{65}` as literal text.
   * bash stores an octal escape as one byte (`\400` is 256 & 0xff = NUL, which ends the word: `$'ab\400cd'`
   * is `ab`); the checker decodes it as U+0100 and keeps the rest of the word.
   * So the checker sees an unknown option where find/git see -exec/--output.
   */
  run(testPolicy, [
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
  run(denyListPolicy, [
    ["$'\\x{72}m' -rf x", "deny"],
    ["git $'\\x{70}ush' origin main", "deny"],
    ["git $'push\\400' origin main", "deny"],
    ["curl$'\\400' https://example.com", "deny"],
  ]);
});

describe("ANSI-C quoting hides a read-denied file from the argument check", () => {
  const policy: Policy = {
    ...testPolicy,
    files: { read: { allow: [{ pattern: "**" }], deny: [{ pattern: "**/.env" }] }, write: { allow: [{ pattern: "src/**" }], deny: [] } },
  };
  it.each([
    // bash: `cat .env` (\x{65} is e) — prints the secret; the checker looks for a file named `.\x{65}nv`.
    ["cat $'.\\x{65}nv'"],
    // bash: `cat .env` (\400 is a NUL byte, which ends the word).
    ["cat $'.env\\400'"],
  ])("%s is refused", async (command) => {
    const dir = scratchDir("nanocoder-adversarial-");
    writeFileSync(join(dir, ".env"), "TOKEN=x\n");
    expect(await decideIn(policy, command, dir)).toMatchObject({ decision: "deny" });
    // Sanity: the plain spelling is refused.
    expect(await decideIn(policy, "cat .env", dir)).toMatchObject({ decision: "deny" });
  });
});

async function decideIn(policy: Policy, command: string, dir: string) {
  return decide(policy, await resolveAccesses("execute_bash", [{ kind: "command", command }], dir));
}

describe("find: `--` ends find's options, not its expression", () => {
  /*
   * GNU find reads `--` as the end of its options (-H, -L, -P, -D, -O); the expression after it still runs.
   * The hardening check stops reading at `--`, so -delete and -fprint pass "find **".
   * bash -c 'find -- a -delete' deletes a and everything under it; `find -- . -fprint F` writes F.
   */
  run(testPolicy, [
    ["find -- . -delete", "deny"],
    ["find -- . -fprint .git/config", "deny"],
    ["find -- . -fls README.md", "deny"],
    ["find -- . -fprintf .git/HEAD x", "deny"],
  ]);
});

describe("getopt spellings the hardening list does not read", () => {
  run(toolPolicy, [
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

describe("deny rules miss git's own programs", () => {
  // /usr/lib/git-core/git-push is git push (Debian/Ubuntu git); `git-push` is not `git` to the deny rule.
  run(denyListPolicy, [
    ["/usr/lib/git-core/git-push origin main", "deny"],
  ]);
});

describe("test runner options that write or delete outside the file rules (docs: Known limits, build tool output options)", () => {
  const runners: Policy = {
    ...testPolicy,
    commands: { allow: [{ pattern: "npx vitest run **" }, { pattern: "python -m pytest **" }], deny: testPolicy.commands.deny },
  };
  run(runners, [
    // pytest removes the --basetemp folder before the first tmp_path use: with a test that takes tmp_path,
    // `python -m pytest --basetemp=victim` deleted victim/sub/important. Here: the protected .git folder.
    ["python -m pytest --basetemp=.git test/a_test.py", "deny"],
    ["python -m pytest --junitxml=.git/config", "deny"],
    // `vitest run --reporter=json --outputFile=victim.json` writes victim.json.
    ["npx vitest run --reporter=json --outputFile=.git/config", "deny"],
  ]);
});
