import * as core from "@actions/core";
import { UserError } from "../shared/errors.ts";
import { runAction } from "./action.ts";

try {
  await runAction();
} catch (error) {
  core.setFailed(error instanceof UserError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error));
}
