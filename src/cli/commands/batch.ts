import { defineCommand } from "citty";
import { loadTasks } from "../../task/load.ts";
import { UserError } from "../../shared/errors.ts";
import { rejectUnknownFlags, runArgs } from "../args.ts";
import { executeTasks } from "../execute.ts";

export default defineCommand({
  meta: { name: "batch", description: "Run every task in the given files or globs, in parallel, each in its own git worktree" },
  args: {
    tasks: { type: "positional", description: "Task files or globs (tasks/*.yaml)", required: false },
    ...runArgs,
  },
  async run({ args, rawArgs }) {
    rejectUnknownFlags(rawArgs, runArgs);
    if (args._.length === 0) throw new UserError("batch: give one or more task files or globs, e.g. nanocoder batch tasks/*.yaml", "E_USAGE");
    const tasks = await loadTasks(args._, process.cwd());
    await executeTasks(tasks, args);
  },
});
