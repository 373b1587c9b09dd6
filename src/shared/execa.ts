/**
 * execa, loaded the first time a command runs rather than at start-up: it takes about 50 ms to load, and
 * a task that runs no command (nor a run whose tasks run none) should not pay for it.
 */
export function loadExeca(): Promise<typeof import("execa")> {
  return import("execa");
}
