/** The values of a RunRequest as a user writes them, a flag of the CLI or an input of the Action, checked the same way. */
import { UserError } from "../shared/errors.ts";

export function parseMaxCost(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number) || number <= 0) {
    throw new UserError(`--max-cost-usd: expected a positive number of US dollars, e.g. 5 or 0.50, got "${value}"`, "E_USAGE");
  }
  return number;
}

export function parseMaxTurns(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === "" || !Number.isInteger(number) || number < 1) {
    throw new UserError(`--max-turns: expected a positive integer, e.g. 20, got "${value}"`, "E_USAGE");
  }
  return number;
}

export function parseConcurrency(value: string | undefined): number {
  if (value === undefined) return 4;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new UserError(`--concurrency: expected a positive integer, got "${value}"`, "E_USAGE");
  }
  return number;
}
