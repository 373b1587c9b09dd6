export { a as default } from "./shared.mjs";
