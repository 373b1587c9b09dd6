export { s as default } from "./shared.mjs";
