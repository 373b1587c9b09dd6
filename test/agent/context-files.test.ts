import { symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { contextCaps, loadContextFiles, promptMentions, readWorkspaceText } from "../../src/agent/context-files.ts";
import { builtinPolicy } from "../../src/policy/default.ts";
import { createSandbox } from "../tools/helpers.ts";

const roomy = { fileBytes: 50_000, totalBytes: 200_000 };

describe("promptMentions", () => {
  it.each([
    ["Document @src/math.ts please.", ["src/math.ts"]],
    ["See @a.ts, @b/c.ts; and (@d.ts)", ["a.ts", "b/c.ts", "d.ts"]],
    ["@README.md first", ["README.md"]],
    ["mail me at dev@example.com", []],
    ["ask @octocat about @src/", ["octocat", "src/"]],
    ["twice: @a.ts and @a.ts", ["a.ts"]],
    ["a lone @ sign, and @@twice", []],
  ])("%s", (prompt, expected) => {
    expect(promptMentions(prompt)).toEqual(expected);
  });
});

describe("contextCaps", () => {
  it("keeps context within 40% of the window, at 3 bytes a token", () => {
    expect(contextCaps(4_096)).toEqual({ fileBytes: 4_915, totalBytes: 4_915 });
    expect(contextCaps(32_768)).toEqual({ fileBytes: 39_321, totalBytes: 39_321 });
    expect(contextCaps(1_000_000)).toEqual({ fileBytes: 50_000, totalBytes: 200_000 });
  });
});

describe("loadContextFiles", () => {
  it("gives globbed files, then mentioned ones, each once", async () => {
    const { workspace } = await createSandbox({ "src/a.ts": "a\n", "src/b.ts": "b\n", "docs/c.md": "c\n" });
    const selection = await loadContextFiles({ patterns: ["src/*.ts"], mentions: ["docs/c.md", "src/a.ts", "octocat"] }, workspace, builtinPolicy, roomy);
    expect(selection.files).toEqual([
      { path: "src/a.ts", content: "a\n" },
      { path: "src/b.ts", content: "b\n" },
      { path: "docs/c.md", content: "c\n" },
    ]);
    expect(selection.skipped).toEqual([{ path: "octocat", reason: "no such file in the workspace" }]);
  });

  it("caps each file, keeping its head and tail and saying how to read the rest", async () => {
    const big = Array.from({ length: 2_000 }, (_, line) => `line ${line + 1}\n`).join("");
    const { workspace } = await createSandbox({ "big.txt": big });
    const [file] = (await loadContextFiles({ patterns: [], mentions: ["big.txt"] }, workspace, builtinPolicy, { fileBytes: 2_000, totalBytes: 10_000 })).files;
    expect(file?.content).toMatch(/^\[this file has \d+ bytes; only its head and tail are shown here: read the rest with read_file\]\nline 1\n/);
    expect(file?.content).toContain("bytes omitted");
    expect(file?.content.endsWith("line 2000\n")).toBe(true);
    expect(Buffer.byteLength(file?.content ?? "")).toBeLessThan(2_300);
  });

  it("stops adding files once the whole context is full", async () => {
    const kilobytes = (count: number): string => "x".repeat(count * 1_000);
    const { workspace } = await createSandbox({ "a.txt": kilobytes(3), "b.txt": kilobytes(3), "c.txt": kilobytes(3) });
    const selection = await loadContextFiles({ patterns: ["*.txt"], mentions: [] }, workspace, builtinPolicy, { fileBytes: 5_000, totalBytes: 6_500 });
    expect(selection.files.map((file) => file.path)).toEqual(["a.txt", "b.txt"]);
    expect(selection.skipped).toEqual([{ path: "c.txt", reason: expect.stringContaining("the context is full") }]);
  });

  it("never gives a file the policy refuses, named directly or through a symlink", async () => {
    const { workspace } = await createSandbox({ ".env": "TOKEN=secret\n", "ok.txt": "fine\n" });
    await symlink(".env", path.join(workspace, "settings.txt"));
    const selection = await loadContextFiles({ patterns: ["*"], mentions: [".env", "settings.txt"] }, workspace, builtinPolicy, roomy);
    expect(selection.files).toEqual([{ path: "ok.txt", content: "fine\n" }]);
    expect(JSON.stringify(selection.files)).not.toContain("secret");
    expect(selection.skipped.map((skip) => skip.path)).toEqual([".env", "settings.txt"]);
    for (const skip of selection.skipped) expect(skip.reason).toMatch(/^denied by policy: /);
  });

  it("never gives a file outside the workspace, whatever the symlink or path", async () => {
    const { workspace, outside } = await createSandbox({});
    await writeFile(path.join(outside, "id_rsa"), "PRIVATE KEY\n");
    await symlink(path.join(outside, "id_rsa"), path.join(workspace, "notes.md"));
    const selection = await loadContextFiles({ patterns: ["*.md"], mentions: ["../outside/id_rsa", "notes.md"] }, workspace, builtinPolicy, roomy);
    expect(selection.files).toEqual([]);
    expect(selection.skipped).toEqual([
      { path: "notes.md", reason: expect.stringContaining("through a symbolic link") },
      { path: "../outside/id_rsa", reason: expect.stringContaining("outside the workspace") },
    ]);
  });

  it("skips folders and binary files", async () => {
    const { workspace } = await createSandbox({ "src/a.ts": "a\n" });
    await writeFile(path.join(workspace, "logo.png"), Buffer.from([137, 80, 78, 71, 0, 0, 1]));
    const selection = await loadContextFiles({ patterns: [], mentions: ["src", "logo.png"] }, workspace, builtinPolicy, roomy);
    expect(selection.skipped).toEqual([
      { path: "src", reason: "a folder, not a file" },
      { path: "logo.png", reason: "a binary file" },
    ]);
  });

  it("refuses a context entry that matches nothing", async () => {
    const { workspace } = await createSandbox({});
    await expect(loadContextFiles({ patterns: ["src/*.ts"], mentions: [] }, workspace, builtinPolicy, roomy)).rejects.toThrow('context: "src/*.ts" matches no file');
  });
});

describe("readWorkspaceText (AGENTS.md)", () => {
  it("does not follow a symlink out of the workspace", async () => {
    const { workspace, outside } = await createSandbox({});
    await writeFile(path.join(outside, "secret.txt"), "do not send\n");
    await symlink(path.join(outside, "secret.txt"), path.join(workspace, "AGENTS.md"));
    const text = await readWorkspaceText(workspace, "AGENTS.md", builtinPolicy, 1_000);
    expect(text).toEqual({ ok: false, reason: expect.stringContaining("through a symbolic link") });
  });
});
