import { looksLikeSecret } from "../shared/secret-names.ts";
/** Shorter values are too likely to occur by chance ("1", "true") to be worth hiding. */
const MIN_SECRET_LENGTH = 6;

export type Redact = (text: string) => string;

/** Secrets to hide: provider API keys and every secret-looking variable in the environment. */
export function collectSecrets(env: NodeJS.ProcessEnv, apiKeys: (string | undefined)[]): string[] {
  const secrets = new Set<string>();
  for (const key of apiKeys) if (key && key.length >= MIN_SECRET_LENGTH) secrets.add(key);
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= MIN_SECRET_LENGTH && looksLikeSecret(name)) secrets.add(value);
  }
  // Longest first, so a secret that contains another is hidden whole.
  return [...secrets].sort((a, b) => b.length - a.length);
}

/**
 * Replaces every secret with `[REDACTED]`, as written and as it reads inside a JSON string (where `"`, `\`
 * and control characters are escaped), since most run files are redacted once they are JSON text.
 */
export function createRedactor(secrets: string[]): Redact {
  const forms = [...new Set(secrets.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]))].sort((a, b) => b.length - a.length);
  if (forms.length === 0) return (text) => text;
  return (text) => {
    let result = text;
    for (const form of forms) {
      if (result.includes(form)) result = result.split(form).join("[REDACTED]");
    }
    return result;
  };
}

/**
 * `value` as JSON text with every secret hidden in its strings, object keys included. Every JSON file and
 * line a run writes or prints comes through here: redacting the serialised text instead would also match a
 * secret inside a number or inside JSON's syntax (MY_TOKEN=082044 and a cost of 0.082044 made
 * `"cost_usd":0.[REDACTED]`), which corrupts the file.
 */
export function stringifyRedacted(value: unknown, redact: Redact, space?: number): string {
  return JSON.stringify(value, (_key, item: unknown) => redactedItem(item, redact), space);
}

/** One item as JSON.stringify meets it (after toJSON): a string redacted, an object's keys redacted; the rest as is. */
function redactedItem(item: unknown, redact: Redact): unknown {
  if (typeof item === "string") return redact(item);
  if (item === null || typeof item !== "object" || Array.isArray(item)) return item;
  const entries = Object.entries(item);
  if (entries.every(([key]) => redact(key) === key)) return item;
  return Object.fromEntries(entries.map(([key, inner]) => [redact(key), inner]));
}

/**
 * `bytes` with every secret replaced, or undefined when none is there. The bytes need not be UTF-8 (a patch
 * of a Latin-1 file): they are read one character a byte, so everything else comes back as it was; a secret
 * that is not ASCII is looked for as UTF-8 text.
 */
export function redactBytes(bytes: Buffer, redact: Redact): Buffer | undefined {
  const asBytes = bytes.toString("latin1");
  const redacted = redact(asBytes);
  if (redacted !== asBytes) return Buffer.from(redacted, "latin1");
  const text = bytes.toString("utf8");
  const redactedText = redact(text);
  return redactedText === text ? undefined : Buffer.from(redactedText, "utf8");
}
