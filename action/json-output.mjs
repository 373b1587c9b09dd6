export { d as createEventStream, f as renderJsonError, p as renderJsonSummary, m as wantsJson } from "./shared.mjs";
