// Built by `npm run build:action` from the modules the entries share. Do not edit.
// src/shared/process-tree.ts
/** After the shell exits, how long its background jobs may keep the output open before they are killed. */
const LEFTOVER_GRACE_MS = 500;
/**
* A background job (`server &`) keeps the output pipes open, so the command would wait for its timeout.
* Once the shell itself has exited, give the output a moment to drain, then end what is left of the tree.
*/
function killLeftoversAfterExit(subprocess) {
	const state = { killed: false };
	const pid = subprocess.pid;
	if (pid !== void 0) {
		running.add(pid);
		subprocess.finally(() => running.delete(pid)).catch(() => {});
	}
	subprocess.nodeChildProcess.once("exit", () => {
		const timer = setTimeout(() => {
			state.killed = subprocess.kill();
		}, LEFTOVER_GRACE_MS);
		subprocess.finally(() => clearTimeout(timer)).catch(() => {});
	});
	return state;
}
/**
* Ends what is left of the command's process group once the command is over: a background job whose output
* went elsewhere (`server >log 2>&1 &`) lets the command end at once and would outlive it. True when
* something was left. The group exists only while some process of it runs, so nothing else is hit.
*/
function killProcessGroup(pid) {
	if (pid === void 0) return false;
	try {
		process.kill(-pid, "SIGKILL");
		return true;
	} catch {
		return false;
	}
}
/** Process groups of the commands and checks running now, for a quit that cannot wait for them. */
const running = /* @__PURE__ */ new Set();
/**
* Counts a long-lived process group (an MCP server) among the running ones, so a second Ctrl-C ends it too.
* Returns the call that forgets it again, once it has exited.
*/
function trackProcessGroup(pid) {
	running.add(pid);
	return () => running.delete(pid);
}
/** Ends every running command's process group at once: the second Ctrl-C quits without waiting. */
function killRunningCommands() {
	for (const pid of running) killProcessGroup(pid);
}
export { trackProcessGroup as i, killProcessGroup as n, killRunningCommands as r, killLeftoversAfterExit as t };
