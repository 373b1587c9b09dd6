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
    ["sed -i **", "names `-i`"],
  ])("warns about %j", (pattern, expected) => {
    expect(lintAllowPattern(pattern)).toContain(expected);
  });

  it.each(["npm test", "npm run lint **", "git status", "git diff **", "git log **", "ls **", "cat *", "npx vitest run **", "echo **", "find **", "python3 -m pytest **", "sed -n **", "rg **"])(
    "accepts %j",
    (pattern) => {
      expect(lintAllowPattern(pattern)).toBeUndefined();
    },
  );
});
