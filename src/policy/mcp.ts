import { minimatch } from "minimatch";
import type { Policy } from "./types.ts";

/** Why no tool of a server could ever be allowed, or undefined when some could. Pure. */
export function serverNeverAllowed(policy: Policy, prefix: string): string | undefined {
  // Names no real tool has: a deny glob matching both takes every tool of the server.
  const probes = [`${prefix}a`, `${prefix}zz9-_q`];
  const deny = policy.tools.deny.find((rule) => rule.when === undefined && probes.every((name) => minimatch(name, rule.pattern)));
  if (deny) return `tools.deny rule "${deny.pattern}"${deny.source ? ` (${deny.source})` : ""} takes every tool of the server`;
  if (policy.default === "allow") return undefined;
  if (policy.tools.allow.some((rule) => couldMatchUnder(rule.pattern, prefix))) return undefined;
  return `no tools.allow rule names a tool starting with ${prefix} and the policy's default is deny`;
}

/** Whether a name glob could match some name starting with `prefix`: its literal start and the prefix agree. */
function couldMatchUnder(pattern: string, prefix: string): boolean {
  const glob = pattern.search(/[*?[{!+@]/);
  if (glob === -1) return pattern.startsWith(prefix);
  const literal = pattern.slice(0, glob);
  return literal.startsWith(prefix) || prefix.startsWith(literal);
}
