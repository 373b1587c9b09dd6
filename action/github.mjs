export { S as getOctokit } from "./shared.mjs";
