export { i as default } from "./shared.mjs";
