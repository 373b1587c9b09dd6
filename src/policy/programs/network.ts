import { optionRisks } from "./risks.ts";
import type { ProgramFamily } from "./types.ts";

/** ssh, curl, wget: options that run commands or read more options from a file. */

const SSH_OPTIONS = "sets options such as ProxyCommand and LocalCommand, which run commands";
const CURL_CONFIG = "reads more options (outputs, uploads) from a file, which cannot be checked";
const WGET_COMMAND = "runs the given .wgetrc command";

export const ssh: ProgramFamily = {
  names: ["ssh"],
  risks: (args) =>
    optionRisks(args, {
      options: { "-o": SSH_OPTIONS, "-F": "reads a config that can run commands" },
      letters: { o: SSH_OPTIONS, F: "reads a config that can run commands" },
      valueLetters: "BbcDEeIiJLlmOpQRSWw",
    }),
};

export const curl: ProgramFamily = {
  names: ["curl"],
  risks: (args) => optionRisks(args, { options: { "-K": CURL_CONFIG, "--config": CURL_CONFIG }, letters: { K: CURL_CONFIG }, valueLetters: "AbcCdDeEFHmoOQrTuUwxXYyz" }),
};

export const wget: ProgramFamily = {
  names: ["wget"],
  risks: (args) =>
    optionRisks(args, {
      options: { "-e": WGET_COMMAND, "--execute": WGET_COMMAND, "--config": "reads a .wgetrc, whose commands cannot be checked" },
      letters: { e: WGET_COMMAND },
      valueLetters: "aADiIlOoPQRTtUwXY",
    }),
};
