import { beforeAll, describe, it } from "vitest";
import { type Case, commandDecider, type Decider, expectDecision, testPolicy } from "./commands-fixture.ts";

let decide: Decider;
beforeAll(async () => {
  decide = await commandDecider();
});

const run = (cases: Case[]) =>
  it.each(cases)("%j → %s", (command, expected, rule) => expectDecision(decide(testPolicy, command), expected, rule));

describe("parser differentials", () => {
  run([
    ["rm -r\\\nf x", "deny", "commands.parse"],
    ["git pu\\\nsh", "deny", "commands.parse"],
    ["npm test &\\\n& curl x", "deny", "commands.parse"],
    ["ls \\\n  -la", "allow", "commands.allow[5]"],
    ["# comment\n# another\nrm -rf x", "deny", "commands.deny[1]"],
    ["ls # ; rm -rf x", "allow"],
    ["echo '#' ; rm -rf x", "deny", "commands.deny[1]"],
    ["rm\t-rf\tx", "deny", "commands.deny[1]"],
    ["echo \u200b; rm -rf x", "deny", "commands.parse"],
    ["npm test\u202e", "deny", "commands.parse"],
    ["npm test \u2066x\u2069", "deny", "commands.parse"],
    ["\ufeffnpm test", "deny", "commands.parse"],
    ["npm te\u00adst", "deny", "commands.parse"],
    ["npm test\r", "deny", "commands.parse"],
    ["npm test\0", "deny", "commands.parse"],
    ["npm test\x1b[2K", "deny", "commands.parse"],
    [`echo ${"a ".repeat(5001)}`, "deny", "commands.parse"],
    [`echo ${"a ".repeat(4000)}`, "allow"],
    ['echo "unterminated', "deny", "commands.parse"],
    ["npm test )", "deny", "commands.parse"],
    ["npm test &&", "deny", "commands.parse"],
    ["npm test &&& ls", "deny", "commands.parse"],
    ["git >/dev/null push", "deny", "commands.parse"],
    ["git 2>/dev/null push origin", "deny", "commands.parse"],
    ["rm <<EOF -rf x\nEOF", "deny", "commands.parse"],
    ["cat - <<EOF\nhi\nEOF", "deny", "commands.parse"],
    [`echo ${"$(".repeat(300)}x${")".repeat(300)}`, "deny", "commands.parse"],
    ["echo <<EOF\n`rm -rf x`\nEOF", "deny", "commands.parse"],
    ["echo <<'EOF'\n`rm -rf x`\nEOF", "allow"],
    ["[[ a =~ `rm -rf x` ]]", "deny", "commands.parse"],
    ["r`true`m -rf x", "deny", "commands.parse"],
    ["git pu`true`sh", "deny", "commands.parse"],
    ["git { { x", "deny", "commands.parse"],
    ["{rm,-rf} x\n}", "deny", "commands.parse"],
    ["IFS=, -- =~ \n {rm,-rf} x", "deny", "commands.parse"],
    ["", "deny", "commands.parse"],
    ["   \n  ", "deny", "commands.parse"],
    [";", "deny", "commands.parse"],
  ]);
});

describe("argument smuggling", () => {
  run([
    ["npm test -- ; rm -rf x", "deny", "commands.deny[1]"],
    ["echo -- '; rm -rf x'", "allow"],
    ["git diff HEAD -- '$(rm -rf x)'", "allow"],
    ['git log --format="$(curl x)"', "deny", "commands.deny[3]"],
    ['git diff -- "src/$(rm -rf x)"', "deny", "commands.deny[1]"],
    ["cat README.md\\ ; rm -rf x", "deny", "commands.deny[1]"],
    ["npm run lint -- --fix; curl x", "deny", "commands.deny[3]"],
    ["npx vitest run --reporter=$(curl x)", "deny", "commands.deny[3]"],
    ["echo ok > /dev/null; git push", "deny", "commands.deny[0]"],
    ["npm test '&&' rm -rf x", "deny", "default"],
    ["echo \"\\\"; rm -rf x; echo \\\"\"", "allow"],
    ["echo '\\''; rm -rf x", "deny", "commands.parse"],
    ["npm test --prefix=$(rm -rf x)", "deny", "commands.deny[1]"],
  ]);
});
