import { symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import search from "../../src/tools/search-file-contents.ts";
import { searchWithJavaScript } from "../../src/tools/search/fallback.ts";
import type { SearchRequest } from "../../src/tools/search/types.ts";
import { createSandbox } from "./helpers.ts";

const project = {
  ".gitignore": "ignored/\n",
  ".git/config": "TODO in git\n",
  ".github/ci.yml": "# todo: cache\n",
  "ignored/x.ts": "TODO ignored\n",
  "src/a.ts": "const a = 1;\n// TODO: tidy\n",
  "src/b.py": "x = 2  # todo\n",
  "src/weird:name.ts": "TODO colon\n",
};

describe("search_file_contents (ripgrep)", () => {
  it("finds matches case-insensitively with workspace-relative paths, skipping .git and gitignored files", async () => {
    const { ctx } = await createSandbox(project);
    expect(await search.execute({ query: "todo" }, ctx)).toBe([
      ".github/ci.yml:1: # todo: cache",
      "src/a.ts:2: // TODO: tidy",
      "src/b.py:1: x = 2  # todo",
      "src/weird:name.ts:1: TODO colon",
    ].join("\n"));
  });

  it("leaves out matches in files the policy does not let the model read, and says so", async () => {
    const { ctx } = await createSandbox({ ".env": "API_TOKEN=hunter2\n", "src/config.ts": "const token = process.env.API_TOKEN;\n" });
    expect(await search.execute({ query: "API_TOKEN" }, ctx)).toBe(
      "src/config.ts:1: const token = process.env.API_TOKEN;\n[1 match in files the policy does not let you read left out]",
    );
    expect(await search.execute({ query: "hunter2" }, ctx)).toBe(
      "No matches for /hunter2/ in the workspace.\n[1 match in files the policy does not let you read left out]",
    );
  });

  it("limits by path, include and case", async () => {
    const { ctx } = await createSandbox(project);
    expect(await search.execute({ query: "TODO", path: "src", include: "*.ts", case_sensitive: true }, ctx))
      .toBe("src/a.ts:2: // TODO: tidy\nsrc/weird:name.ts:1: TODO colon");
    expect(await search.execute({ query: "tidy", path: "src/a.ts" }, ctx)).toBe("src/a.ts:2: // TODO: tidy");
    expect(await search.execute({ query: "todo", path: "src", include: "src/*.py" }, ctx)).toBe("src/b.py:1: x = 2  # todo");
  });

  it("reports no matches", async () => {
    const { ctx } = await createSandbox(project);
    expect(await search.execute({ query: "nothing-like-this" }, ctx)).toBe("No matches for /nothing-like-this/ in the workspace.");
  });

  it("says when results are cut at max_results", async () => {
    const { ctx } = await createSandbox({ "a.txt": "hit\n".repeat(10) });
    const result = await search.execute({ query: "hit", max_results: 3 }, ctx);
    expect(result).toBe("a.txt:1: hit\na.txt:2: hit\na.txt:3: hit\n[showing the first 3 matches; narrow the query, path or include, or raise max_results (at most 500)]");
  });

  it("turns an invalid regex into a ToolError carrying rg's message", async () => {
    const { ctx } = await createSandbox(project);
    await expect(search.execute({ query: "(unclosed" }, ctx)).rejects.toThrow(/regex parse error[\s\S]*unclosed group/);
  });

  it("refuses to search outside the workspace", async () => {
    const { ctx, workspace, outside } = await createSandbox();
    await symlink(outside, path.join(workspace, "link"));
    await expect(search.execute({ query: "x", path: ".." }, ctx)).rejects.toThrow(/outside the workspace/);
    await expect(search.execute({ query: "x", path: "link" }, ctx)).rejects.toThrow(/symbolic link/);
  });

  it("declares a read of the searched path", () => {
    expect(search.accesses({ query: "x" })).toEqual([{ kind: "read", path: "." }]);
    expect(search.accesses({ query: "x", path: "src" })).toEqual([{ kind: "read", path: "src" }]);
  });
});

describe("search fallback (no rg)", () => {
  const request = (root: string, overrides: Partial<SearchRequest> = {}): SearchRequest => ({
    root, target: ".", query: "todo", include: undefined, caseSensitive: false, limit: 50, signal: new AbortController().signal, ...overrides,
  });

  it("finds the same matches as rg", async () => {
    const { workspace } = await createSandbox(project);
    const result = await searchWithJavaScript(request(workspace));
    expect(result.matches.map((match) => `${match.path}:${match.line}`)).toEqual([
      ".github/ci.yml:1", "src/a.ts:2", "src/b.py:1", "src/weird:name.ts:1",
    ]);
    expect(result.truncated).toBe(false);
    const pythonOnly = await searchWithJavaScript(request(workspace, { target: "src", include: "src/*.py" }));
    expect(pythonOnly.matches.map((match) => match.path)).toEqual(["src/b.py"]);
  });

  it("honours include, case and the limit, and skips binary files and symlinks", async () => {
    const { workspace, outside } = await createSandbox(project);
    await writeFile(path.join(workspace, "src/blob.ts"), Buffer.from("TODO\0binary"));
    await writeFile(path.join(outside, "secret.ts"), "TODO secret\n");
    await symlink(path.join(outside, "secret.ts"), path.join(workspace, "src/link.ts"));
    const result = await searchWithJavaScript(request(workspace, { query: "TODO", target: "src", include: "*.ts", caseSensitive: true, limit: 1 }));
    expect(result).toEqual({ matches: [{ path: "src/a.ts", line: 2, text: "// TODO: tidy" }, { path: "src/weird:name.ts", line: 1, text: "TODO colon" }], truncated: true });
  });

  it("rejects an invalid regular expression", async () => {
    const { workspace } = await createSandbox();
    await expect(searchWithJavaScript(request(workspace, { query: "(" }))).rejects.toThrow(/Invalid regular expression/);
  });
});
