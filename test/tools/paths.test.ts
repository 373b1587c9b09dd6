import { mkdir, symlink } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normalizeRelativePath, resolveWorkspacePath } from "../../src/workspace/paths.ts";
import { ToolError } from "../../src/tools/types.ts";
import { createSandbox } from "./helpers.ts";

describe("resolveWorkspacePath", () => {
  it("resolves a path inside the workspace, existing or not", async () => {
    const { workspace } = await createSandbox({ "src/a.ts": "" });
    await expect(resolveWorkspacePath(workspace, "src/a.ts")).resolves.toMatchObject({ relative: "src/a.ts" });
    await expect(resolveWorkspacePath(workspace, "new/dir/b.ts")).resolves.toMatchObject({ relative: "new/dir/b.ts" });
    await expect(resolveWorkspacePath(workspace, "./src/../")).resolves.toMatchObject({ relative: "." });
  });

  it.each(["../outside/x", "src/../../x", "/etc/passwd"])("refuses %s with a ToolError naming the path", async (given) => {
    const { workspace } = await createSandbox();
    const attempt = resolveWorkspacePath(workspace, given);
    await expect(attempt).rejects.toThrow(ToolError);
    await expect(attempt).rejects.toThrow(given);
  });

  it("refuses symlinks that lead outside, anywhere along the path", async () => {
    const { workspace, outside } = await createSandbox();
    await symlink(outside, path.join(workspace, "linked"));
    await expect(resolveWorkspacePath(workspace, "linked")).rejects.toThrow(/symbolic link/);
    await expect(resolveWorkspacePath(workspace, "linked/deeper/new.txt")).rejects.toThrow(/symbolic link/);
  });

  it("refuses a dangling symlink whose target would be created outside", async () => {
    const { workspace, outside } = await createSandbox();
    await symlink(path.join(outside, "not-yet.txt"), path.join(workspace, "dangling"));
    await expect(resolveWorkspacePath(workspace, "dangling")).rejects.toThrow(/symbolic link/);
  });

  it("follows symlinks that stay inside and reports the real target", async () => {
    const { workspace } = await createSandbox({ "real/file.txt": "x" });
    await symlink("real", path.join(workspace, "alias"));
    await expect(resolveWorkspacePath(workspace, "alias/file.txt")).resolves.toMatchObject({ relative: "real/file.txt" });
  });

  it("keepFinalLink keeps the link itself but still checks its folder", async () => {
    const { workspace, outside } = await createSandbox();
    await symlink(outside, path.join(workspace, "linked"));
    await mkdir(path.join(outside, "sub"));
    await expect(resolveWorkspacePath(workspace, "linked", { keepFinalLink: true })).resolves.toMatchObject({ relative: "linked" });
    await expect(resolveWorkspacePath(workspace, "linked/sub", { keepFinalLink: true })).rejects.toThrow(/symbolic link/);
  });

  it("works when the workspace path itself goes through a symlink", async () => {
    const { workspace, outside } = await createSandbox({ "a.txt": "" });
    const alias = path.join(outside, "alias-of-workspace");
    await symlink(workspace, alias);
    await expect(resolveWorkspacePath(alias, "a.txt")).resolves.toMatchObject({ relative: "a.txt" });
  });
});

describe("normalizeRelativePath", () => {
  it.each([
    ["src/a.ts", "src/a.ts"],
    ["./src//a.ts", "src/a.ts"],
    ["src/", "src"],
    ["", "."],
    ["./", "."],
    ["a/../b", "b"],
    ["../x", "../x"],
    ["/abs/x/", "/abs/x"],
  ])("%j → %j", (given, expected) => {
    expect(normalizeRelativePath(given)).toBe(expected);
  });
});
