import { sedScriptRisk } from "./sed-script.ts";
import { programName, type Word } from "./types.ts";

/**
 * An argument that turns a read-only tool into one that runs commands or writes files. It is refused unless
 * the allow rule that matches names it (`flag`, or the exact `word` as written).
 */
export interface Risk {
  flag: string;
  word: string;
  why: string;
  /**
   * The option only writes files the command's words name, which are decided as writes (`sed -i`): still
   * refused unless a rule names it, since it turns a reader into a writer, but naming it hands out nothing more.
   */
  checked?: true;
}

interface ToolRules {
  /** Options (exact, `--name=value`, or for `--long` an abbreviation) and why each is risky. */
  options: Record<string, string>;
  /** Letters risky anywhere in a short-option cluster such as `-ni`. */
  letters?: Record<string, string>;
  /** Short options whose value is the rest of the cluster (`-es/a/b/`), so reading stops there. */
  valueLetters?: string;
  /** `--` does not end what is read (find's expression goes on after it). */
  readsPastDoubleDash?: boolean;
  /** The first word may be a letter group without its dash (`tar cIf …`). */
  bundledFirstWord?: boolean;
  /** `--name.sub=…` is read as `--name` (yargs, cac). */
  dottedNames?: boolean;
  /** Options whose only effect is writing the files the words name, which the file rules decide (see Risk.checked). */
  checkedWrites?: string[];
}

const RUNS_CONFIG = "sets git config for this run (core.pager, core.sshCommand, diff.external… run any command)";
const OTHER_REPO = "points git at another repository, whose config and hooks can run commands";

const GIT_GLOBAL: ToolRules = {
  options: {
    "-c": RUNS_CONFIG,
    "--config-env": RUNS_CONFIG,
    "--exec-path": "runs git subcommands from another directory",
    "-C": OTHER_REPO,
    "--git-dir": OTHER_REPO,
    "--work-tree": OTHER_REPO,
    "-p": "starts the configured pager, which can be any command",
    "--paginate": "starts the configured pager, which can be any command",
  },
};

const GIT_SUBCOMMAND: ToolRules = {
  options: {
    "--output": "writes to a file the file rules do not see",
    "--ext-diff": "runs the external diff program from the git config",
    "--textconv": "runs the textconv filters from the git config",
    "--upload-pack": "runs the given program",
    "--receive-pack": "runs the given program",
    "--exec": "runs the given command",
    "--extcmd": "runs the given command",
    "--open-files-in-pager": "runs the given pager",
    "--template": "installs hooks from a template directory",
    "--config": RUNS_CONFIG,
  },
};

/** Short options that are risky only for some git subcommands (elsewhere `-x`, `-O`, `-c`, `-u` are harmless). */
const GIT_SUBCOMMAND_SHORT: Record<string, Record<string, string>> = {
  grep: { "-O": "runs the given pager" },
  rebase: { "-x": "runs the given command" },
  difftool: { "-x": "runs the given command" },
  clone: { "-c": RUNS_CONFIG, "-u": "runs the given program" },
  "ls-remote": { "-u": "runs the given program" },
};

const RUNS_PER_FILE = "runs a command for each file";
const FIND_WRITES = "writes to a file the file rules do not see";

