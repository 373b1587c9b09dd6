import type { SandboxSettings } from "../policy/types.ts";
import { UserError } from "../shared/errors.ts";
import type { WrapCommand } from "../tools/types.ts";
import { buildBwrapArgs } from "./bwrap.ts";
import { discoverLayout } from "./layout.ts";
import { probeBwrap } from "./probe.ts";
import { unsafeWritable, type WritableGuard } from "./writable.ts";

export const DEFAULT_SANDBOX: SandboxSettings = { mode: "auto", required: false, network: false, writable: [] };

/** How a run's commands ran, for summary.json, result.json and report.md. */
export interface SandboxStatus {
  mode: SandboxSettings["mode"];
  /** Whether commands ran inside the sandbox. */
  active: boolean;
  /** Whether commands could reach the network: the setting when active, always true when not. */
  network: boolean;
  /** The policy's `sandbox.required`. */
  required: boolean;
  /** The policy's `sandbox.writable`, as written there. */
  writable: string[];
  /** Why commands ran without a sandbox. */
  reason?: string;
}

export interface Sandbox {
  status: SandboxStatus;
  /** Said once on stderr: commands run unsandboxed although the policy asked for `auto`. */
  warning?: string;
  /** The wrapper for commands of one workspace (a git worktree), or undefined when they run as they are. */
  wrapperFor(workspace: string): Promise<WrapCommand | undefined>;
}

/**
 * The sandbox the policy asks for, as this machine can give it. `mode: bwrap` or `required: true`
 * without a working bubblewrap is a UserError naming the fix: no command runs unconfined then.
 */
export async function resolveSandbox(settings: SandboxSettings = DEFAULT_SANDBOX, searchPath?: string, guard?: WritableGuard & { source: string }): Promise<Sandbox> {
  if (guard) requireSafeWritable(settings.writable, guard);
  if (settings.mode === "none") {
    if (settings.required) throw new UserError("sandbox: required is true but mode is none; set mode to auto or bwrap", "E_SANDBOX");
    return unsandboxed(statusOf(settings, false, "sandbox mode is none in the policy"));
  }
  const probe = await probeBwrap(searchPath);
  if (!probe.ok) {
    if (settings.mode === "bwrap" || settings.required) {
      throw new UserError(`sandbox: ${probe.reason}; commands cannot run without it (policy sandbox.${settings.required ? "required" : "mode"}). Fix: ${probe.fix}`, "E_SANDBOX");
    }
    const status = statusOf(settings, false, probe.reason);
    return { ...unsandboxed(status), warning: `warning: commands run WITHOUT a sandbox: ${probe.reason}. Fix: ${probe.fix} (nanocoder doctor checks this machine)` };
  }
  const bwrap = probe.bwrap;
  return {
    status: statusOf(settings, true),
    async wrapperFor(workspace) {
      const prefix = buildBwrapArgs(await discoverLayout(workspace, settings));
      return (spec) => ({ file: bwrap, args: [...prefix, spec.file, ...spec.args], env: spec.env });
    },
  };
}

/** Refuses, before anything runs, `sandbox.writable` entries that would open what the sandbox closes. */
export function requireSafeWritable(writable: string[], guard: WritableGuard & { source: string }): void {
  const problems = writable.flatMap((entry, index) => {
    const why = unsafeWritable(entry, guard);
    return why === undefined ? [] : [`${guard.source}: sandbox.writable[${index}]: "${entry}" cannot be writable: ${why}`];
  });
  if (problems.length > 0) throw new UserError(problems.join("\n"), "E_POLICY");
}

function statusOf({ mode, network, required, writable }: SandboxSettings, active: boolean, reason?: string): SandboxStatus {
  return { mode, active, network: active ? network : true, required, writable, ...(reason === undefined ? {} : { reason }) };
}

function unsandboxed(status: SandboxStatus): Sandbox {
  return { status, wrapperFor: () => Promise.resolve(undefined) };
}
