export { t as default } from "./shared.mjs";
