export { Z as getOctokit } from "./shared.mjs";
