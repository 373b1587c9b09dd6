export { t as EXIT_CODES, n as endingOfError, r as outcomeOf } from "./exit-codes.mjs";
