// Built by `npm run build:action` from the modules the entries share. Do not edit.
import "./errors.mjs";
// src/tools/types.ts
function defineTool(tool) {
	return tool;
}
export { defineTool as t };
