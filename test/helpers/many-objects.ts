import { execFileSync } from "node:child_process";

/**
 * git's allocator settings for a command that writes thousands of objects. glibc hands the memory of each
 * object's zlib stream back to the system and asks for it again for the next object, and on a virtual machine
 * each of those brk calls is dear: `git add` of 3000 new files took 2-3 s of CPU, 0.6 s with a top pad that
 * keeps the memory. What git writes is the same.
 */
const MANY_OBJECTS_ENV = { GLIBC_TUNABLES: "glibc.malloc.top_pad=67108864" };

/** Runs the shell `script` in `cwd` with git set up for writing many objects (see MANY_OBJECTS_ENV). */
export function gitManyObjects(cwd: string, script: string): void {
  execFileSync("sh", ["-c", script], { cwd, stdio: "ignore", env: { ...process.env, ...MANY_OBJECTS_ENV } });
}
