import { describe, expect, it } from "vitest";
import { FAMILIES, familyOf } from "../../../src/policy/programs/index.ts";

describe("the program families", () => {
  it("name each program once", () => {
    const names = FAMILIES.flatMap((family) => family.names);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });

  it.each(["cat", "grep", "rg", "find", "diff", "sed", "awk", "git", "tar", "zip", "rsync", "cp", "ln", "npm", "node", "sort", "less", "curl"])("know %s", (name) => {
    expect(familyOf(name)?.names).toContain(name);
  });
});
