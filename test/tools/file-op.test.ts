import { lstat, readFile, readlink, symlink } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import fileOp, { parameters } from "../../src/tools/file-op.ts";
import { createSandbox } from "./helpers.ts";

const exists = (absolute: string) => lstat(absolute).then(() => true, () => false);

describe("file_op", () => {
  it("deletes a folder recursively", async () => {
    const { ctx, workspace } = await createSandbox({ "dir/a/b.txt": "x", "keep.txt": "" });
    expect(await fileOp.execute({ operation: "delete", path: "dir" }, ctx)).toBe("Deleted folder dir.");
    expect(await exists(path.join(workspace, "dir"))).toBe(false);
    expect(await exists(path.join(workspace, "keep.txt"))).toBe(true);
  });

  it("deletes a symlink itself, not what it points to", async () => {
    const { ctx, workspace, outside } = await createSandbox();
    await symlink(outside, path.join(workspace, "link"));
    await fileOp.execute({ operation: "delete", path: "link" }, ctx);
    expect(await exists(path.join(workspace, "link"))).toBe(false);
    expect(await exists(outside)).toBe(true);
  });

  it("refuses to delete the root, a missing path, or through a symlinked folder", async () => {
    const { ctx, workspace, outside } = await createSandbox({ "a.txt": "" });
    await symlink(outside, path.join(workspace, "link"));
    await expect(fileOp.execute({ operation: "delete", path: "." }, ctx)).rejects.toThrow(/workspace root/);
    await expect(fileOp.execute({ operation: "delete", path: "gone" }, ctx)).rejects.toThrow(/does not exist/);
    await expect(fileOp.execute({ operation: "delete", path: "link/anything" }, ctx)).rejects.toThrow(/symbolic link/);
  });

  it("moves into new parent folders, keeping a moved link a link", async () => {
    const { ctx, workspace } = await createSandbox({ "a.txt": "A" });
    await symlink("a.txt", path.join(workspace, "alias"));
    expect(await fileOp.execute({ operation: "move", path: "a.txt", destination: "x/y/b.txt" }, ctx)).toBe("Moved a.txt to x/y/b.txt.");
    expect(await readFile(path.join(workspace, "x/y/b.txt"), "utf8")).toBe("A");
    await fileOp.execute({ operation: "move", path: "alias", destination: "moved-alias" }, ctx);
    expect(await readlink(path.join(workspace, "moved-alias"))).toBe("a.txt");
  });

  it("copies a folder and refuses to overwrite", async () => {
    const { ctx, workspace } = await createSandbox({ "src/a.txt": "A", "taken/b.txt": "B" });
    expect(await fileOp.execute({ operation: "copy", path: "src", destination: "copy/src" }, ctx)).toBe("Copied src to copy/src.");
    expect(await readFile(path.join(workspace, "copy/src/a.txt"), "utf8")).toBe("A");
    await expect(fileOp.execute({ operation: "copy", path: "src", destination: "taken" }, ctx)).rejects.toThrow(/already exists/);
    await expect(fileOp.execute({ operation: "move", path: "src", destination: "src/inner" }, ctx)).rejects.toThrow(/into itself/);
  });

  it("refuses to copy out of the workspace or from outside through a symlink", async () => {
    const { ctx, workspace, outside } = await createSandbox({ "a.txt": "A" });
    await symlink(outside, path.join(workspace, "link"));
    await expect(fileOp.execute({ operation: "copy", path: "a.txt", destination: "../outside/a.txt" }, ctx)).rejects.toThrow(/outside the workspace/);
    await expect(fileOp.execute({ operation: "copy", path: "link", destination: "stolen" }, ctx)).rejects.toThrow(/symbolic link/);
    await expect(fileOp.execute({ operation: "move", path: "a.txt", destination: "link/a.txt" }, ctx)).rejects.toThrow(/symbolic link/);
  });

  it("makes folders and is fine when one exists", async () => {
    const { ctx, workspace } = await createSandbox({ "file": "" });
    expect(await fileOp.execute({ operation: "mkdir", path: "a/b" }, ctx)).toBe("Created folder a/b.");
    expect((await lstat(path.join(workspace, "a/b"))).isDirectory()).toBe(true);
    expect(await fileOp.execute({ operation: "mkdir", path: "a/b" }, ctx)).toBe("Folder a/b already exists.");
    await expect(fileOp.execute({ operation: "mkdir", path: "file" }, ctx)).rejects.toThrow(/is a file/);
  });

  it("requires a destination for move and copy", async () => {
    expect(parameters.safeParse({ operation: "move", path: "a" }).success).toBe(false);
    expect(parameters.safeParse({ operation: "delete", path: "a" }).success).toBe(true);
    const { ctx } = await createSandbox({ "a.txt": "" });
    await expect(fileOp.execute({ operation: "copy", path: "a.txt" }, ctx)).rejects.toThrow(/destination is required/);
  });

  it.each([
    [{ operation: "delete", path: "a" }, [{ kind: "write", path: "a", within: true }]],
    [{ operation: "mkdir", path: "a" }, [{ kind: "write", path: "a" }]],
    [
      { operation: "move", path: "a", destination: "b" },
      [{ kind: "read", path: "a", within: true }, { kind: "write", path: "a", within: true }, { kind: "write", path: "b", contentsOf: "a" }],
    ],
    // Both ends of a copy count as writes (docs/policy.md §2), the source as a read too.
    [
      { operation: "copy", path: "a", destination: "b" },
      [{ kind: "read", path: "a", within: true }, { kind: "write", path: "a", within: true }, { kind: "write", path: "b", contentsOf: "a" }],
    ],
  ] as const)("accesses(%j)", (args, expected) => {
    expect(fileOp.accesses(args)).toEqual(expected);
  });
});
