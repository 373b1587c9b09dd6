export type Env = Readonly<Record<string, string | undefined>>;

/** `${VAR:-default}`, `${VAR}` or `$VAR`; like nanocoder, only upper-case names are variables. */
const REFERENCE = /\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}|\$([A-Z_][A-Z0-9_]*)/g;

/**
 * Replaces variable references in every string inside `value` (arrays and objects walked recursively).
 * A variable that is unset or empty takes the default, if any, else becomes "".
 */
export function substituteEnv(value: unknown, env: Env): unknown {
  if (typeof value === "string") return substituteEnvInString(value, env);
  if (Array.isArray(value)) return value.map((item) => substituteEnv(item, env));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteEnv(item, env)]));
  }
  return value;
}

export function substituteEnvInString(text: string, env: Env): string {
  return text.replace(REFERENCE, (_match, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? "";
    const value = env[name];
    if (value !== undefined && value !== "") return value;
    return fallback ?? "";
  });
}

/** Names of the variables that `value` (walked like substituteEnv) refers to without a default and that are unset or empty. */
export function unsetVariables(value: unknown, env: Env): string[] {
  const names = new Set<string>();
  const visit = (item: unknown): void => {
    if (typeof item === "string") {
      for (const match of item.matchAll(REFERENCE)) {
        const name = match[1] ?? match[3] ?? "";
        if (match[2] === undefined && (env[name] === undefined || env[name] === "")) names.add(name);
      }
    } else if (Array.isArray(item)) item.forEach(visit);
    else if (typeof item === "object" && item !== null) Object.values(item).forEach(visit);
  };
  visit(value);
  return [...names];
}

/** Names of every variable `text` refers to, set or not. */
export function variablesIn(text: unknown): string[] {
  if (typeof text !== "string") return [];
  return [...new Set([...text.matchAll(REFERENCE)].map((match) => match[1] ?? match[3] ?? ""))];
}
