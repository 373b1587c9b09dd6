export { n as default } from "./shared.mjs";
