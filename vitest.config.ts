import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Most test files wait on the processes they spawn (the CLI, git, bubblewrap): two files at a time keep
    // both cores busy where vitest's default (cores - 1) runs one file at a time on a 2-core machine.
    maxWorkers: 2,
    // End-to-end tests spawn the CLI and git; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
