export { t as createEventStream, n as renderJsonError, r as renderJsonSummary, i as wantsJson } from "./json-output2.mjs";
