import { describe, expect, it } from "vitest";
import { unsafeWritable } from "../../src/sandbox/writable.ts";

const guard = { repoRoot: "/home/ci/repo", outDir: "/home/ci/repo/.nanocoder/runs/r1", home: "/home/ci", temp: "/tmp" };

describe("unsafeWritable", () => {
  it.each([
    ["node_modules/.cache", undefined],
    ["./build/../.cache", undefined],
    ["/home/ci/.cache/npm", undefined],
    ["/var/cache/npm", undefined],
    ["/tmp/npm-cache", undefined],
  ])("allows %s", (entry, expected) => {
    expect(unsafeWritable(entry, guard)).toBe(expected);
  });

  it.each([
    ["/", "the whole machine"],
    ["//", "the whole machine"],
    ["~/.cache/npm", "`~` is not expanded"],
    ["..", "must stay inside the task's worktree"],
    ["cache/../../x", "must stay inside the task's worktree"],
    ["/etc", "/etc is a system folder"],
    ["/usr/local/lib/node_modules", "/usr is a system folder"],
    ["/proc/self", "/proc is a system folder"],
    ["/lib64/", "/lib64 is a system folder"],
    ["/home", "it holds the home folder"],
    ["/home/ci/", "it holds the home folder"],
    ["/tmp", "it holds the temporary folder"],
    ["/home/ci/repo", "the repository"],
    ["/home/ci/repo/.git/hooks", "the repository"],
    ["/home/ci/repo/node_modules", "the repository"],
  ])("refuses %s", (entry, reason) => {
    expect(unsafeWritable(entry, guard)).toContain(reason);
  });

  it("refuses the run's output folder and what holds it", () => {
    const outside = { ...guard, outDir: "/srv/runs/r1" };
    expect(unsafeWritable("/srv/runs", outside)).toBe("the run's output folder");
    expect(unsafeWritable("/srv/runs/r1/tasks", outside)).toBe("the run's output folder");
    expect(unsafeWritable("/srv/cache", outside)).toBeUndefined();
  });
});
