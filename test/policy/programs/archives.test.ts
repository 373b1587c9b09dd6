import { describe } from "vitest";
import { auditDir, decideEach, permissive } from "../workspaces.ts";

/* tar: options that write files or run code. */

describe("8. tar options that write or run code", () => {
  decideEach(permissive, [
    ["tar cf /tmp/a.tar src --index-file=.github/workflows/ci.yml", "deny", "files.write.deny[0]"],
    ["tar -cf /tmp/a.tar --remove-files .github", "deny", "files.write.deny[0]"],
    ["tar -g .github/workflows/snap -cf /tmp/a.tar src", "deny", "files.write.deny[0]"],
    ["tar --listed-incremental=.github/workflows/snap -cf /tmp/a.tar src", "deny", "files.write.deny[0]"],
    ["tar --to-command=sh -xf a.tar", "deny"],
    ["tar -I 'sh -c x' -cf /tmp/a.tar src", "deny"],
    ["tar --use-compress-program=./x.sh -cf /tmp/a.tar src", "deny"],
    ["tar --checkpoint-action=exec=sh -cf /tmp/a.tar src", "deny"],
    ["tar cf /tmp/a.tar src", "allow"],
  ], auditDir);
});
