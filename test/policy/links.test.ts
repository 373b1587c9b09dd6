import { describe, it } from "vitest";
import { decideEach, maintainerPolicy } from "./workspaces.ts";

/* Links: one made in the same line as other commands is refused; a lone link checks both ends. */

describe("3. a link made in the same line as other commands is refused; a lone link checks both ends", () => {
  decideEach(() => maintainerPolicy, [
    ["ln -s ../.env src/e && cat src/e", "deny", "commands.link"],
    ["ln -s ../.github src/gh && echo x > src/gh/workflows/ci.yml", "deny", "commands.link"],
    ["ln -s ../.github src/gh && cp src/a.ts src/gh/workflows/ci.yml", "deny", "commands.link"],
    ["ln -s ../.github src/gh; cp src/a.ts src/gh/workflows/ci.yml", "deny", "commands.link"],
    ["ln -sf ../.github src/gh & cat src/a.ts", "deny", "commands.link"],
    ["link src/a.ts src/h && cat src/h", "deny", "commands.link"],
    ["cp -s WS/.env src/e && cat src/e", "deny", "commands.link"],
    ["cp -l src/a.ts src/h && echo x > src/h", "deny", "commands.link"],
    ["cp --symbolic-link WS/src/a.ts src/e && cat src/e", "deny", "commands.link"],
    // cp -r copies a link as a link; mv moves it.
    ["cp -r src src2 && cat src2/env-link", "deny", "commands.link"],
    ["mv src/env-link src/deep/e && cat src/deep/e", "deny", "commands.link"],
    // Alone, the link's target is read (relative to the link's folder) and its new name written.
    ["ln -s ../.env src/e", "deny", "files.read.deny[0]"],
    ["ln -s ../../.env src/deep/e", "deny", "files.read.deny[0]"],
    ["ln .env src/e", "deny", "files.read.deny[0]"],
    ["link .env src/e", "deny", "files.read.deny[0]"],
    // A hard link is the same file under a new name: its file must be writable too.
    ["ln README.md src/readme", "deny", "default"],
    ["ln -s a.ts src/alias.ts", "allow"],
    ["ln src/a.ts src/hard.ts", "allow"],
    ["ln -s ../src/a.ts docs/a.ts", "allow"],
    ["cp src/a.ts src/b.ts && cat src/b.ts", "allow"],
  ]);
});
