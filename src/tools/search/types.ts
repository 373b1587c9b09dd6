export interface SearchRequest {
  /** Real absolute path of the workspace root. */
  root: string;
  /** Workspace-relative POSIX path of the file or folder to search ("." for all). */
  target: string;
  /** Regular expression. */
  query: string;
  /** Glob that searched files must match, rg --glob style. */
  include: string | undefined;
  caseSensitive: boolean;
  /** Matches wanted; a search may stop once it has one more than this. */
  limit: number;
  signal: AbortSignal;
}

export interface SearchMatch {
  /** Workspace-relative POSIX path. */
  path: string;
  line: number;
  text: string;
}

export interface SearchResult {
  /** Sorted by path, then line. */
  matches: SearchMatch[];
  /** The search stopped early: there may be more matches than `matches` holds. */
  truncated: boolean;
}

/** Files above this size are skipped: they are data or generated, and slow to scan. */
export const MAX_FILE_BYTES = 2_000_000;
/** Longest matching line shown. */
export const MAX_LINE_CHARS = 300;
