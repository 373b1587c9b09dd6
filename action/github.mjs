export { b as getOctokit } from "./shared.mjs";
