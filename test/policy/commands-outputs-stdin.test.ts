import { beforeAll, describe, it } from "vitest";
import type { Policy } from "../../src/policy/types.ts";
import { type Case, commandDecider, type Decider, expectDecision, testPolicy } from "./commands-fixture.ts";

/*
 * Output options of test runners, linters and compilers write the path they are given, wherever they
 * appear (past `--` too, where npm hands them to the script) and however they are spelled (dotted, kebab).
 * Interpreters that read their program from a `<` file are refused like those fed by a pipe or heredoc.
 * The fixture's file rules: reads anything but .env, writes only under src/.
 */

let decide_: Decider;
beforeAll(async () => {
  decide_ = await commandDecider();
});

const run = (policy: Policy, cases: Case[]) =>
  it.each(cases)("%j → %s", (command, expected, rule) => expectDecision(decide_(policy, command), expected, rule));

const runners: Policy = {
  ...testPolicy,
  commands: {
    allow: [
      "npm test -- **",
      "npm run lint -- **",
      "npx vitest run **",
      "npx jest **",
      "npx eslint **",
      "npx mocha **",
      "npx tsc **",
      "python -m pytest **",
      "yarn test **",
      "go build **",
    ].map((pattern) => ({ pattern })),
    deny: testPolicy.commands.deny,
  },
};

describe("4. output options are checked as writes", () => {
  run(runners, [
    ["npx vitest run --outputFile=src/results.json", "allow"],
    ["npx vitest run --outputFile=README.md", "deny", "default"],
    ["npx vitest run --outputFile README.md", "deny", "default"],
    ["npx vitest run --outputFile.json=README.md", "deny", "default"],
    ["npx vitest run --outputFile.junit=src/junit.xml --outputFile.json=report.json", "deny", "default"],
    ["npx vitest run --output-file=README.md", "deny", "default"],
    ["npx vitest run --coverage.reportsDirectory=coverage", "deny", "default"],
    ["npx vitest run --coverage.reports-directory=coverage", "deny", "default"],
    ["npx vitest run --coverage.reportsDirectory=src/coverage", "allow"],
    ["npx vitest run --reporter=json", "allow"],
    // Past `--`, npm hands the options to the script.
    ["npm test -- --outputFile=README.md", "deny", "default"],
    ["npm test -- --reporter=json --outputFile=.git/config", "deny", "default"],
    ["npm test -- --outputFile=src/out.json", "allow"],
    ["npm run lint -- -o README.md", "deny", "default"],
    ["npm run lint -- -oREADME.md", "deny", "default"],
    ["npm run lint -- --output-file README.md", "deny", "default"],
    ["yarn test --outputFile README.md", "deny", "default"],
    ["npx eslint -o README.md .", "deny", "default"],
    ["npx eslint --output-file src/lint.txt .", "allow"],
    ["npx eslint --cache-location=.eslintcache .", "deny", "default"],
    ["npx jest --coverageDirectory=coverage", "deny", "default"],
    ["npx jest --coverage-directory coverage", "deny", "default"],
    ["npx jest --outputFile=src/jest.json", "allow"],
    ["npx mocha --reporter-option output=README.md", "deny", "default"],
    ["npx mocha --reporter-options mochaFile=junit.xml,toConsole=true", "deny", "default"],
    ["npx mocha -O output=README.md", "deny", "default"],
    ["npx mocha --reporter-option maxDiffSize=0", "allow"],
    ["npx tsc --outDir dist", "deny", "default"],
    ["npx tsc --outFile=out.js", "deny", "default"],
    ["npx tsc --tsBuildInfoFile=.tsbuildinfo", "deny", "default"],
    ["npx tsc --declarationDir types", "deny", "default"],
    ["npx tsc --outDir src/dist", "allow"],
    ["python -m pytest --junitxml=report.xml", "deny", "default"],
    ["python -m pytest --junit-xml=report.xml", "deny", "default"],
    ["python -m pytest --basetemp=tmp", "deny", "default"],
    ["python -m pytest --basetemp=src/tmp", "allow"],
    ["python -m pytest --cov-report=html:htmlcov", "deny", "default"],
    ["python -m pytest --cov-report=xml:src/coverage.xml", "allow"],
    ["python -m pytest --cov-report=term", "allow"],
    ["python -m pytest --log-file=pytest.log", "deny", "default"],
    ["python -m pytest --html=report.html", "deny", "default"],
    ["go build -o bin/app ./cmd", "deny", "default"],
    // Paths the shell expands, outside the workspace, or after a cd are refused outright.
    ["npx vitest run --outputFile=$OUT", "deny"],
    ["npx vitest run --outputFile=../x.json", "deny", "commands.output"],
    ["npx vitest run --outputFile=/etc/x.json", "deny", "commands.output"],
    ["npx vitest run --outputFile=/proc/self/cwd/src/x.json", "deny", "commands.output"],
    ["npx vitest run --outputFile=/dev/null", "allow"],
  ]);

  // Risky options of any program are read past `--` and in dotted form.
  run({ ...runners, commands: { allow: [{ pattern: "npm test -- **" }, { pattern: "npm run lint **" }], deny: [] } }, [
    ["npm test -- --script-shell=./x.sh", "deny", "commands.hardening"],
    ["npm test -- --script-shell.a=./x.sh", "deny", "commands.hardening"],
    ["npm run lint -- --script-shell ./x.sh", "deny", "commands.hardening"],
  ]);
});

const interpreters: Policy = {
  ...testPolicy,
  commands: {
    allow: ["bash", "sh", "bash *", "python3", "python3 *", "node", "cat *", "wc -l", "exec", "bash -c *"].map((pattern) => ({ pattern })),
    deny: testPolicy.commands.deny,
  },
};

describe("5. an interpreter reading its program from a `<` file is refused", () => {
  run(interpreters, [
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
