import { symlink } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import findFiles from "../../src/tools/find-files.ts";
import listDirectory from "../../src/tools/list-directory.ts";
import { createSandbox, writeFiles } from "./helpers.ts";

const project = {
  ".gitignore": "node_modules/\n*.log\n",
  ".git/HEAD": "ref: refs/heads/main\n",
  "README.md": "",
  "debug.log": "",
  "node_modules/pkg/index.js": "",
  "src/index.ts": "",
  "src/util/strings.ts": "",
  "src/util/.gitignore": "generated.ts\n",
  "src/util/generated.ts": "",
};

describe("list_directory", () => {
  it("lists one level, folders first with a trailing /, skipping only .git", async () => {
    const { ctx } = await createSandbox(project);
    expect(await listDirectory.execute({}, ctx)).toBe(["node_modules/", "src/", ".gitignore", "README.md", "debug.log"].join("\n"));
  });

  it("lists a tree when recursive, honouring root and nested .gitignore files", async () => {
    const { ctx } = await createSandbox(project);
    expect(await listDirectory.execute({ recursive: true }, ctx)).toBe([
      "src/",
      "  util/",
      "    .gitignore",
      "    strings.ts",
      "  index.ts",
      ".gitignore",
      "README.md",
    ].join("\n"));
  });

  it("stops at max_depth and lists a subfolder", async () => {
    const { ctx } = await createSandbox(project);
    expect(await listDirectory.execute({ path: "src", recursive: true, max_depth: 1 }, ctx)).toBe("util/\nindex.ts");
  });

  it("caps the number of entries with a note", async () => {
    const files = Object.fromEntries(Array.from({ length: 510 }, (_, index) => [`many/f${index}.txt`, ""]));
    const { ctx } = await createSandbox(files);
    const listing = await listDirectory.execute({ path: "many", recursive: true }, ctx);
    expect(listing.split("\n")).toHaveLength(501);
    expect(listing).toMatch(/\[listing stopped at 500 entries; .*\]$/);
  });

  it("shows symlinks with their target and does not follow them", async () => {
    const { ctx, workspace, outside } = await createSandbox({ "a.txt": "" });
    await writeFiles(outside, { "secret.txt": "" });
    await symlink(outside, path.join(workspace, "link"));
    const listing = await listDirectory.execute({ recursive: true }, ctx);
    expect(listing).toBe(`a.txt\nlink -> ${outside}`);
  });

  it("refuses files, missing folders and paths outside", async () => {
    const { ctx } = await createSandbox({ "a.txt": "" });
    await expect(listDirectory.execute({ path: "a.txt" }, ctx)).rejects.toThrow(/is a file/);
    await expect(listDirectory.execute({ path: "nope" }, ctx)).rejects.toThrow(/Folder not found/);
    await expect(listDirectory.execute({ path: ".." }, ctx)).rejects.toThrow(/outside the workspace/);
  });

  it("declares a read of the folder, . by default", () => {
    expect(listDirectory.accesses({})).toEqual([{ kind: "read", path: "." }]);
    expect(listDirectory.accesses({ path: "src" })).toEqual([{ kind: "read", path: "src" }]);
  });
});

describe("find_files", () => {
  it("finds files sorted, including dotfiles, honouring .gitignore and never .git", async () => {
    const { ctx } = await createSandbox(project);
    expect(await findFiles.execute({ pattern: "**/*" }, ctx)).toBe([
      ".gitignore",
      "README.md",
      "src/index.ts",
      "src/util/.gitignore",
      "src/util/strings.ts",
    ].join("\n"));
    expect(await findFiles.execute({ pattern: "**/*.js" }, ctx)).toMatch(/^No files match/);
  });

  it("says when results are truncated", async () => {
    const files = Object.fromEntries(Array.from({ length: 12 }, (_, index) => [`f${String(index).padStart(2, "0")}.txt`, ""]));
    const { ctx } = await createSandbox(files);
    expect(await findFiles.execute({ pattern: "*.txt", max_results: 3 }, ctx))
      .toBe("f00.txt\nf01.txt\nf02.txt\n[showing 3 of 12 files; narrow the pattern or raise max_results (at most 500)]");
  });

  it("hints at ** when a one-level pattern finds nothing", async () => {
    const { ctx } = await createSandbox({ "src/a.ts": "" });
    expect(await findFiles.execute({ pattern: "*.ts" }, ctx)).toBe('No files match "*.ts". Patterns without ** only match at one level; try "**/*.ts".');
  });

  it("refuses patterns that leave the workspace", async () => {
    const { ctx } = await createSandbox();
    await expect(findFiles.execute({ pattern: "../**" }, ctx)).rejects.toThrow(/leaves the workspace/);
    await expect(findFiles.execute({ pattern: "/etc/*" }, ctx)).rejects.toThrow(/absolute/);
  });
});
