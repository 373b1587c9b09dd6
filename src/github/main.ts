import * as core from "@actions/core";
import { endingOfError } from "../shared/exit-codes.ts";
import { keepHeapSmall } from "../shared/heap.ts";
import { runAction } from "./action.ts";

keepHeapSmall();

try {
  await runAction();
} catch (error) {
  // The same endings as the command line's exit codes: the user's mistakes and an unusable provider are said in their message alone.
  const ending = endingOfError(error);
  core.setOutput("outcome", ending);
  core.setFailed(ending === "internal_error" && error instanceof Error ? (error.stack ?? error.message) : error instanceof Error ? error.message : String(error));
}
