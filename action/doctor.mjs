export { c as default } from "./shared.mjs";
