import { existsSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../shared/errors.ts";
import { builtinPolicy } from "./default.ts";
import type { Policy } from "./types.ts";

export const DEFAULT_POLICY_PATH = join(".nanocoder", "policy.yaml");

/** `--policy PATH`, else `.nanocoder/policy.yaml` when present, else the built-in policy. */
export async function loadPolicy(explicitPath: string | undefined, cwd: string): Promise<Policy> {
  const path = explicitPath ?? (existsSync(join(cwd, DEFAULT_POLICY_PATH)) ? DEFAULT_POLICY_PATH : undefined);
  if (path === undefined) return builtinPolicy;
  throw new UserError(`${path}: policy files are not supported yet; remove it or run without --policy to use the built-in policy`, "E_POLICY");
}
