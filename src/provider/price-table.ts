import type { calcPrice } from "@pydantic/genai-prices";

/** The bundled price table's lookup: a model's prices and context window, offline (never fetched). */
export type PriceTable = typeof calcPrice;

let loading: Promise<PriceTable> | undefined;

/**
 * The price table, loaded on first need. It is some 600 KB of data that costs about 0.1 s of CPU to load:
 * the commands and paths that never price or size a model (`--version`, `validate`, `policy`, `doctor`,
 * `report`) do not pay for it.
 */
export function loadPriceTable(): Promise<PriceTable> {
  return (loading ??= import("@pydantic/genai-prices").then((module) => module.calcPrice));
}
