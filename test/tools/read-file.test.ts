import { symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import readFile from "../../src/tools/read-file.ts";
import { createSandbox } from "./helpers.ts";

const numbered = (count: number) => Array.from({ length: count }, (_, index) => `line ${index + 1}`).join("\n") + "\n";

describe("read_file", () => {
  it("returns the whole small file with right-aligned line numbers", async () => {
    const { ctx } = await createSandbox({ "a.txt": "alpha\r\nbeta\n" });
    expect(await readFile.execute({ path: "a.txt" }, ctx)).toBe("   1| alpha\n   2| beta");
  });

  it("returns a requested range with its position in the file", async () => {
    const { ctx } = await createSandbox({ "a.txt": numbered(20) });
    expect(await readFile.execute({ path: "a.txt", start_line: 9, end_line: 10 }, ctx))
      .toBe("   9| line 9\n  10| line 10\n[lines 9-10 of 20]");
  });

  it("pages a large file and says how to read on", async () => {
    const { ctx } = await createSandbox({ "big.txt": numbered(2310) });
    const first = await readFile.execute({ path: "big.txt" }, ctx);
    expect(first.split("\n")).toHaveLength(401);
    expect(first).toMatch(/^   1\| line 1\n/);
    expect(first).toMatch(/ 400\| line 400\n\[lines 1-400 of 2310; call read_file with start_line=401 to read on\]$/);
    const next = await readFile.execute({ path: "big.txt", start_line: 401 }, ctx);
    expect(next).toMatch(/^ 401\| line 401\n/);
    expect(next).toContain("[lines 401-800 of 2310; call read_file with start_line=801 to read on]");
  });

  it("pages by size when lines are long", async () => {
    const { ctx } = await createSandbox({ "wide.txt": `${"x".repeat(1000)}\n`.repeat(100) });
    const page = await readFile.execute({ path: "wide.txt" }, ctx);
    expect(page).toContain("[lines 1-39 of 100; call read_file with start_line=40 to read on]");
  });

  it("clamps an end_line past the end", async () => {
    const { ctx } = await createSandbox({ "a.txt": numbered(3) });
    expect(await readFile.execute({ path: "a.txt", start_line: 2, end_line: 99 }, ctx)).toBe("   2| line 2\n   3| line 3\n[lines 2-3 of 3]");
  });

  it.each([
    [{ start_line: 5 }, "start_line 5 is past the end of the file, which has 3 lines"],
    [{ start_line: 3, end_line: 2 }, "end_line 2 is before start_line 3"],
  ])("rejects the range %j with an actionable message", async (range, message) => {
    const { ctx } = await createSandbox({ "a.txt": numbered(3) });
    await expect(readFile.execute({ path: "a.txt", ...range }, ctx)).rejects.toThrow(message);
  });

  it("refuses binary files, folders and missing files", async () => {
    const { ctx, workspace } = await createSandbox({ "dir/x.txt": "" });
    await writeFile(path.join(workspace, "image.png"), Buffer.from([0x89, 0x50, 0x00, 0x47]));
    await expect(readFile.execute({ path: "image.png" }, ctx)).rejects.toThrow(/binary/);
    await expect(readFile.execute({ path: "dir" }, ctx)).rejects.toThrow(/folder; use list_directory/);
    await expect(readFile.execute({ path: "nope.txt" }, ctx)).rejects.toThrow(/File not found: "nope.txt"/);
  });

  it("says when a file is empty", async () => {
    const { ctx } = await createSandbox({ "empty.txt": "" });
    expect(await readFile.execute({ path: "empty.txt" }, ctx)).toBe("[empty.txt is empty]");
  });

  it("refuses to read outside the workspace: .., absolute, symlink", async () => {
    const { ctx, workspace, outside } = await createSandbox();
    await writeFile(path.join(outside, "secret.txt"), "secret");
    await symlink(path.join(outside, "secret.txt"), path.join(workspace, "innocent.txt"));
    await expect(readFile.execute({ path: "../outside/secret.txt" }, ctx)).rejects.toThrow(/outside the workspace/);
    await expect(readFile.execute({ path: path.join(outside, "secret.txt") }, ctx)).rejects.toThrow(/absolute path/);
    await expect(readFile.execute({ path: "innocent.txt" }, ctx)).rejects.toThrow(/symbolic link/);
  });

  it("declares a read of the path as given", () => {
    expect(readFile.accesses({ path: "./src/a.ts" })).toEqual([{ kind: "read", path: "./src/a.ts" }]);
  });
});