const TOOLS: Record<string, ToolRules> = {
  find: {
    options: {
      "-exec": RUNS_PER_FILE,
      "-execdir": RUNS_PER_FILE,
      "-ok": RUNS_PER_FILE,
      "-okdir": RUNS_PER_FILE,
      "-delete": "deletes files",
      "-fprint": FIND_WRITES,
      "-fprint0": FIND_WRITES,
      "-fprintf": FIND_WRITES,
      "-fls": FIND_WRITES,
    },
    readsPastDoubleDash: true,
  },
  rg: {
    options: {
      "--pre": "runs the given preprocessor command on every file",
      "--hostname-bin": "runs the given program",
      "--search-zip": "runs decompression programs",
    },
    letters: { z: "runs decompression programs" },
    valueLetters: "ABCEMefgjmrtTd",
  },
  sort: {
    options: { "--output": "writes to a file the file rules do not see", "--compress-program": "runs the given program" },
    letters: { o: "writes to a file the file rules do not see" },
    valueLetters: "ktST",
  },
  tar: {
    options: {
      "--to-command": "runs the given command",
      "--checkpoint-action": "can run a command",
      "--use-compress-program": "runs the given program",
      "--info-script": "runs the given script",
      "--new-volume-script": "runs the given script",
      "--rsh-command": "runs the given program",
      "--rmt-command": "runs the given program",
    },
    letters: { I: "runs the given compression program", F: "runs the given script" },
    valueLetters: "bCfgHKLNTVX",
    bundledFirstWord: true,
  },
  rsync: {
    options: {
      "-e": "runs the given remote shell, which can be any command",
      "--rsh": "runs the given remote shell, which can be any command",
      "--rsync-path": "runs the given program",
      "--write-batch": "writes a file the file rules do not see",
      "--only-write-batch": "writes a file the file rules do not see",
      "--read-batch": "applies changes a file describes, which cannot be checked",
      "--daemon": "starts a server",
      "--config": "reads a daemon config",
    },
    letters: { e: "runs the given remote shell, which can be any command" },
    valueLetters: "BfT",
  },
  zip: {
    options: {
      "-TT": "runs the given command to test the archive",
      "--unzip-command": "runs the given command to test the archive",
      "-@": "reads the names of the files to archive from its input, which cannot be checked",
      "--names-stdin": "reads the names of the files to archive from its input, which cannot be checked",
    },
    letters: { "@": "reads the names of the files to archive from its input, which cannot be checked" },
    valueLetters: "bnOtx",
  },
  man: {
    options: { "-P": "runs the given pager", "--pager": "runs the given pager", "-H": "runs the given browser", "--html": "runs the given browser" },
    letters: { P: "runs the given pager", H: "runs the given browser" },
  },
  ssh: {
    options: { "-o": "sets options such as ProxyCommand and LocalCommand, which run commands", "-F": "reads a config that can run commands" },
    letters: { o: "sets options such as ProxyCommand and LocalCommand, which run commands", F: "reads a config that can run commands" },
    valueLetters: "BbcDEeIiJLlmOpQRSWw",
  },
  curl: {
    options: { "-K": "reads more options (outputs, uploads) from a file, which cannot be checked", "--config": "reads more options (outputs, uploads) from a file, which cannot be checked" },
    letters: { K: "reads more options (outputs, uploads) from a file, which cannot be checked" },
    valueLetters: "AbcCdDeEFHmoOQrTuUwxXYyz",
  },
  wget: {
    options: { "-e": "runs the given .wgetrc command", "--execute": "runs the given .wgetrc command", "--config": "reads a .wgetrc, whose commands cannot be checked" },
    letters: { e: "runs the given .wgetrc command" },
    valueLetters: "aADiIlOoPQRTtUwXY",
  },
  less: {
    options: { "--log-file": "writes a file the file rules do not see", "--LOG-FILE": "writes a file the file rules do not see", "-o": "writes a file the file rules do not see", "-O": "writes a file the file rules do not see" },
    letters: { o: "writes a file the file rules do not see", O: "writes a file the file rules do not see" },
    valueLetters: "bhjkpPTtxyz",
  },
  sed: {
    options: {
      "--in-place": "edits the files it is given in place",
      "--file": "reads its script from a file, which this policy cannot check",
    },
    letters: { i: "edits the files it is given in place", f: "reads its script from a file" },
    valueLetters: "el",
    checkedWrites: ["--in-place", "-i"],
  },
};

/**
 * Options risky for any program, read past `--` (npm, pnpm and yarn hand what follows to the script) and
 * in dotted form (`--script-shell.x=…` is `--script-shell` to yargs and cac). Options that write a path
 * (`--outputFile`, `--junitxml`…) are not here: their paths are checked as writes (output-options.ts).
 */
const ANY_PROGRAM: ToolRules = {
  options: {
    "--script-shell": "runs the given program as the shell of npm scripts",
  },
  readsPastDoubleDash: true,
  dottedNames: true,
};

export function hasRiskRules(program: Word): boolean {
  const name = programName(program);
  return program.literal && (name === "git" || Object.hasOwn(TOOLS, name));
}

/** Risky arguments of one command (program first); an expansion in the arguments of these tools counts as one. */
export function riskyArgs(words: readonly Word[]): Risk[] {
  const [program, ...args] = words;
  if (!program) return [];
  const anywhere = optionRisks(args.filter((word) => word.literal).map((word) => word.value), ANY_PROGRAM, false);
  return [...anywhere, ...toolRisks(program, args)];
}

function toolRisks(program: Word, args: readonly Word[]): Risk[] {
  if (!hasRiskRules(program)) return [];
  const dynamic = args.filter((word) => !word.literal);
  if (dynamic.length > 0) {
    return dynamic.map((word) => ({ flag: word.source, word: word.source, why: "is an expansion, which could be an option that runs code" }));
  }
  const values = args.map((word) => word.value);
  const name = programName(program);
  if (name === "git") return gitRisks(values);
  const rules = TOOLS[name];
  if (!rules) return [];
  const first = values[0] ?? "";
  const read = rules.bundledFirstWord && /^[a-zA-Z]+$/.test(first) ? [`-${first}`, ...values.slice(1)] : values;
  const risks = optionRisks(read, rules);
  if (name === "zip") {
    // zip reads `-TT` as one option, also at the end of a cluster (`-rTT cmd`).
    const cluster = values.find((word) => /^-[^-]*TT/.test(word));
    if (cluster !== undefined) risks.push({ flag: "-TT", word: cluster, why: "runs the given command to test the archive" });
  }
  if (name === "less") {
    // `less +CMD` runs CMD as a less command at start, and `!` there runs a shell command.
    const initial = values.find((word) => word.startsWith("+"));
    if (initial !== undefined) risks.push({ flag: "+", word: initial, why: "runs less commands at start, which can run shell commands (`!`)" });
  }
  return name === "sed" ? [...risks, ...sedScriptRisks(values)] : risks;
}

