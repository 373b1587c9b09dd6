/**
 * A value made once, when a test first asks for it, and shared by the tests that ask again: one CLI run or one
 * repository serving several tests, which still each pass when run alone (`vitest -t`), unlike a beforeAll that
 * would make it for tests that do not run.
 */
export function lazy<T>(make: () => Promise<T> | T): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= Promise.resolve().then(make));
}
