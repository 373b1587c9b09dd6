export { N as EXIT_CODES, P as endingOfError, F as outcomeOf } from "./shared.mjs";
