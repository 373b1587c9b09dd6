import { lstatSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import type { SandboxSettings } from "../policy/types.ts";
import type { SandboxStatus } from "../report/schema.ts";
import { UserError } from "../shared/errors.ts";
import type { WrapCommand } from "../tools/types.ts";
import { buildBwrapArgs, type BwrapLayout } from "./bwrap.ts";
import { bridgedCommand } from "./network-bridge.ts";
import { discoverLayout } from "./layout.ts";
import { probeBwrap } from "./probe.ts";
import { unsafeWritable, type WritableGuard } from "./writable.ts";

export const DEFAULT_SANDBOX: SandboxSettings = { mode: "auto", required: false, network: false, writable: [] };

/** How a run's commands ran: its schema is the run folder's (report/schema.ts). */
export type { SandboxStatus };

export interface Sandbox {
  status: SandboxStatus;
  /** Said once on stderr: commands run unsandboxed although the policy asked for `auto`. */
  warning?: string;
  /** The wrapper for commands of one workspace (a git worktree), or undefined when they run as they are. */
  wrapperFor(workspace: string, extras?: SandboxExtras): Promise<WrapCommand | undefined>;
}

/** What commands of one worktree need beyond the policy's sandbox settings. */
export interface SandboxExtras {
  /** Host folders shown read-only at their own paths: installed dependencies and the toolchains they need. */
  readOnly?: string[];
  /**
   * The network for these commands instead of the policy's `network`: true or false, or the unix socket of
   * nanocoder's filtering proxy, which the commands then reach through a bridge inside the sandbox.
   */
  network?: boolean | { proxySocket: string };
  /**
   * Paths of the worktree (absolute) to hide or show read-only, asked anew for every command (a command may
   * have moved or made files since): files and folders that `files.read.deny` or the secret patterns name are
   * shown empty; protected ones and what `files.write.deny` names, read-only.
   */
  masks?: () => WorktreeMasks;
}

/** Absolute paths inside the worktree; what no longer exists (or became a link) is left out. */
export interface WorktreeMasks {
  hideFiles: string[];
  hideFolders: string[];
  readOnly: string[];
}

/**
 * The sandbox the policy asks for, as this machine can give it. `mode: bwrap` or `required: true`
 * without a working bubblewrap is a UserError naming the fix: no command runs unconfined then.
 */
export async function resolveSandbox(settings: SandboxSettings = DEFAULT_SANDBOX, searchPath?: string, guard?: WritableGuard & { source: string }): Promise<Sandbox> {
  if (guard) requireSafeWritable(settings.writable, guard);
  if (settings.mode === "none") {
    if (settings.required) throw new UserError("sandbox: required is true but mode is none; set mode to auto or bwrap", "E_SANDBOX");
    const sandbox = unsandboxed(statusOf(settings, false, "sandbox mode is none in the policy"));
    const hosts = Array.isArray(settings.network) ? `; ${UNENFORCED_HOSTS}` : "";
    return { ...sandbox, warning: `warning: commands run WITHOUT a sandbox (sandbox mode is none in the policy): ${UNCONFINED}${hosts}` };
  }
  const probe = await probeBwrap(searchPath);
  if (!probe.ok) {
    if (settings.mode === "bwrap" || settings.required) {
      throw new UserError(`sandbox: ${probe.reason}; commands cannot run without it (policy sandbox.${settings.required ? "required" : "mode"}). Fix: ${probe.fix}`, "E_SANDBOX");
    }
    const status = statusOf(settings, false, probe.reason);
    const hosts = Array.isArray(settings.network) ? `; ${UNENFORCED_HOSTS}` : "";
    return { ...unsandboxed(status), warning: `warning: commands run WITHOUT a sandbox: ${probe.reason}; ${UNCONFINED}${hosts}. Fix: ${probe.fix} (nanocoder doctor checks this machine)` };
  }
  const bwrap = probe.bwrap;
  return {
    status: statusOf(settings, true),
    async wrapperFor(workspace, extras = {}) {
      const network = extras.network ?? (Array.isArray(settings.network) ? false : settings.network);
      const proxySocket = typeof network === "object" ? network.proxySocket : undefined;
      const layout = await discoverLayout(workspace, { ...settings, network: network === true }, process.execPath, [
        ...(extras.readOnly ?? []),
        ...(proxySocket ? [proxySocket] : []),
      ]);
      // An empty file (or folder), read-only, over each hidden one: reading it gives nothing, writing it fails.
      // (Not /dev/null: binds are mounted without device access, so opening it would fail instead.) Both sit
      // beside the worktree, out of every command's reach; made once per worktree.
      const empty = { file: `${workspace}.empty`, folder: `${workspace}.empty.d` };
      if (extras.masks) {
        await writeFile(empty.file, "", { mode: 0o444, flag: "wx" }).catch(ignoreExisting);
        await mkdir(empty.folder, { mode: 0o555 }).catch(ignoreExisting);
      }
      const withMasks = (): BwrapLayout => {
        if (!extras.masks) return layout;
        const masks = extras.masks();
        // Checked at each start: a bind onto a path that is gone would make it again, and one onto a link
        // would follow it.
        const is = (path: string, kind: "file" | "folder") => {
          const stats = lstatOrUndefined(path);
          return kind === "file" ? stats?.isFile() === true : stats?.isDirectory() === true;
        };
        return {
          ...layout,
          files: [
            ...(layout.files ?? []),
            ...masks.hideFolders.filter((path) => is(path, "folder")).map((target) => ({ source: empty.folder, target })),
            ...masks.hideFiles.filter((path) => is(path, "file")).map((target) => ({ source: empty.file, target })),
            ...masks.readOnly.filter((path) => is(path, "file") || is(path, "folder")).map((path) => ({ source: path, target: path })),
          ],
        };
      };
      const fixed = extras.masks ? undefined : buildBwrapArgs(layout);
      const prefix = () => fixed ?? buildBwrapArgs(withMasks());
      if (!proxySocket) return (spec) => ({ file: bwrap, args: [...prefix(), spec.file, ...spec.args], env: spec.env });
      return (spec) => {
        const bridged = bridgedCommand(spec, { node: process.execPath, socketPath: proxySocket });
        return { file: bwrap, args: [...prefix(), bridged.file, ...bridged.args], env: bridged.env };
      };
    },
  };
}

/** What is lost without a sandbox, said wherever that is reported. */
export const UNCONFINED = "they can read every file the runner can (files.read.deny and secrets included), write anywhere it can (your checkout included) and reach the network; " +
  "changes the policy refuses in the worktree are still undone after each command, but a process a command leaves running can write after that check";

const UNENFORCED_HOSTS = "sandbox.network lists hosts, but without a sandbox nothing enforces the list: commands have the host's whole network";

/** Refuses, before anything runs, `sandbox.writable` entries that would open what the sandbox closes. */
export function requireSafeWritable(writable: string[], guard: WritableGuard & { source: string }): void {
  const problems = writable.flatMap((entry, index) => {
    const why = unsafeWritable(entry, guard);
    return why === undefined ? [] : [`${guard.source}: sandbox.writable[${index}]: "${entry}" cannot be writable: ${why}`];
  });
  if (problems.length > 0) throw new UserError(problems.join("\n"), "E_POLICY");
}

/** How the network setting reads in reports: "without network", "with the host's network", "with network to a, b only". */
export function describeNetwork(network: boolean | string[]): string {
  if (network === true) return "with the host's network";
  if (network === false) return "without network";
  return `with network to ${network.join(", ")} only (through nanocoder's filtering proxy)`;
}

function statusOf({ mode, network, required, writable }: SandboxSettings, active: boolean, reason?: string): SandboxStatus {
  return { mode, active, network: active ? network : true, required, writable, ...(reason === undefined ? {} : { reason }) };
}

function unsandboxed(status: SandboxStatus): Sandbox {
  return { status, wrapperFor: () => Promise.resolve(undefined) };
}

function ignoreExisting(error: NodeJS.ErrnoException): void {
  if (error.code !== "EEXIST") throw error;
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