function gitRisks(args: string[]): Risk[] {
  const subcommandAt = gitSubcommandIndex(args);
  const globals = optionRisks(args.slice(0, subcommandAt), GIT_GLOBAL, false);
  const subcommand = args[subcommandAt] ?? "";
  const rest = args.slice(subcommandAt + 1);
  const short = GIT_SUBCOMMAND_SHORT[subcommand] ?? {};
  const local = optionRisks(rest, { options: { ...GIT_SUBCOMMAND.options, ...short } }, true, ["--text"]);
  return [...globals, ...local];
}

const GIT_GLOBAL_VALUES = new Set(["-c", "-C", "--git-dir", "--work-tree", "--namespace", "--super-prefix", "--config-env", "--attr-source"]);

function gitSubcommandIndex(args: string[]): number {
  let index = 0;
  while (index < args.length && (args[index] ?? "").startsWith("-")) {
    index += GIT_GLOBAL_VALUES.has(args[index] ?? "") ? 2 : 1;
  }
  return index;
}

/**
 * Options are read as GNU tools do: `--name=value`, unique abbreviations of long options (`--out` is
 * `--output`), and short clusters (`-ni` is `-n -i`). Stops at `--` unless the rules say otherwise.
 */
function optionRisks(args: string[], rules: ToolRules, abbreviations = true, exact: string[] = []): Risk[] {
  const risks: Risk[] = [];
  for (const word of args) {
    if (word === "--" && !rules.readsPastDoubleDash) break;
    const written = word.split("=")[0] ?? word;
    const name = rules.dottedNames && written.startsWith("--") ? (written.split(".")[0] ?? written) : written;
    const why = rules.options[name];
    const direct = why ? { flag: name, why } : abbreviations ? abbreviated(name, rules, exact) : undefined;
    if (direct) risks.push({ flag: direct.flag, word, why: direct.why });
    else if (/^-[^-]/.test(word)) risks.push(...letterRisks(word, rules));
  }
  return risks.map((risk) => (rules.checkedWrites?.includes(risk.flag) ? { ...risk, checked: true } : risk));
}

/** getopt takes any unique prefix of a long option, down to one letter (`--i` for `--in-place`). */
function abbreviated(name: string, rules: ToolRules, exact: string[]): { flag: string; why: string } | undefined {
  if (!name.startsWith("--") || name.length < 3 || exact.includes(name)) return undefined;
  const flag = Object.keys(rules.options).find((option) => option.startsWith("--") && option.startsWith(name));
  return flag ? { flag, why: rules.options[flag] ?? "" } : undefined;
}

function letterRisks(word: string, rules: ToolRules): Risk[] {
  const direct = rules.options[word.slice(0, 2)];
  if (direct) return [{ flag: word.slice(0, 2), word, why: direct }];
  const letters = rules.letters ?? {};
  const risks: Risk[] = [];
  for (const letter of word.slice(1)) {
    const why = letters[letter];
    if (why) risks.push({ flag: `-${letter}`, word, why });
    if (why || rules.valueLetters?.includes(letter)) break;
  }
  return risks;
}

/** sed scripts come from `-e X`, `--expression=X`, or the first operand when there is no -e. */
function sedScriptRisks(args: string[]): Risk[] {
  const scripts: string[] = [];
  let sawExpression = false;
  for (let i = 0; i < args.length; i++) {
    const word = args[i] ?? "";
    const long = /^(--[a-z-]+)(?:=(.*))?$/s.exec(word);
    if (word === "-e" || (long && long[2] === undefined && isPrefixOf(long[1] ?? "", "--expression"))) {
      sawExpression = true;
      scripts.push(args[++i] ?? "");
    } else if (long && long[2] !== undefined && isPrefixOf(long[1] ?? "", "--expression")) {
      sawExpression = true;
      scripts.push(long[2]);
    } else if (/^-[^-]*e/.test(word)) {
      sawExpression = true;
      const inline = word.slice(word.indexOf("e") + 1);
      scripts.push(inline || (args[++i] ?? ""));
    }
  }
  if (!sawExpression) {
    const operand = args.find((word) => !word.startsWith("-"));
    if (operand !== undefined) scripts.push(operand);
  }
  return scripts.flatMap((script) => {
    const why = sedScriptRisk(script);
    return why ? [{ flag: script, word: script, why }] : [];
  });
}

/** `--e`, `--expr`, `--expression`: a long option as getopt reads its abbreviations (3 characters and more). */
function isPrefixOf(written: string, option: string): boolean {
  return written.length >= 3 && option.startsWith(written);
}
