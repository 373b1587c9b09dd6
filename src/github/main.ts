import * as core from "@actions/core";
import { UserError } from "../shared/errors.ts";
import { keepHeapSmall } from "../shared/heap.ts";
import { runAction } from "./action.ts";

keepHeapSmall();

try {
  await runAction();
} catch (error) {
  core.setFailed(error instanceof UserError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error));
}
