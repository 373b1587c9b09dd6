export { t as startMcpSession } from "./shared.mjs";
