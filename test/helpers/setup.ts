/**
 * Runs before each test file (vitest.config.ts, setupFiles). Test files share the modules they import within a
 * worker (isolate: false), so a helper's own top-level afterAll or afterEach would run for the first file that
 * imports it only: the helpers' clean-up after each file and test is registered here instead.
 */
import { afterAll, afterEach } from "vitest";
import { removeSandboxes } from "../tools/helpers.ts";
import { removeScratchDirs } from "./temp.ts";

afterEach(removeSandboxes);
afterAll(removeScratchDirs);
