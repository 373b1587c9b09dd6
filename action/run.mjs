export { r as default } from "./shared.mjs";
