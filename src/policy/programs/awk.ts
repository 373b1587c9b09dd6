import { get, patternOperands, type OptionSpec } from "./options.ts";
import type { ProgramFamily } from "./types.ts";

/** awk and gawk: the first operand is the program (unless -f), the rest are files read. */

const OPTIONS: OptionSpec = { short: "fvFiE", long: ["file", "assign", "field-separator", "include", "exec"] };

export const awk: ProgramFamily = {
  names: ["awk", "gawk"],
  ownReads: true,
  paths(call) {
    const { files, split } = patternOperands(call, OPTIONS);
    // gawk's `-i inplace` library rewrites every file it reads.
    if (get(split.values, "i", "include").some((library) => /^inplace(\.awk)?$/.test(library))) call.write(...files);
  },
};
