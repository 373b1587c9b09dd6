import { describe, expect, it } from "vitest";
import { renderReport } from "../../src/report/markdown.ts";
import { buildSummary } from "../../src/report/summary.ts";
import type { RunSummary } from "../../src/report/types.ts";
import { buildBwrapArgs, type BwrapLayout } from "../../src/sandbox/bwrap.ts";
import type { SandboxStatus } from "../../src/sandbox/index.ts";
import { toolchainFolder } from "../../src/sandbox/layout.ts";

const layout: BwrapLayout = {
  workspace: "/tmp/run/task",
  system: [{ path: "/usr" }, { path: "/bin", link: "usr/bin" }, { path: "/etc" }],
  readOnly: ["/repo/.git", "/opt/node"],
  writable: ["/repo/.git/worktrees/task", "/var/cache/npm"],
  hidden: ["/repo/.git/worktrees", "/repo/.git/modules"],
  home: "/tmp/home",
  network: false,
};

describe("buildBwrapArgs", () => {
  it("binds only the system folders, the worktree and git dirs, with private /tmp and home, no network and no capabilities", () => {
    expect(buildBwrapArgs(layout)).toEqual([
      "--unshare-all", "--cap-drop", "ALL", "--die-with-parent", "--new-session",
      "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--ro-bind", "/etc", "/etc",
      "--proc", "/proc",
      ...["/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs", "/proc/acpi", "/proc/scsi"].flatMap((path) => ["--ro-bind-try", path, path]),
      "--dev", "/dev", "--tmpfs", "/tmp", "--dir", "/tmp/home",
      "--ro-bind", "/repo/.git", "/repo/.git",
      "--ro-bind", "/opt/node", "/opt/node",
      "--tmpfs", "/repo/.git/worktrees",
      "--tmpfs", "/repo/.git/modules",
      "--bind", "/tmp/run/task", "/tmp/run/task",
      "--bind", "/var/cache/npm", "/var/cache/npm",
      "--bind", "/repo/.git/worktrees/task", "/repo/.git/worktrees/task",
      "--chdir", "/tmp/run/task", "--setenv", "HOME", "/tmp/home", "--",
    ]);
  });

  it("keeps the host's network only when asked", () => {
    expect(buildBwrapArgs({ ...layout, network: true }).slice(0, 4)).toEqual(["--unshare-all", "--share-net", "--cap-drop", "ALL"]);
  });

  it("mounts a read-write folder after the read-only or hidden folder holding it", () => {
    const args = buildBwrapArgs(layout);
    expect(args.indexOf("/repo/.git/worktrees/task")).toBeGreaterThan(args.indexOf("/repo/.git"));
    expect(args.indexOf("/repo/.git/worktrees/task")).toBeGreaterThan(args.indexOf("/repo/.git/worktrees"));
    expect(args).not.toContain("/");
  });
});

describe("toolchainFolder", () => {
  const installs = new Set(["/opt/node-v24", "/home/u/.nvm/versions/node/v24.1.0", "/home/u"]);
  it.each([
    ["/opt/node-v24/bin/node", "/opt/node-v24"],
    ["/home/u/.nvm/versions/node/v24.1.0/bin/node", "/home/u/.nvm/versions/node/v24.1.0"],
    ["/bin/node", "/bin"],
    ["/srv/node/node", "/srv/node"],
    ["/home/u/bin/node", "/home/u/bin"],
    ["/srv/tools/bin/node", "/srv/tools/bin"],
  ])("%s -> %s", (execPath, folder) => {
    expect(toolchainFolder(execPath, { home: "/home/u", isInstall: (prefix) => installs.has(prefix) })).toBe(folder);
  });
});

describe("report.md", () => {
  const summary = (sandbox: SandboxStatus): RunSummary => ({
    run_id: "r", started_at: "", ended_at: "", duration_ms: 0, base: "0123456789abcdef", policy: "built-in", tasks: [],
    totals: buildSummary({ runId: "r", startedAt: new Date(0), endedAt: new Date(0), base: "", policy: "" }, []).totals,
    sandbox,
  });

  it("warns visibly when mode auto found no working sandbox", () => {
    const report = renderReport(summary({ mode: "auto", active: false, network: true, required: false, writable: [], reason: "bubblewrap (bwrap) is not installed" }));
    expect(report).toContain("> **Warning: commands ran WITHOUT a sandbox**: bubblewrap (bwrap) is not installed.");
  });

  it("says how commands ran when sandboxed", () => {
    expect(renderReport(summary({ mode: "auto", active: true, network: false, required: false, writable: [] }))).toContain("Commands ran in a bubblewrap sandbox (mode auto), without network.");
    const strict = summary({ mode: "bwrap", active: true, network: true, required: true, writable: ["/var/cache/npm", ".cache"] });
    expect(renderReport(strict)).toContain("Commands ran in a bubblewrap sandbox (required), with the host's network; also writable: `/var/cache/npm`, `.cache`.");
  });
});
