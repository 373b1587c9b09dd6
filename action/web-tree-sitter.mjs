export { n as Language, o as Parser } from "./shell-parser.mjs";
