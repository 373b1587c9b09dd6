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
    expect(hostAllowed(host, 443, allow)).toBe(expected);
  });

  it.each<[string, number, string[], boolean]>([
    ["db.internal", 5432, ["db.internal:5432"], true],
    ["db.internal", 22, ["db.internal:5432"], false],
    ["db.internal", 22, ["db.internal:5432", "db.internal"], true],
    ["DB.internal.", 5432, ["db.internal:5432"], true],
    ["registry.npmjs.org", 443, ["*.npmjs.org:443"], true],
    ["registry.npmjs.org", 80, ["*.npmjs.org:443"], false],
    ["::1", 8080, ["[::1]:8080"], true],
    ["[::1]", 8081, ["[::1]:8080"], false],
    // A bare IPv6 address has no port: its colons are its own, so ::1:8080 is another address.
    ["::1", 8080, ["::1:8080"], false],
    ["127.0.0.2", 80, ["127.0.0.2:8080"], false],
  ])("%s port %d with %j: %s", (host, port, allow, expected) => {
    expect(hostAllowed(host, port, allow)).toBe(expected);
  });

  it("with no port, says whether any entry names the host, whatever its port", () => {
    expect(hostAllowed("db.internal", undefined, ["db.internal:5432"])).toBe(true);
    expect(hostAllowed("other.internal", undefined, ["db.internal:5432"])).toBe(false);
  });
});

describe("invalidHostPattern", () => {
  it.each(["registry.npmjs.org", "*.pythonhosted.org", "localhost", "example.org.", "127.0.0.1", "::1", "[::1]", "bücher.example", "registry.npmjs.org:443", "*.npmjs.org:443", "127.0.0.1:65535", "[::1]:8080", "[::1:8080]", "2001:db8::10"])("accepts %s", (entry) => {
    expect(invalidHostPattern(entry)).toBeUndefined();
  });

  it.each<[string, RegExp]>([
    ["", /empty/],
    ["  ", /empty/],
    ["https://registry.npmjs.org/", /URL; write only its host name, e\.g\. registry\.npmjs\.org/],
    ["registry.npmjs.org:0", /the port "0" is not a number from 1 to 65535; write host:port/],
    ["registry.npmjs.org:65536", /the port "65536" is not a number/],
    ["registry.npmjs.org:https", /the port "https" is not a number/],
    ["registry.npmjs.org:", /the port "" is not a number/],
    ["[::1]:", /the port "" is not a number/],
    ["a:b:c", /write host:port with one colon/],
    ["::1:8080", /^reads as the one IPv6 address ::1:8080: write \[::1\]:8080 for port 8080 of ::1, or \[::1:8080\] for the address$/],
    ["fe80::1:443", /write \[fe80::1\]:443 for port 443/],
    ["https://registry.npmjs.org:443/", /URL; write only its host name, e\.g\. registry\.npmjs\.org/],
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
