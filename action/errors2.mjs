// Built by `npm run build:action` from the modules the entries share. Do not edit.
// src/mcp/errors.ts
/** A server that did not start: the task fails with this, naming the server and the end of its stderr. */
var McpStartFailed = class extends Error {
	name = "McpStartFailed";
};
export { McpStartFailed as t };
