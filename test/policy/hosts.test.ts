import { describe, expect, it } from "vitest";
import { hostAllowed, invalidHostPattern } from "../../src/policy/hosts.ts";

describe("hostAllowed", () => {
  it.each<[string, string[], boolean]>([
    ["registry.npmjs.org", ["registry.npmjs.org"], true],
    ["Registry.NPMJS.org.", ["registry.npmjs.org"], true],
    ["registry.npmjs.org", ["REGISTRY.npmjs.org."], true],
    ["npmjs.org", ["registry.npmjs.org"], false],
    ["evil-registry.npmjs.org", ["registry.npmjs.org"], false],
    ["files.pythonhosted.org", ["*.pythonhosted.org"], true],
    ["a.b.pythonhosted.org", ["*.pythonhosted.org"], true],
    ["pythonhosted.org", ["*.pythonhosted.org"], false],
    ["evilpythonhosted.org", ["*.pythonhosted.org"], false],
    ["pythonhosted.org.evil.example", ["*.pythonhosted.org"], false],
    ["example.org", [], false],
    ["example.org", ["other.example", "example.org"], true],
    ["127.0.0.1", ["localhost"], false],
    ["127.0.0.1", ["127.0.0.1"], true],
    // The same address spelled another way is the same address: the proxy connects to what it checked.
    ["127.1", ["127.0.0.1"], true],
    ["127.1", ["localhost"], false],
    ["10.0.0.1", ["*.0.0.1"], false],
    ["[::1]", ["::1"], true],
    ["::1", ["[::1]"], true],
    ["[0:0:0:0:0:0:0:1]", ["::1"], true],
    ["[::1]", ["localhost"], false],
    ["bücher.example", ["xn--bcher-kva.example"], true],
    ["www.bücher.example", ["*.bücher.example"], true],
    ["", ["example.org"], false],
    ["*.example.org", ["*.example.org"], false],
    ["example.org/x", ["example.org"], false],
    ["user@example.org", ["example.org"], false],
    ["example.org:443", ["example.org"], false],
  ])("%s with %j: %s", (host, allow, expected) => {
    expect(hostAllowed(host, allow)).toBe(expected);
  });
});

describe("invalidHostPattern", () => {
  it.each(["registry.npmjs.org", "*.pythonhosted.org", "localhost", "example.org.", "127.0.0.1", "::1", "[::1]", "bücher.example"])("accepts %s", (entry) => {
    expect(invalidHostPattern(entry)).toBeUndefined();
  });

  it.each<[string, RegExp]>([
    ["", /empty/],
    ["  ", /empty/],
    ["https://registry.npmjs.org/", /URL; write only its host name, e\.g\. registry\.npmjs\.org/],
    ["registry.npmjs.org:443", /no port/],
    ["example.org/simple", /no path/],
    ["*", /every host.*network: true/],
    ["a.*.example.org", /wildcard only stands at the start/],
    ["*example.org", /wildcard only stands at the start/],
    ["*.10.0.0.1", /not an IP address/],
    ["exa mple.org", /white space/],
    ["user@example.org", /user name/],
    ["example.123", /not a valid host name/],
    ["fe80::1%eth0", /not a valid IPv6 address/],
  ])("refuses %j: %s", (entry, why) => {
    expect(invalidHostPattern(entry)).toMatch(why);
  });
});

// Two names for the loopback servers: `localhost` is allowed, `127.0.0.1` is not. No DNS needed.
