import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Most test files wait on the processes they spawn (the CLI, git, bubblewrap): two files at a time keep
    // both cores busy where vitest's default (cores - 1) runs one file at a time on a 2-core machine.
    maxWorkers: 2,
    // A worker runs file after file in one module cache, instead of a new process importing everything again
    // for each file: about a third of the whole run's CPU time went to that. The tests mock no module and set
    // no global they do not restore; helpers register their clean-up in the setup file, which runs for each file.
    isolate: false,
    setupFiles: ["test/helpers/setup.ts"],
    // End-to-end tests spawn the CLI and git; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
