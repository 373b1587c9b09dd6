import { execFile } from "node:child_process";
import { access, constants, readFile } from "node:fs/promises";
import path from "node:path";

const PROBE_TIMEOUT_MS = 5_000;

export type Probe = { ok: true; bwrap: string } | { ok: false; bwrap?: string; reason: string; fix: string };

const cache = new Map<string, Promise<Probe>>();

/**
 * Whether bubblewrap can build a sandbox on this machine: found on `searchPath` (and the usual places),
 * and able to create the namespaces commands get. Cached per search path for the process.
 */
export function probeBwrap(searchPath = process.env.PATH ?? ""): Promise<Probe> {
  let probe = cache.get(searchPath);
  if (!probe) {
    probe = runProbe(searchPath);
    cache.set(searchPath, probe);
  }
  return probe;
}

/** The bwrap binary on `searchPath` or in the usual places, if any. */
export async function findBwrap(searchPath: string): Promise<string | undefined> {
  const folders = [...searchPath.split(path.delimiter).filter((folder) => path.isAbsolute(folder)), "/usr/bin", "/usr/local/bin", "/bin"];
  for (const folder of folders) {
    const candidate = path.join(folder, "bwrap");
    if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate;
  }
  return undefined;
}

// --- internal ---

async function runProbe(searchPath: string): Promise<Probe> {
  const bwrap = await findBwrap(searchPath);
  if (!bwrap) {
    return { ok: false, reason: "bubblewrap (bwrap) is not installed", fix: "install bubblewrap: `sudo apt-get install bubblewrap` (Debian, Ubuntu), `sudo dnf install bubblewrap` (Fedora)" };
  }
  const args = ["--unshare-all", "--die-with-parent", "--new-session", "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "--", "/bin/sh", "-c", ":"];
  const result = await tryRun(bwrap, args);
  if (result.ok) return { ok: true, bwrap };
  return { ok: false, bwrap, reason: `bwrap cannot create a sandbox here: ${result.message}`, fix: await fixFor() };
}

/** Runs the probe command; on failure, the first line it printed, or why it could not run. */
function tryRun(file: string, args: string[]): Promise<{ ok: true } | { ok: false; message: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: PROBE_TIMEOUT_MS, encoding: "utf8" }, (error, stdout, stderr) => {
      if (!error) return resolve({ ok: true });
      const printed = `${stderr}\n${stdout}`.trim().split("\n")[0];
      resolve({ ok: false, message: printed || error.message });
    });
  });
}

/** Why namespaces are refused, from the kernel's switches, and what lifts the restriction. */
async function fixFor(): Promise<string> {
  const sysctl = (name: string) => readFile(`/proc/sys/${name}`, "utf8").then((text) => text.trim(), () => undefined);
  if ((await sysctl("kernel/apparmor_restrict_unprivileged_userns")) === "1") {
    return "AppArmor restricts unprivileged user namespaces (Ubuntu 24.04 and later): `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` " +
      "(on GitHub-hosted runners, add that as a step before nanocoder)";
  }
  if ((await sysctl("kernel/unprivileged_userns_clone")) === "0") return "unprivileged user namespaces are off: `sudo sysctl -w kernel.unprivileged_userns_clone=1`";
  if ((await sysctl("user/max_user_namespaces")) === "0") return "user namespaces are off: `sudo sysctl -w user.max_user_namespaces=15000`";
  return "inside a container, Docker's default seccomp profile refuses namespaces: run it with `--security-opt seccomp=unconfined` " +
    "(or `--privileged`), or rely on the container and set `sandbox: {mode: none}` in the policy";
}
