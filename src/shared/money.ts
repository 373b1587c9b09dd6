/**
 * Money is added up in whole nano-dollars (1e-9 USD). Integer sums are exact in any order, so a
 * total is always exactly the sum of its rows, and each amount converts back to the same USD number.
 */
const NANO_PER_USD = 1_000_000_000;

export function toNanoUsd(usd: number): number {
  return Math.round(usd * NANO_PER_USD);
}

export function fromNanoUsd(nano: number): number {
  return nano / NANO_PER_USD;
}

/** Sums USD amounts exactly; one unknown (null) makes the sum unknown. */
export function sumUsd(amounts: readonly (number | null)[]): number | null {
  let nano = 0;
  for (const amount of amounts) {
    if (amount === null) return null;
    nano += toNanoUsd(amount);
  }
  return fromNanoUsd(nano);
}

/** Sums the known amounts only. */
export function sumKnownUsd(amounts: readonly (number | null)[]): number {
  return sumUsd(amounts.filter((amount) => amount !== null)) ?? 0;
}

/** A plain decimal, never in exponent notation: 0.0000005, 1.25, 3. */
export function decimalUsd(usd: number): string {
  const nano = toNanoUsd(usd);
  const sign = nano < 0 ? "-" : "";
  const digits = String(Math.abs(nano)).padStart(10, "0");
  const whole = digits.slice(0, -9);
  const fraction = digits.slice(-9).replace(/0+$/, "");
  return `${sign}${whole}${fraction ? `.${fraction}` : ""}`;
}
