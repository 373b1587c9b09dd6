import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadContextFiles } from "../../src/agent/context-files.ts";
import { builtinPolicy } from "../../src/policy/default.ts";
import { checkContext } from "../../src/run/context-check.ts";
import { loadTasks } from "../../src/task/load.ts";
import { createRepo, removeDir } from "../helpers/repo.ts";

const PAGES = {
  "app/(auth)/login/page.js": "login\n",
  "app/shop/[...all]/page.js": "shop\n",
  "functions/[id].js": "id\n",
  "functions/i.js": "i\n",
  "!bang.js": "bang\n",
};
const repo = createRepo(PAGES);
afterAll(() => removeDir(repo));

/** What validate says of a task's context, and the files the run would give the model. */
async function bothSides(context: string[]) {
  writeFileSync(join(repo, "task.yaml"), `prompt: Read\ncontext: ${JSON.stringify(context)}\n`);
  const [task] = await loadTasks(["task.yaml"], repo);
  if (!task) throw new Error("no task");
  const validated = await checkContext([{ task, policy: builtinPolicy }], repo);
  const loaded = await loadContextFiles({ patterns: task.context, mentions: [] }, repo, builtinPolicy, { fileBytes: 50_000, totalBytes: 200_000 }).then(
    (selection) => selection.files.map((file) => file.path),
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  return { validateErrors: validated.errors.map((error) => error.message), loaded };
}

describe("context entries: validate and the run match paths the same way", () => {
  it("fills {{ file }} as an escaped glob naming exactly that file, whatever characters the path holds", async () => {
    writeFileSync(join(repo, "pages.yaml"), "id: p\nprompt: Do {{ file }}\nfor_each:\n  file: {glob: ['app/**/*.js', 'functions/*.js', '*.js']}\ncontext: ['{{ file }}']\nfiles: ['{{ file }}', 'docs/**']\n");
    const tasks = await loadTasks(["pages.yaml"], repo);
    expect(tasks.map((task) => task.context)).toEqual([["\\!bang.js"], ["app/\\(auth\\)/login/page.js"], ["app/shop/\\[...all\\]/page.js"], ["functions/\\[id\\].js"], ["functions/i.js"]]);
    expect(tasks.map((task) => task.files?.[0])).toEqual(tasks.map((task) => task.context[0]));
    expect((await checkContext(tasks.map((task) => ({ task, policy: builtinPolicy })), repo)).errors).toEqual([]);
    for (const task of tasks) {
      const selection = await loadContextFiles({ patterns: task.context, mentions: [] }, repo, builtinPolicy, { fileBytes: 50_000, totalBytes: 200_000 });
      expect(selection.files.map((file) => file.path)).toEqual([task.values?.file]);
    }
  });

  it("takes a path that names a file as that file, and anything else as a glob", async () => {
    expect(await bothSides(["app/(auth)/login/page.js"])).toEqual({ validateErrors: [], loaded: ["app/(auth)/login/page.js"] });
    expect(await bothSides(["functions/[id].js"])).toEqual({ validateErrors: [], loaded: ["functions/[id].js"] });
    expect(await bothSides(["functions/*.js"])).toEqual({ validateErrors: [], loaded: ["functions/[id].js", "functions/i.js"] });
    const missing = await bothSides(["app/(auth)/logout/page.js"]);
    expect(missing.validateErrors).toEqual([expect.stringContaining('context[0]: "app/(auth)/logout/page.js" matches no file at HEAD')]);
    expect(missing.loaded).toBe('context: "app/(auth)/logout/page.js" matches no file in the workspace');
  });
});
