import { optionRisks } from "./risks.ts";
import type { ProgramFamily } from "./types.ts";

/**
 * npm, pnpm, yarn and the package runners. Options after `--` go to the script they run, so any program's
 * options (any.ts) are read past it. npm reads its options with nopt, which takes a unique prefix of a config
 * key: `--scr=x` is `--script-shell=x`, `--userc=f` is `--userconfig=f`.
 */

const READS_CONFIG = "reads an npm config, which can set script-shell and node-options (programs npm runs)";

export const npm: ProgramFamily = {
  names: ["npm", "npx"],
  risks: (args) => optionRisks(args, { options: { "--userconfig": READS_CONFIG, "--globalconfig": READS_CONFIG }, abbreviations: "nopt" }),
  // `-o` behind a script runner may name a folder (code generators): read as a folder, the stricter.
  outputs: { short: { o: "folder" }, reporterShort: "O", movesBase: "Cw" },
};

export const pnpm: ProgramFamily = { names: ["pnpm"], outputs: { short: { o: "folder" }, reporterShort: "O", movesBase: "Crw" } };

export const yarnBun: ProgramFamily = { names: ["yarn", "pnpx", "bunx"], outputs: { short: { o: "folder" }, reporterShort: "O" } };
