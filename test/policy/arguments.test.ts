import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scratchDir } from "../helpers/temp.ts";
import { decide } from "../../src/policy/decide.ts";
import { parsePolicy } from "../../src/policy/load.ts";
import type { Policy } from "../../src/policy/types.ts";
import { resolveAccesses } from "../../src/policy/resolve/index.ts";

/*
 * Ways around the argument checks (docs/policy.md, "Files named as arguments are reads" and "Paths given to
 * programs that change files are writes"). Each bypass below reads .env or writes .github/workflows/**
 * with a command the allow rules match, which the docs say is refused.
 */

const readPolicy = parsePolicy(
  [
    "version: 1",
    "files:",
    '  read: {allow: ["**"], deny: ["**/.env"]}',
    '  write: {allow: ["**"]}',
    "commands:",
    '  allow: ["echo **", "cat **", "cd *", "cp **", "ln **", "env **", "sudo **", "printf **"]',
    "",
  ].join("\n"),
  "policy.yaml",
);

const writePolicy = parsePolicy(
  [
    "version: 1",
    "files:",
    '  read: {allow: ["**"]}',
    '  write: {allow: ["**"], deny: [".github/workflows/**"]}',
    "commands:",
    '  allow: ["cp **", "mv **", "rm **", "tee **", "touch **", "mkdir **", "dd **", "cd *", "cat **", "echo **", "sed **", "env **", "sudo **", "chmod **", "sh -c *"]',
    "",
  ].join("\n"),
  "policy.yaml",
);

/** A write allow-list with deny by default, as a careful policy has it. */
const allowListPolicy = parsePolicy(
  [
    "version: 1",
    "default: deny",
    "files:",
    '  read: {allow: ["**"]}',
    '  write: {allow: ["src/**"]}',
    "commands:",
    '  allow: ["sed -i **", "chmod **", "touch **", "truncate **", "mkdir **", "install **", "cp **"]',
    "",
  ].join("\n"),
  "policy.yaml",
);

function project(): string {
  const dir = scratchDir("nanocoder-facts-bypass-");
  mkdirSync(join(dir, ".github/workflows"), { recursive: true });
  writeFileSync(join(dir, ".github/workflows/ci.yml"), "on: push\n");
  mkdirSync(join(dir, "payload/workflows"), { recursive: true });
  writeFileSync(join(dir, "payload/workflows/evil.yml"), "on: push\n");
  mkdirSync(join(dir, "workflows"));
  writeFileSync(join(dir, "workflows/evil.yml"), "on: push\n");
  mkdirSync(join(dir, "src/lib"), { recursive: true });
  writeFileSync(join(dir, "src/lib/x.ts"), "x\n");
  writeFileSync(join(dir, "src/x.ts"), "x\n");
  writeFileSync(join(dir, ".env"), "TOKEN=x\n");
  writeFileSync(join(dir, ".git"), "gitdir: /nowhere\n");
  writeFileSync(join(dir, "a.txt"), "a\n");
  return dir;
}

async function decideIn(policy: Policy, command: string, dir = project()) {
  return decide(policy, await resolveAccesses("execute_bash", [{ kind: "command", command }], dir));
}

describe("reads of a read-denied file the argument check misses", () => {
  it.each([
    // The shell runs the command in src/lib, whose ../../.env is the workspace's .env.
    ["cd src && cd lib && cat ../../.env"],
    ["cd src/lib; cd ..; cat ../.env"],
    // env -C / sudo -D change the folder of the command they run, like cd.
    ["env -C src cat ../.env"],
    ["env --chdir=src/lib cat ../../.env"],
  ])("%s is refused", async (command) => {
    expect(await decideIn(readPolicy, command)).toMatchObject({ decision: "deny" });
  });
});

