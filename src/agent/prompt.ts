/**
 * Short and the same for every task of a run (no dates, no absolute paths), so servers can cache it.
 */
const BASE_PROMPT = `You are a coding agent working alone on one task in a git repository. Nobody will answer questions: make reasonable decisions yourself and finish the task.

- Every path is relative to the repository root. Stay inside it.
- Read a file before you edit it. Prefer string_replace for small edits; use write_file for new files or full rewrites.
- A policy decides every tool call. A call it refuses returns "denied by policy: <reason>". Do not repeat a denied call; find another way, or finish as blocked.
- Make only the changes the task asks for. Your changes are collected as a patch for review.
- When the task is done, call finish with status "done" and a one-line summary of what you changed.
- When you cannot do the task (the policy refuses what it needs, information is missing, a command it needs cannot run), call finish with status "blocked" and the reason in one line. Never report done for work you did not do.`;

export const LAST_TURN_MESSAGE =
  "This is your last turn: tools are no longer available. Reply with a short summary of what you changed and what is left undone.";

export const EMPTY_REPLY_MESSAGE =
  "Your reply was empty. Continue the task with tool calls, or call finish if you are done or blocked.";

/** The system prompt, with the text of the repository's AGENTS.md appended when it has one. */
export function buildSystemPrompt(agentsMd: string | undefined): string {
  if (agentsMd === undefined || agentsMd.trim() === "") return BASE_PROMPT;
  return `${BASE_PROMPT}\n\nThe repository's AGENTS.md says:\n\n${agentsMd.trim()}`;
}

export interface ContextFile {
  path: string;
  content: string;
}

/** The changed files a first message names at most; the others are counted (a commit of thousands would fill the context). */
export const CHANGED_FILES_NAMED = 100;

/** The task's prompt, followed by the files the task author gave as context. */
export function buildUserMessage(prompt: string, files: ContextFile[], changedFiles: string[] = []): string {
  const changed = changedFiles.length === 0 ? "" : `\n\nChanged files this task is about:\n${changedFilesList(changedFiles)}`;
  if (files.length === 0) return prompt.trim() + changed;
  const blocks = files.map((file) => `<file path="${file.path}">\n${file.content}\n</file>`);
  return `${prompt.trim()}${changed}\n\nFiles given as context:\n\n${blocks.join("\n\n")}`;
}

function changedFilesList(changedFiles: string[]): string {
  const named = changedFiles.slice(0, CHANGED_FILES_NAMED).map((file) => `- ${file}`);
  const more = changedFiles.length - named.length;
  return [...named, ...(more > 0 ? [`- and ${more} more`] : [])].join("\n");
}
