export { n as startMcpSession } from "./shared.mjs";
