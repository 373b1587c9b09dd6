import { optionRisks } from "./risks.ts";
import type { Risk, RiskRules } from "./types.ts";

/**
 * Options and variables that load code into whatever program reads them, risky for every program unless an
 * allow rule names them. Read past `--` (npm, pnpm and yarn hand what follows to the script) and in dotted
 * form (`--script-shell.x=…` is `--script-shell` to yargs and cac). Options that write a path
 * (`--outputFile`…) are not here: their paths are checked as writes (outputs.ts).
 */
const LOADS_CODE = "loads a module into the program, which runs any code it holds";

const ANY_PROGRAM: RiskRules = {
  options: {
    "--script-shell": "runs the given program as the shell of npm scripts",
    "--node-options": "passes options such as --require to every node process the command starts, which loads any code",
    "--require": LOADS_CODE,
    "--import": LOADS_CODE,
    "--loader": LOADS_CODE,
    "--experimental-loader": LOADS_CODE,
  },
  readsPastDoubleDash: true,
  dottedNames: true,
};

/**
 * Variables that make programs load or run code: node's NODE_OPTIONS, npm's config in the environment
 * (`npm_config_script_shell`, `npm_config_node_options`), the startup files of bash and sh, the dynamic
 * loader's preload, perl's and ruby's option variables, git's ssh, pager and diff commands.
 */
const CODE_VARIABLES = /^(NODE_OPTIONS|npm_config_(script_shell|node_options|userconfig|globalconfig)|BASH_ENV|ENV|LD_PRELOAD|LD_AUDIT|PERL5OPT|RUBYOPT|GIT_SSH_COMMAND|GIT_SSH|GIT_PAGER|GIT_EXTERNAL_DIFF|GIT_EDITOR|PAGER)$/i;

export function anyProgramRisks(args: string[]): Risk[] {
  return optionRisks(args, ANY_PROGRAM);
}

/**
 * `NAME=value` words that set such a variable: a command's own assignments, `env NAME=…`, `export NAME=…`.
 * An allow rule that spells out `NAME=value` (after `env`) names it.
 */
export function variableRisks(words: string[]): Risk[] {
  return words.flatMap((word) => {
    const [, name, value] = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(word) ?? [];
    // `GIT_PAGER=cat git log`: a pager that only prints.
    if (name !== undefined && /PAGER$/.test(name) && (value === "" || value === "cat")) return [];
    return name !== undefined && CODE_VARIABLES.test(name) ? [{ flag: `${name}`, word, why: `sets ${name}, which makes programs load or run code it names` }] : [];
  });
}
