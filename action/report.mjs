export { o as default } from "./shared.mjs";
