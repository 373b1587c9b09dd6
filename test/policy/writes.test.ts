import { describe, expect, it } from "vitest";
import { decide } from "../../src/policy/decide.ts";
import { parsePolicy } from "../../src/policy/load.ts";
import { resolveAccesses } from "../../src/policy/resolve/index.ts";
import type { Policy } from "../../src/policy/types.ts";
import fileOp from "../../src/tools/file-op.ts";
import { decideEachByRules, testPolicy } from "./commands-fixture.ts";
import { auditDir, decideEach, issueExample, linkedDir, maintainerPolicy, permissive, protectedStarter } from "./workspaces.ts";

/*
 * What a command writes: paths its words name, through links, output options of test runners and
 * compilers (past `--` and in dotted form), copies of folders, and file_op's copy.
 */

describe("test runner options that write or delete outside the file rules (docs: Known limits, build tool output options)", () => {
  const runners: Policy = {
    ...testPolicy,
    commands: { allow: [{ pattern: "npx vitest run **" }, { pattern: "python -m pytest **" }], deny: testPolicy.commands.deny },
  };
  decideEachByRules(runners, [
    // pytest removes the --basetemp folder before the first tmp_path use: with a test that takes tmp_path,
    // `python -m pytest --basetemp=victim` deleted victim/sub/important. Here: the protected .git folder.
    ["python -m pytest --basetemp=.git test/a_test.py", "deny"],
    ["python -m pytest --junitxml=.git/config", "deny"],
    // `vitest run --reporter=json --outputFile=victim.json` writes victim.json.
    ["npx vitest run --reporter=json --outputFile=.git/config", "deny"],
  ]);
});

const outputRunners: Policy = {
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
  decideEachByRules(outputRunners, [
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
  decideEachByRules({ ...outputRunners, commands: { allow: [{ pattern: "npm test -- **" }, { pattern: "npm run lint **" }], deny: [] } }, [
    ["npm test -- --script-shell=./x.sh", "deny", "commands.hardening"],
    ["npm test -- --script-shell.a=./x.sh", "deny", "commands.hardening"],
    ["npm run lint -- --script-shell ./x.sh", "deny", "commands.hardening"],
  ]);
});

describe("2. recursive copies of folders made or changed in the same line", () => {
  decideEach(permissive, [
    ["cp -r .github gh && cp README.md gh/workflows/ci.yml && cp -rT gh .github", "deny", /command of its own/],
    ["cp -rT gh .github", "deny", /does not exist when the line is checked/],
    ["mkdir -p g/workflows && cp README.md g/workflows/ci.yml && cp -r g/workflows .github", "deny", "commands.uncheckable"],
    ["rsync -a g/ .github/", "deny", /command of its own/],
    ["mv g .github", "deny", "commands.uncheckable"],
    ["cp README.md empty/ci.yml && cp -rT empty .github/workflows", "deny", /changes first/],
    ["mkdir empty/workflows && cp -r empty .github", "deny", /changes first/],
    ["cd src && cp README.md x && cp -r deep ../.github", "deny", "commands.uncheckable"],
    ["cp -r tpl .github/workflows", "deny", "files.write.deny[0]"],
    ["rsync -a tpl/ .github/workflows/", "deny", "files.write.deny[0]"],
    ["cp -rT empty .github", "allow"],
    ["cp -r src/deep src/copy && cp README.md src/copy/r.md", "allow"],
    ["cp -r tpl tpl2", "allow"],
    ["cp -r src/deep src/c1 && cp -r src/deep src/c2", "allow"],
    ["cp -r tpl g/ && cp -r g .github", "deny", "commands.uncheckable"],
  ], auditDir);
});

describe("false denies: links replaced, not written through", () => {
  decideEach(issueExample, [
    ["mv src/a.ts src/env-link", "allow"],
    ["cp --remove-destination src/a.ts src/wf", "allow"],
    ["cp src/a.ts src/wf", "deny", "files.write.deny[0]"],
    ["cp src/a.ts src/env-link", "deny"],
  ], auditDir);
});

describe("2. programs that write through a link are checked at the link and at its target", () => {
  decideEach(() => maintainerPolicy, [
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

describe("4. options that write files are checked as writes, past `--` and in dotted form", () => {
  describe("starter policy", () => {
    decideEach(() => protectedStarter, [
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
    decideEach(() => maintainerPolicy, [
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

describe("programs that write where their words say", () => {
  decideEach(() => maintainerPolicy, [
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
  decideEach(() => maintainerPolicy, [
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

describe("programs that write files their words name, and folders moved by options", () => {
  const runnersPolicy = parsePolicy(
    'version: 1\nfiles:\n  read: {allow: ["**"], deny: ["**/.env"]}\n  write: {allow: ["**"], deny: [".github/workflows/**"]}\ncommands:\n  allow: ["npx vitest run **", "npm test -- **", "npm --prefix * test -- **", "pnpm --filter * test -- **", "grep **", "rg **", "gzip **", "uniq **", "split **", "sponge **", "ed **", "sqlite3 **", "printf **", "cat *", "iconv **"]\n',
    "runners.yaml",
  );
  decideEach(() => runnersPolicy, [
    // A base folder moved by the program: `workflows/ci.yml` lands in .github.
    ["npx vitest run --root .github --outputFile=workflows/ci.yml", "deny", "commands.output"],
    ["npm --prefix .github test -- --outputFile=workflows/ci.yml", "deny", "commands.output"],
    ["pnpm --filter ./.github test -- --outputFile=workflows/ci.yml", "deny", "commands.output"],
    ["npx vitest run --outputFile=workflows/ci.yml", "allow"],
    // An output option read as a folder when some programs take it as one (playwright's --output).
    ["npx vitest run --output=.github", "deny"],
    // Programs that write files their words name.
    ["gzip .github/workflows/ci.yml", "deny", "files.write.deny[0]"],
    ["gzip -c .github/workflows/ci.yml", "allow"],
    ["uniq README.md .github/workflows/ci.yml", "deny", "files.write.deny[0]"],
    ["split README.md .github/workflows/", "deny", "files.write.deny[0]"],
    ["cat README.md | sponge .github/workflows/ci.yml", "deny", "files.write.deny[0]"],
    ["iconv -f latin1 -t utf8 -o .github/workflows/ci.yml README.md", "deny", "files.write.deny[0]"],
  ]);
});

describe("8. file_op copy checks its source against files.write too", () => {
  it.each([
    [{ operation: "copy", path: ".github/workflows/ci.yml", destination: "src/ci.yml" }, "deny", "files.write.deny[0]"],
    [{ operation: "copy", path: "README.md", destination: "src/README.md" }, "deny", "default"],
    [{ operation: "copy", path: "src/a.ts", destination: "src/b.ts" }, "allow", "files.read.allow[0]"],
  ] as const)("%j → %s", async (args, expected, rule) => {
    expect(decide(maintainerPolicy, await resolveAccesses("file_op", fileOp.accesses(args), linkedDir()))).toMatchObject({ decision: expected, rule });
  });
});
