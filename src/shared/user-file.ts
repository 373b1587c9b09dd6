import { readFile, stat } from "node:fs/promises";
import { UserError, type UserErrorCode } from "./errors.ts";

/**
 * A file the user named (a task file, the config, the policy), read whole. A folder, a pipe or a device is
 * refused by name before any read: reading a pipe or /dev/zero would never end.
 */
export async function readUserFile(path: string, display: string, code: UserErrorCode, notFound?: string): Promise<Buffer> {
  const stats = await stat(path).catch((error: unknown) => {
    throw new UserError(isMissing(error) && notFound ? `${display}: ${notFound}` : `${display}: cannot read: ${describeFsError(error)}`, code);
  });
  if (stats.isDirectory()) throw new UserError(`${display}: is a directory, not a file; give the path of a file`, code);
  if (!stats.isFile()) throw new UserError(`${display}: is not a regular file (a pipe, socket or device); give the path of a file`, code);
  return readFile(path).catch((error: unknown) => {
    throw new UserError(`${display}: cannot read: ${describeFsError(error)}`, code);
  });
}

/** The bytes as UTF-8 text; invalid UTF-8 is refused at its line and column rather than silently replaced. */
export function decodeUtf8(bytes: Buffer, display: string, code: UserErrorCode): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const at = firstInvalidByte(bytes);
    const before = bytes.subarray(0, at).toString("utf8").split("\n");
    throw new UserError(`${display}:${before.length}:${(before.at(-1)?.length ?? 0) + 1}: invalid UTF-8; save the file as UTF-8 text`, code);
  }
}

/** The offset of the first byte that makes the text invalid UTF-8 (binary search on prefixes). */
function firstInvalidByte(bytes: Buffer): number {
  let valid = 0;
  let invalid = bytes.length;
  while (invalid - valid > 1) {
    const middle = Math.floor((valid + invalid) / 2);
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, middle), { stream: true });
      valid = middle;
    } catch {
      invalid = middle;
    }
  }
  return valid;
}

export function describeFsError(error: unknown): string {
  return error instanceof Error && "code" in error ? String(error.code) : String(error);
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}
