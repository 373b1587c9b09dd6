import { createHash } from "node:crypto";
import { UserError } from "../shared/errors.ts";

/** Shard `index` of `count`, counted from 1 (`--shard 2/4`). */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(value: string | undefined): Shard | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UserError(`--shard: expected i/n with 1 ≤ i ≤ n, e.g. 2/4, got "${value}"`, "E_USAGE");
  }
  return { index, count };
}

/**
 * The shard a task id belongs to: the first 32 bits of the id's sha1, modulo the shard count, plus one.
 * It depends on the id alone, so adding or removing a task never moves another one.
 */
export function shardOf(id: string, count: number): number {
  const hash = createHash("sha1").update(id).digest();
  return (hash.readUInt32BE(0) % count) + 1;
}

export function inShard(id: string, shard: Shard | undefined): boolean {
  return shard === undefined || shardOf(id, shard.count) === shard.index;
}
