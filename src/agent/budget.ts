import type { Usage } from "../provider/types.ts";

/** Spending limits, asked before each model request. */
export interface Budget {
  /** Counts one response's usage against the limits. */
  record(usage: Usage): void;
  /** Why no more requests may be made, once a limit is reached. */
  exhausted(): string | undefined;
}
