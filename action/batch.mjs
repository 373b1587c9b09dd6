export { u as default } from "./shared.mjs";
