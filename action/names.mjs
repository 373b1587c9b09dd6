// Built by `npm run build:action` from the modules the entries share. Do not edit.
import { createHash } from "node:crypto";
const UNSAFE = /[^A-Za-z0-9_-]/g;
const HASH_LENGTH = 6;
/**
* The name a server's tool has for the model and the policy: `mcp__<server>__<tool>`. Characters providers
* refuse become `_`; a name that is too long or changed is cut and ends in a short hash of the server and
* tool as written, so the same tool always gets the same name, whatever other servers a task has. A name
* that is taken all the same (two tools of one server written alike) is not renamed again: the later tool
* is left out (session.ts), so that no tool gets a name the policy's rules were not written for. Pure.
*/
function exposedToolName(server, tool) {
	const plain = `mcp__${server.replace(UNSAFE, "_")}__${tool.replace(UNSAFE, "_")}`;
	if (!(plain !== `mcp__${server}__${tool}`) && plain.length <= 64) return plain;
	const hash = createHash("sha256").update(`${server}\0${tool}`).digest("hex").slice(0, HASH_LENGTH);
	return `${plain.slice(0, 57)}_${hash}`;
}
/** `mcp__<server>__<tool>` as the server wrote it, when the name offered differs: policy rules match it too. */
function writtenToolName(server, tool) {
	const written = `mcp__${server}__${tool}`;
	return written === exposedToolName(server, tool) ? void 0 : written;
}
/** The prefix every tool of `server` starts with, as policy globs see it. */
function serverPrefix(server) {
	return `mcp__${server.replace(UNSAFE, "_")}__`;
}
export { serverPrefix as n, writtenToolName as r, exposedToolName as t };
