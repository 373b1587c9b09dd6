import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";

/**
 * Starts the files that spawn processes (the CLI, the Action, git) before the in-process ones. Vitest starts
 * the files that took longest in its last run first; without a last run (a fresh clone, CI) it goes by file
 * size, which left files of a minute or more to start near the end, one worker busy while the other waited.
 */
class SpawningFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    if (files.every((file) => this.ctx.cache.getTestSpecificationResult(file))) return sorted;
    const spawns = (file: TestSpecification) => /\/test\/(e2e|github|workspace|sandbox)\//.test(file.moduleId);
    return [...sorted.filter(spawns), ...sorted.filter((file) => !spawns(file))];
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Most test files wait on the processes they spawn (the CLI, git, bubblewrap): two files at a time keep
    // both cores busy where vitest's default (cores - 1) runs one file at a time on a 2-core machine.
    maxWorkers: 2,
    // A worker runs file after file in one module cache, instead of a new process importing everything again
    // for each file (the in-process folders policy, report, task, config, agent and shared took 45.6 s of CPU
    // that way, 17.7 s this way). The tests mock no module and set no global they do not restore; helpers
    // register their clean-up in the setup file, which runs for each file.
    isolate: false,
    setupFiles: ["test/helpers/setup.ts"],
    sequence: { sequencer: SpawningFilesFirst },
    // End-to-end tests spawn the CLI and git; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
