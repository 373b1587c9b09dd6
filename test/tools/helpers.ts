import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ToolContext } from "../../src/tools/types.ts";

export interface Sandbox {
  /** The workspace the tools work in. */
  workspace: string;
  /** A sibling folder outside the workspace, for escape attempts. */
  outside: string;
  ctx: ToolContext;
}

const created: string[] = [];

/** Removes the workspaces made so far; test/helpers/setup.ts calls it after each test (test files share this module). */
export async function removeSandboxes(): Promise<void> {
  await Promise.all(created.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
}

/** A fresh workspace holding `files` (path → content), removed after the test. */
export async function createSandbox(files: Record<string, string> = {}, env: Record<string, string> = {}): Promise<Sandbox> {
  const base = await mkdtemp(path.join(os.tmpdir(), "nanocoder-tools-"));
  created.push(base);
  const workspace = path.join(base, "workspace");
  const outside = path.join(base, "outside");
  await mkdir(workspace);
  await mkdir(outside);
  await writeFiles(workspace, files);
  return { workspace, outside, ctx: { workspace, signal: new AbortController().signal, env, isReadable: (file) => !file.endsWith(".env") } };
}

export async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [relative, content] of Object.entries(files)) {
    const absolute = path.join(root, relative);
    await mkdir(path.dirname(absolute), { recursive: true });
    await writeFile(absolute, content);
  }
}
