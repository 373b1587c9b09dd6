import { describe, expect, it } from "vitest";
import { truncateMiddle } from "../../src/tools/truncate.ts";

describe("truncateMiddle", () => {
  it("returns text within the budget unchanged", () => {
    expect(truncateMiddle("short", 100)).toBe("short");
  });

  it("keeps the head and the tail with a marker counting the omitted bytes", () => {
    const lines = Array.from({ length: 1000 }, (_, index) => `line ${index}`).join("\n");
    const result = truncateMiddle(lines, 1000);
    expect(result.startsWith("line 0\nline 1\n")).toBe(true);
    expect(result.endsWith("line 998\nline 999")).toBe(true);
    const marker = /\n\[\.\.\. (\d+) bytes omitted \.\.\.\]\n/.exec(result);
    expect(marker).not.toBeNull();
    const [head = "", tail = ""] = result.split(marker?.[0] ?? "");
    expect(Buffer.byteLength(head) + 1 + Buffer.byteLength(tail) + Number(marker?.[1])).toBe(Buffer.byteLength(lines));
    expect(Buffer.byteLength(result)).toBeLessThan(1100);
  });

  it("never splits a multi-byte character", () => {
    const result = truncateMiddle("é".repeat(5000), 1001);
    expect(result).not.toContain("\uFFFD");
    expect(result).toMatch(/^é+\n\[\.\.\. \d+ bytes omitted \.\.\.\]\né+$/);
  });
});
