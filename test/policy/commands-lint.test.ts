import { describe, expect, it } from "vitest";
import { lintAllowPattern } from "../../src/policy/lint.ts";

describe("lintAllowPattern", () => {
  it.each<[string, string]>([
    ["*", "matches every program"],
    ["**", "matches every program"],
    ["* **", "matches every program"],
    ["bash **", "`bash -c CODE`"],
    ["sh -c *", "`sh -c CODE`"],
    ["zsh **", "`zsh -c CODE`"],
    ["bash *", "`bash ./script.sh`"],
    ["eval **", "`eval CODE`"],
    ["python -c *", "`python -c CODE`"],
    ["python3 **", "`python3 -c CODE`"],
    ["py* **", "`python -c CODE`"],
    ["node -e *", "`node -e CODE`"],
    ["node --eval *", "`node --eval CODE`"],
    ["node *", "`node ./script.js`"],
    ["perl -e *", "`perl -e CODE`"],
    ["ruby -e *", "`ruby -e CODE`"],
    ["env **", "`env rm -rf /`"],
    ["sudo **", "`sudo rm -rf /`"],
    ["xargs **", "`xargs rm -rf`"],
    ["timeout * **", "`timeout 5 rm -rf /`"],
    ["npx **", "`npx some-package`"],
    ["npm exec **", "`npm exec some-package`"],
    ["git **", "`git config core.pager CODE`"],
    ["find ** -exec **", "names `-exec`"],
    ["find ** -exec", "names `-exec`"],
    ["git -c * log **", "names `-c`"],
    ["git diff --ext-diff **", "names `--ext-diff`"],
    ["rg --pre * **", "names `--pre`"],
    // Wrappers run the command that follows them, whatever it is.
    ["time **", "`time` runs the command that follows it"],
    ["setsid **", "`setsid` runs the command that follows it"],
    ["stdbuf **", "`stdbuf` runs the command that follows it"],
    ["stdbuf -oL **", "`stdbuf` runs the command that follows it"],
    ["ionice **", "`ionice` runs the command that follows it"],
    ["ionice -c 3 *", "`ionice` runs the command that follows it"],
    ["builtin **", "`builtin` runs the command that follows it"],
    ["timeout **", "`timeout 5 rm -rf /`"],
    ["timeout 60 **", "`timeout` runs the command that follows it"],
    ["command **", "`command rm -rf /`"],
    ["doas **", "`doas rm -rf /`"],
    ["exec **", "`exec rm -rf /`"],
    ["nice **", "`nice rm -rf /`"],
    ["nice -n 10 **", "`nice` runs the command that follows it"],
    ["nohup **", "`nohup rm -rf /`"],
    ["nohup npm *", "it matches `npm exec`"],
    ["nohup *", "`nohup` runs the command that follows it"],
    ["nice -n 5 *", "`nice` runs the command that follows it"],
    ["timeout 60 bash -c *", "it matches `bash -c CODE`"],
    ["xargs cat", "xargs"],
    ["xargs -0 cat **", "never checked"],
    // A bare interpreter reads its program from its input.
    ["bash", "`bash` alone reads its program from its input"],
    ["sh", "`sh` alone reads its program from its input"],
    ["python3", "`python3` alone reads its program from its input"],
    ["python", "`python` alone reads its program from its input"],
    ["node", "`node` alone reads its program from its input"],
    ["perl", "`perl` alone reads its program from its input"],
    ["ruby", "`ruby` alone reads its program from its input"],
    ["php", "`php` alone reads its program from its input"],
  ])("warns about %j", (pattern, expected) => {
    expect(lintAllowPattern(pattern)).toContain(expected);
  });

  // `sed -i` only writes the files its words name, which the file rules decide as writes: naming it is a
  // choice to let commands edit, not a way around the rules.
  it.each(["sed -i **", "sed --in-place **", "nice -n 5 cat *", "timeout 60 cat *", "nice npm test", "time npm test", "timeout 60 npm test", "nohup npm run build", "node --version", "python3 --version", "npm test", "npm run lint **", "git status", "git diff **", "git log **", "ls **", "cat *", "npx vitest run **", "echo **", "find **", "python3 -m pytest **", "sed -n **", "rg **"])(
    "accepts %j",
    (pattern) => {
      expect(lintAllowPattern(pattern)).toBeUndefined();
    },
  );
});
