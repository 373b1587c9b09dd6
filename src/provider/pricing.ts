import { isIP } from "node:net";
import { sumUsd } from "../shared/money.ts";
import type { PriceTable } from "./price-table.ts";
import type { ProviderConfig, Usage } from "./types.ts";

/**
 * USD for one model response, or null when no price is known (never a silent 0).
 * Order: the server's own figure, then the config's pricing, then free for a server on this machine
 * or a private network, then the bundled price table (offline, never fetched).
 */
export function priceUsage(provider: ProviderConfig, model: string, usage: Usage, table: PriceTable): number | null {
  if (usage.reportedCostUsd !== undefined) return usage.reportedCostUsd;
  const configured = provider.pricing?.[model];
  if (configured) {
    const uncached = usage.input - usage.cached;
    const cachedRate = configured.cached_input ?? configured.input;
    return (uncached * configured.input + usage.cached * cachedRate + usage.output * configured.output) / 1_000_000;
  }
  if (isPrivateUrl(provider.baseUrl)) return 0;
  const price = table(
    { input_tokens: usage.input, cache_read_tokens: usage.cached, output_tokens: usage.output },
    model,
    { providerApiUrl: provider.baseUrl },
  );
  return price?.total_price ?? null;
}

/** USD for a series of responses: the one sum behind task results, budgets and cost reports. */
export function costOfUsage(provider: ProviderConfig, model: string, usage: readonly Usage[], table: PriceTable): number | null {
  return sumCosts(usage.map((entry) => priceUsage(provider, model, entry, table)));
}

/** Sums prices exactly (in nano-dollars); one unknown makes the sum unknown. */
export function sumCosts(costs: (number | null)[]): number | null {
  return sumUsd(costs);
}

/** Whether a price is known for the model before any request, so a cost budget can be enforced. */
export function isPriced(provider: ProviderConfig, model: string, table: PriceTable): boolean {
  return priceUsage(provider, model, { input: 1_000_000, output: 1_000_000, cached: 0, estimated: false }, table) !== null;
}

export function isPrivateUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  } catch {
    return false;
  }
  const name = host.replace(/\.$/, "").toLowerCase();
  if (name === "localhost" || name.endsWith(".localhost") || name.endsWith(".local")) return true;
  if (isIP(host) === 4) return isPrivateIPv4(host);
  if (isIP(host) === 6) return isPrivateIPv6(host);
  return false;
}

/** Loopback, RFC 1918, link-local and the shared address space of carrier-grade NAT (Tailscale and the like). */
function isPrivateIPv4(host: string): boolean {
  const [a = 0, b = 0] = host.split(".").map(Number);
  return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
}

/** Loopback, unique-local and link-local addresses, and IPv4 addresses written as IPv6 (`::ffff:127.0.0.1`). */
function isPrivateIPv6(host: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host)?.[1] ?? hexMappedIPv4(host);
  if (mapped !== undefined) return isPrivateIPv4(mapped);
  return host === "::1" || /^f[cd]/i.test(host) || /^fe[89ab]/i.test(host);
}

/** The URL parser writes `::ffff:127.0.0.1` as `::ffff:7f00:1`. */
function hexMappedIPv4(host: string): string | undefined {
  const match = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(host);
  if (!match) return undefined;
  const [high, low] = [parseInt(match[1] ?? "0", 16), parseInt(match[2] ?? "0", 16)];
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
}
