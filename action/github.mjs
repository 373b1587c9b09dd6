export { E as getOctokit } from "./shared.mjs";
