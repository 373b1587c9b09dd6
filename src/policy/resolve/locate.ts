import type { Stats } from "node:fs";
import { readlink } from "node:fs/promises";
import { posix } from "node:path";
import { lstatIfExists } from "../../workspace/paths.ts";
import { uncheckableReason } from "../special-paths.ts";

/** Hops through symbolic links before a path counts as a loop, like the kernel's own limit. */
const MAX_LINK_HOPS = 40;

/** Where a path leads for real: inside the workspace (relative), or elsewhere; what is there, if anything. */
export interface Place {
  real: string;
  inside: string | undefined;
  stats: Stats | undefined;
  /** The path goes on below a file: nothing can be written there. */
  belowFile?: boolean;
}

/**
 * Resolves `given` from the real folder `start` the way the kernel does: component by component, following
 * symbolic links where they are (so `link/..` is the parent of the link's target, not of the link), a missing
 * tail kept as written. Per-process paths under /proc and paths through a descriptor are uncheckable.
 */
export async function locate(root: string, start: string, given: string, keepFinalLink = false): Promise<Place | { uncheckable: string }> {
  const pending = parts(given);
  let current = given.startsWith("/") ? "/" : start;
  let known: Stats | undefined;
  let hops = 0;
  for (let part = pending.shift(); part !== undefined; part = pending.shift()) {
    if (part === "..") {
      current = posix.dirname(current);
      known = undefined;
      continue;
    }
    const next = posix.join(current, part);
    const why = uncheckableReason(next);
    if (why) return { uncheckable: why };
    const stats = await lstatIfExists(next).catch(() => undefined);
    // A missing folder followed by `..` (`zz/../.env`) is one an earlier command of the line may make: once
    // made, the kernel goes back out of it, so the rest is resolved as if it were there.
    if (!stats && pending.includes("..")) {
      current = next;
      known = undefined;
      continue;
    }
    if (!stats) return place(root, posix.join(next, ...pending), undefined);
    // A path that goes on below a file cannot be opened or made (ENOTDIR).
    if (!stats.isDirectory() && !stats.isSymbolicLink() && pending.length > 0) return { ...place(root, posix.join(next, ...pending), undefined), belowFile: true };
    if (stats.isSymbolicLink() && !(keepFinalLink && pending.length === 0)) {
      if (++hops > MAX_LINK_HOPS) return { uncheckable: `it goes through more than ${MAX_LINK_HOPS} symbolic links` };
      const target = await readlink(next);
      if (target.startsWith("/")) current = "/";
      pending.unshift(...parts(target));
      known = undefined;
      continue;
    }
    current = next;
    known = stats;
  }
  return place(root, current, known ?? (await lstatIfExists(current).catch(() => undefined)));
}

function parts(path: string): string[] {
  return path.split("/").filter((part) => part !== "" && part !== ".");
}

function place(root: string, real: string, stats: Stats | undefined): Place {
  return { real, inside: insideOf(root, real), stats };
}

/** `absolute` relative to the workspace root ("." for the root), or undefined when outside. */
export function insideOf(root: string, absolute: string): string | undefined {
  if (absolute === root) return ".";
  return absolute.startsWith(`${root}/`) ? absolute.slice(root.length + 1) : undefined;
}

export function joinInside(inside: string, path: string): string {
  return inside === "." ? path : `${inside}/${path}`;
}

export function isStandardInput(path: string): boolean {
  return path === "/dev/stdin" || path === "/dev/fd/0";
}