describe("writes to a write-denied path the argument check misses", () => {
  it.each([
    // cp -T copies the folder's contents into .github: .github/workflows/evil.yml.
    ["cp -rT payload .github"],
    ["mv -T payload .github"],
    // payload/. is the folder's contents, copied into .github.
    ["cp -r payload/. .github"],
    // -t in a group of short options.
    ["cp -rt .github workflows"],
    // GNU long options may be abbreviated: --target = --target-directory, --rec = --recursive, --in-pl = --in-place.
    ["cp --target=.github/workflows a.txt"],
    ["rm --rec .github"],
    // Moving a folder away removes every file it holds, as rm -r does.
    ["mv .github elsewhere"],
    // The folder the command runs in, after a chain of cd or through env -C.
    ["cd .github && cd workflows && cp ../../a.txt evil.yml"],
    ["env -C .github/workflows cp ../../a.txt evil.yml"],
  ])("%s is refused", async (command) => {
    expect(await decideIn(writePolicy, command)).toMatchObject({ decision: "deny" });
  });

  it("cp -r DIR .github, when .github does not exist yet, makes .github/workflows/evil.yml: refused", async () => {
    const dir = scratchDir("nanocoder-facts-bypass-");
    mkdirSync(join(dir, "payload/workflows"), { recursive: true });
    writeFileSync(join(dir, "payload/workflows/evil.yml"), "on: push\n");
    expect(await decideIn(writePolicy, "cp -r payload .github", dir)).toMatchObject({ decision: "deny" });
  });
});

describe("ordinary commands a write allow-list refuses: option values and scripts taken for paths", () => {
  it.each([
    ["sed -i s/a/b/ src/x.ts"],
    ["sed -i -e s/a/b/ src/x.ts"],
    ["chmod +x src/x.ts"],
    ["chmod 644 src/x.ts"],
    ["touch -d 2020-01-01 src/x.ts"],
    ["truncate -s 0 src/x.ts"],
    ["mkdir -m 755 src/new"],
    ["install -m 644 src/x.ts src/y.ts"],
  ])("%s is allowed", async (command) => {
    expect(await decideIn(allowListPolicy, command)).toMatchObject({ decision: "allow" });
  });
});

describe("ordinary commands refused because a sed script looks like a protected path", () => {
  it.each([["sed -i s/.git/.hg/ a.txt"], ["sed -i s/x/.env/ a.txt"]])("%s is allowed", async (command) => {
    const policy = parsePolicy(
      'version: 1\nfiles:\n  read: {allow: ["**"]}\n  write: {allow: ["**"], deny: ["**/.env"]}\ncommands:\n  allow: ["sed -i **"]\n',
      "policy.yaml",
    );
    expect(await decideIn(policy, command)).toMatchObject({ decision: "allow" });
  });
});

describe("edge cases that work", () => {
  it.each([
    ["cat ./.env"],
    ["cat '.e'\"nv\""],
    ["cat src/../.env"],
    ["cd src/lib && cat ../../.env"],
    ["pushd src && cat ../.env"],
    ["sudo cat .env"],
    ["ln -s .env link"],
    ["echo x && cat -- .env"],
    // Allow rules do not match words the shell expands.
    ["cat .en?"],
    ["cat .e*"],
    ["cat $(printf .en)v"],
  ])("read: %s is refused", async (command) => {
    expect(await decideIn(readPolicy, command)).toMatchObject({ decision: "deny" });
  });

  it.each([
    ["cp a.txt ./.github//workflows/"],
    ["cp --target-directory .github/workflows a.txt"],
    ["cp -t.github/workflows a.txt"],
    ["rm -fr .github"],
    ["rm -r -- .github"],
    ["chmod -R 777 .github"],
    ["sed -Ei s/a/b/ .github/workflows/ci.yml"],
    ["sed -i.bak s/a/b/ .github/workflows/ci.yml"],
    ["sudo -u root env LANG=C tee -a .github/workflows/ci.yml"],
    ["sh -c 'cp a.txt .github/workflows/'"],
    ["cd .github/workflows && cp ../../a.txt ."],
    ["rm -rf ./src/.."],
    ["cp a.txt .github/workflow?/"],
    // sed's hardening rule catches an abbreviated --in-place.
    ["sed --in-pl s/push/pull/ .github/workflows/ci.yml"],
  ])("write: %s is refused", async (command) => {
    expect(await decideIn(writePolicy, command)).toMatchObject({ decision: "deny" });
  });

  it.each([["cp -r src src2"], ["rm -rf src/lib"], ["mv a.txt b.txt"], ["echo x | tee src/log.txt"], ["sed s/a/b/ .github/workflows/ci.yml"]])(
    "write: %s is allowed",
    async (command) => {
      expect(await decideIn(writePolicy, command)).toMatchObject({ decision: "allow" });
    },
  );
});
