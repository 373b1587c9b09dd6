import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../src/policy/load.ts";
import { collectSecrets } from "../../src/report/redact.ts";
import { looksLikeSecret } from "../../src/shared/secret-names.ts";

const SECRETS = ["NPM_TOKEN", "GITHUBTOKEN", "MY_SECRET_THING", "DB_PASSWORD", "MY_PASSWD", "STRIPE_API_KEY", "MYAPIKEY", "AWS_SECRET_ACCESS_KEY", "SESSION_ID", "npm_config_auth", "AUTH_COOKIE", "SSH_PRIVATE_KEY"];
const ORDINARY = ["TOKENIZERS_PARALLELISM", "GIT_AUTHOR_NAME", "JAVA_HOME", "NODE_OPTIONS", "KEYBOARD_LAYOUT", "PWD", "HOME"];

describe("one list of what counts as a secret", () => {
  it.each(SECRETS)("%s is a secret's name", (name) => expect(looksLikeSecret(name)).toBe(true));
  it.each(ORDINARY)("%s is not", (name) => expect(looksLikeSecret(name)).toBe(false));

  it("the reports hide the values of exactly the variables whose env.pass draws a warning", () => {
    const value = "a-value-long-enough";
    for (const name of [...SECRETS, ...ORDINARY]) {
      const hidden = collectSecrets({ [name]: value }, []).includes(value);
      const warned = (parsePolicy(`version: 1\nenv: {pass: [${name}]}\n`, "policy.yaml").warnings ?? []).length > 0;
      expect({ name, hidden }).toEqual({ name, hidden: warned });
    }
  });
});
