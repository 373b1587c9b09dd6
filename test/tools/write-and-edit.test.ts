import { readFile, symlink } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import stringReplace from "../../src/tools/string-replace.ts";
import writeFile from "../../src/tools/write-file.ts";
import { createSandbox } from "./helpers.ts";

const read = (root: string, relative: string) => readFile(path.join(root, relative), "utf8");

describe("write_file", () => {
  it("creates parent folders and summarises without echoing the content", async () => {
    const { ctx, workspace } = await createSandbox();
    const summary = await writeFile.execute({ path: "a/b/c.txt", content: "one\ntwo\n" }, ctx);
    expect(summary).toBe("Created a/b/c.txt (2 lines, 8 bytes).");
    expect(await read(workspace, "a/b/c.txt")).toBe("one\ntwo\n");
  });

  it("says when it overwrote a file", async () => {
    const { ctx, workspace } = await createSandbox({ "a.txt": "old" });
    expect(await writeFile.execute({ path: "a.txt", content: "new" }, ctx)).toBe("Overwrote a.txt (1 line, 3 bytes).");
    expect(await read(workspace, "a.txt")).toBe("new");
  });

  it("refuses to write outside the workspace, including through a symlinked folder", async () => {
    const { ctx, workspace, outside } = await createSandbox();
    await symlink(outside, path.join(workspace, "escape"));
    await expect(writeFile.execute({ path: "../outside/x.txt", content: "x" }, ctx)).rejects.toThrow(/outside the workspace/);
    await expect(writeFile.execute({ path: path.join(outside, "x.txt"), content: "x" }, ctx)).rejects.toThrow(/absolute path/);
    await expect(writeFile.execute({ path: "escape/sub/x.txt", content: "x" }, ctx)).rejects.toThrow(/symbolic link/);
    await expect(read(outside, "sub/x.txt")).rejects.toThrow(/ENOENT/);
  });

  it("refuses to write through a dangling symlink pointing outside", async () => {
    const { ctx, workspace, outside } = await createSandbox();
    await symlink(path.join(outside, "planted.txt"), path.join(workspace, "planted.txt"));
    await expect(writeFile.execute({ path: "planted.txt", content: "x" }, ctx)).rejects.toThrow(/symbolic link/);
    await expect(read(outside, "planted.txt")).rejects.toThrow(/ENOENT/);
  });
});

describe("string_replace", () => {
  it("replaces the single occurrence and shows numbered lines around it", async () => {
    const { ctx, workspace } = await createSandbox({ "a.ts": "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\n" });
    const result = await stringReplace.execute({ path: "a.ts", old_str: "five", new_str: "FIVE" }, ctx);
    expect(result).toBe("Replaced 1 occurrence in a.ts:\n   2| two\n   3| three\n   4| four\n   5| FIVE\n   6| six\n   7| seven\n   8| eight");
    expect(await read(workspace, "a.ts")).toBe("one\ntwo\nthree\nfour\nFIVE\nsix\nseven\neight\n");
  });

  it("writes $ patterns in new_str literally", async () => {
    const { ctx, workspace } = await createSandbox({ "a.js": "const price = PRICE;\n" });
    await stringReplace.execute({ path: "a.js", old_str: "PRICE", new_str: "'$&' + '$1' + '$$' + '$`' + \"$'\"" }, ctx);
    expect(await read(workspace, "a.js")).toBe("const price = '$&' + '$1' + '$$' + '$`' + \"$'\";\n");
  });

  it("writes $ patterns literally with replace_all too", async () => {
    const { ctx, workspace } = await createSandbox({ "a.txt": "x x" });
    const result = await stringReplace.execute({ path: "a.txt", old_str: "x", new_str: "$&$1", replace_all: true }, ctx);
    expect(result).toMatch(/^Replaced 2 occurrences in a.txt \(showing the first\):\n   1\| \$&\$1 \$&\$1$/);
    expect(await read(workspace, "a.txt")).toBe("$&$1 $&$1");
  });

  it("refuses an ambiguous match, giving the count and line numbers", async () => {
    const { ctx, workspace } = await createSandbox({ "a.txt": "foo\nbar\nfoo\nbaz foo\n" });
    await expect(stringReplace.execute({ path: "a.txt", old_str: "foo", new_str: "x" }, ctx))
      .rejects.toThrow('old_str occurs 3 times in "a.txt" (at lines 1, 3, 4)');
    expect(await read(workspace, "a.txt")).toBe("foo\nbar\nfoo\nbaz foo\n");
  });

  it("says when old_str is not found and how to fix it", async () => {
    const { ctx } = await createSandbox({ "a.txt": "  indented\n" });
    await expect(stringReplace.execute({ path: "a.txt", old_str: "\tindented", new_str: "x" }, ctx))
      .rejects.toThrow(/was not found in "a.txt".*read_file.*whitespace/);
  });

  it("matches LF old_str in a CRLF file and keeps CRLF", async () => {
    const { ctx, workspace } = await createSandbox({ "a.txt": "one\r\ntwo\r\nthree\r\n" });
    await stringReplace.execute({ path: "a.txt", old_str: "one\ntwo", new_str: "1\n2" }, ctx);
    expect(await read(workspace, "a.txt")).toBe("1\r\n2\r\nthree\r\n");
  });

  it("refuses identical strings, missing files and paths outside", async () => {
    const { ctx, workspace, outside } = await createSandbox({ "a.txt": "a" });
    await symlink(outside, path.join(workspace, "escape"));
    await expect(stringReplace.execute({ path: "a.txt", old_str: "a", new_str: "a" }, ctx)).rejects.toThrow(/identical/);
    await expect(stringReplace.execute({ path: "b.txt", old_str: "a", new_str: "b" }, ctx)).rejects.toThrow(/File not found/);
    await expect(stringReplace.execute({ path: "escape/a.txt", old_str: "a", new_str: "b" }, ctx)).rejects.toThrow(/symbolic link/);
  });

  it("declares a write of the path", () => {
    expect(stringReplace.accesses({ path: "a.txt", old_str: "a", new_str: "b" })).toEqual([{ kind: "write", path: "a.txt" }]);
  });
});
