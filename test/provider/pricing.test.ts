import { describe, expect, it } from "vitest";
import { isPrivateUrl } from "../../src/provider/pricing.ts";

describe("isPrivateUrl: servers on this machine or a private network cost nothing", () => {
  it.each([
    "http://localhost:11434/v1",
    "http://localhost.:11434/v1",
    "http://LOCALHOST/v1",
    "http://gpu.local:8080/v1",
    "http://127.0.0.1:8000/v1",
    "http://10.1.2.3/v1",
    "http://172.16.0.9/v1",
    "http://192.168.1.20:1234/v1",
    "http://169.254.1.1/v1",
    "http://100.101.102.103/v1",
    "http://[::1]:8080/v1",
    "http://[::ffff:127.0.0.1]/v1",
    "http://[::ffff:192.168.0.1]/v1",
    "http://[fd12:3456::1]/v1",
    "http://[fe80::1]/v1",
  ])("%s is private", (url) => {
    expect(isPrivateUrl(url)).toBe(true);
  });

  it.each([
    "https://api.openai.com/v1",
    "https://openrouter.ai/api/v1",
    "http://8.8.8.8/v1",
    "http://172.32.0.1/v1",
    "http://100.128.0.1/v1",
    "http://[::ffff:8.8.8.8]/v1",
    "http://[2001:db8::1]/v1",
    "http://localhost.example.com/v1",
    "not a url",
  ])("%s is not", (url) => {
    expect(isPrivateUrl(url)).toBe(false);
  });
});
