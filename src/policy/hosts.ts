import { isIP } from "node:net";

/**
 * Host names in the policy's `sandbox.network` list, and the check the filtering proxy makes with them.
 * Pure: the proxy (src/sandbox/network-proxy.ts) and the policy loader share one reading of a host.
 */

/**
 * Whether `host` (a name or IP literal as the client sent it, maybe with a trailing dot or in [v6] brackets)
 * on `port` matches an allow-list entry. Pure. Names compare case-insensitively and without a trailing dot;
 * `*.example.org` matches any subdomain of example.org but not example.org itself; an IP literal matches
 * only an entry naming that same address. An entry with a port (`db.internal:5432`, `[::1]:8080`) allows
 * that port only; one without, every port. `port` undefined asks whether any entry names the host at all.
 */
export function hostAllowed(host: string, port: number | undefined, allow: readonly string[]): boolean {
  const target = canonicalHost(host);
  if (target === undefined) return false;
  const targetIsIp = isIP(target) !== 0;
  return allow.some((written) => {
    const entry = splitPort(written);
    if (port !== undefined && entry.port !== undefined && Number(entry.port) !== port) return false;
    if (!entry.host.startsWith("*.")) return canonicalHost(entry.host) === target;
    const domain = canonicalHost(entry.host.slice(2));
    return !targetIsIp && domain !== undefined && isIP(domain) === 0 && target.endsWith(`.${domain}`);
  });
}

/**
 * An entry's host and port as written: `example.org:443`, `[::1]:8080`. A bare IPv6 address (`::1`) has no
 * port: its colons are the address's own, so a port on one needs the brackets.
 */
function splitPort(entry: string): { host: string; port?: string } {
  const match = /^(\[[^\]]*\]|[^:[\]]*):([^:]*)$/.exec(entry);
  return match ? { host: match[1] ?? "", port: match[2] ?? "" } : { host: entry };
}

/** Why an allow-list entry is invalid, or undefined when it is fine. Pure; the policy loader reports it at its line. */
export function invalidHostPattern(written: string): string | undefined {
  if (written.trim() === "") return "empty; write a host name such as registry.npmjs.org";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(written)) return `a URL; write only its host name${urlHostHint(written)}`;
  const { host: entry, port } = splitPort(written);
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65_535)) {
    return `the port "${port}" is not a number from 1 to 65535; write host:port (e.g. registry.npmjs.org:443), or the host alone for every port`;
  }
  if (entry === "*" || entry === "*.") return "`*` would allow every host; set `network: true` for that";
  if (/\s/.test(entry)) return "contains white space";
  if (entry.includes("/")) return "a host name has no path; write only the name";
  if (entry.includes("@")) return "a host name has no user name; write only the name";
  const bare = unbracketed(entry);
  if (isIP(bare) === 6 && bare === entry) {
    // `::1:8080` is an address, and most likely meant as ::1 on port 8080: said either way, with brackets.
    const [, head = "", port = ""] = /^(.*):(\d{2,5})$/.exec(entry) ?? [];
    if (isIP(head) === 6 && Number(port) <= 65_535) return `reads as the one IPv6 address ${entry}: write [${head}]:${port} for port ${port} of ${head}, or [${entry}] for the address`;
  }
  if (isIP(bare) === 6) return canonicalHost(entry) === undefined ? "not a valid IPv6 address" : undefined;
  if (entry.includes(":")) return "not a valid host name: write host:port with one colon (an IPv6 address with a port in brackets, [::1]:8080)";
  const wildcard = entry.startsWith("*.");
  const name = wildcard ? entry.slice(2) : entry;
  if (name.includes("*")) return "a wildcard only stands at the start, as in *.example.org";
  const canonical = canonicalHost(name);
  if (canonical === undefined) return "not a valid host name or IP address";
  if (wildcard && isIP(canonical) !== 0) return "a wildcard goes before a domain name, not an IP address";
  return undefined;
}

/**
 * The one spelling of a host that is checked and then connected to: lower case, punycode, IPv4 in dotted
 * form (so `127.1` is 127.0.0.1), IPv6 compressed and without brackets, no trailing dot. Undefined when
 * it is no host at all; the characters URLs give a meaning to never reach the URL parser.
 */
export function canonicalHost(raw: string): string | undefined {
  const bare = unbracketed(raw);
  const ipv6 = isIP(bare) === 6;
  if (bare === "" || bare.includes("*") || (!ipv6 && /[\0-\x20\x7f/?#@:%\\[\]<>^|]/.test(bare))) return undefined;
  try {
    const { hostname } = new URL(`http://${ipv6 ? `[${bare}]` : bare}/`);
    return ipv6 ? hostname.slice(1, -1) : hostname.replace(/\.$/, "");
  } catch {
    return undefined;
  }
}

/** ", e.g. registry.npmjs.org" for a URL with a host, so the message says what to write instead. */
function urlHostHint(url: string): string {
  try {
    const { hostname } = new URL(url);
    return hostname === "" ? "" : `, e.g. ${unbracketed(hostname)}`;
  } catch {
    return "";
  }
}

export function unbracketed(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}
