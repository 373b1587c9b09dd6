import type { SandboxSettings } from "../policy/types.ts";
import { UserError } from "../shared/errors.ts";
import type { WrapCommand } from "../tools/types.ts";
import { buildBwrapArgs } from "./bwrap.ts";
import { discoverLayout } from "./layout.ts";
import { probeBwrap } from "./probe.ts";

export const DEFAULT_SANDBOX: SandboxSettings = { mode: "auto", required: false, network: false, writable: [] };

/** How a run's commands ran, for summary.json, result.json and report.md. */
export interface SandboxStatus {
  mode: SandboxSettings["mode"];
  /** Whether commands ran inside the sandbox. */
  active: boolean;
  /** Whether commands could reach the network: the setting when active, always true when not. */
  network: boolean;
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
export async function resolveSandbox(settings: SandboxSettings = DEFAULT_SANDBOX, searchPath?: string): Promise<Sandbox> {
  if (settings.mode === "none") {
    if (settings.required) throw new UserError("sandbox: required is true but mode is none; set mode to auto or bwrap", "E_SANDBOX");
    return unsandboxed({ mode: "none", active: false, network: true, reason: "sandbox mode is none in the policy" });
  }
  const probe = await probeBwrap(searchPath);
  if (!probe.ok) {
    if (settings.mode === "bwrap" || settings.required) {
      throw new UserError(`sandbox: ${probe.reason}; commands cannot run without it (policy sandbox.${settings.required ? "required" : "mode"}). Fix: ${probe.fix}`, "E_SANDBOX");
    }
    const status: SandboxStatus = { mode: settings.mode, active: false, network: true, reason: probe.reason };
    return { ...unsandboxed(status), warning: `warning: commands run WITHOUT a sandbox: ${probe.reason}. Fix: ${probe.fix} (nanocoder doctor checks this machine)` };
  }
  const bwrap = probe.bwrap;
  return {
    status: { mode: settings.mode, active: true, network: settings.network },
    async wrapperFor(workspace) {
      const prefix = buildBwrapArgs(await discoverLayout(workspace, settings));
      return (spec) => ({ file: bwrap, args: [...prefix, spec.file, ...spec.args], env: spec.env });
    },
  };
}

function unsandboxed(status: SandboxStatus): Sandbox {
  return { status, wrapperFor: () => Promise.resolve(undefined) };
}
