import { chmodSync, lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";

/**
 * Gives the owner back read, write and search permission on every folder under `path` (itself included),
 * never following a link, so that the tree can be removed. A command may `chmod 000` a folder of its
 * worktree; running as an ordinary user, nanocoder could then neither look into it nor remove it.
 */
export function makeRemovable(path: string): void {
  let stats;
  try {
    stats = lstatSync(path);
  } catch {
    return;
  }
  if (!stats.isDirectory()) return;
  try {
    chmodSync(path, 0o700);
    for (const name of readdirSync(path)) makeRemovable(join(path, name));
  } catch {
    // Not ours to change (another owner): the removal that follows reports it.
  }
}
