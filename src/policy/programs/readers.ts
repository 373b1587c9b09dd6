import type { ProgramFamily } from "./types.ts";

/**
 * cat, head, tail…: programs that read the files they are given and print them, and do nothing else. Their
 * operands are reads (checked by the generic reading of operands); given names from `xargs` or a pattern the
 * shell expands, they count as reading everything those could reach. Not here: programs with an option
 * that writes (`xxd -r IN OUT`, `file -C`), which would need it among their risks.
 */
export const readers: ProgramFamily = {
  names: ["cat", "head", "tail", "nl", "tac", "more", "od", "hexdump", "strings", "cut", "paste", "fold", "fmt", "column", "md5sum", "sha1sum", "sha256sum", "sha512sum", "cksum", "b2sum", "stat", "cmp", "comm", "join", "expand", "unexpand", "rev", "jq"],
  onlyReads: true,
};
