import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { escapeHtml } from "../format.ts";
import { stringifyRedacted } from "../redact.ts";
import { runPage } from "./page.ts";
import type { PageData, TaskDetail } from "./shape.ts";
import { PAGE_STYLE } from "./style.ts";

/** The page's script: the source of runPage, called once the data it reads is in the document. */
export const PAGE_SCRIPT = `(${runPage.toString()})();`;

/**
 * JSON that is inert inside a `<script type="application/json">` element: every `<` (so no `</script>` or
 * `<!--` can end or change the element), `>` and `&` as \u escapes, and the two line separators JavaScript
 * once refused in strings. JSON.parse reads it back unchanged.
 */
export function embedJson(value: unknown, redact: (text: string) => string = (text) => text): string {
  return stringifyRedacted(value, redact)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

const hashOf = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/**
 * The Content-Security-Policy of the page. Nothing may load (`default-src 'none'`: no images, fonts,
 * frames, requests, forms), and only the page's own script and stylesheet run, named by their hashes: an
 * inline script or style attribute that got into the document some other way would not run, which
 * 'unsafe-inline' would allow. Data sits in JSON elements, which are never run.
 */
export function contentSecurityPolicy(script: string, style: string): string {
  return [
    "default-src 'none'",
    `script-src ${hashOf(script)}`,
    `style-src ${hashOf(style)}`,
    "img-src 'none'",
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/**
 * A task's detail as the page holds it: its JSON, secrets hidden, gzip-compressed and in base64, which the
 * page unpacks when the task is opened (a run's logs shrink several times over). Base64 has no `<`: nothing
 * in it can end its element.
 */
export function packDetail(detail: TaskDetail, redact: (text: string) => string): string {
  return gzipSync(Buffer.from(stringifyRedacted(detail, redact), "utf8")).toString("base64");
}

/** report.html: the stylesheet, the run's data, each task's detail in an element of its own, and the script. */
export function renderHtmlPage(data: PageData, details: readonly (TaskDetail | undefined)[], redact: (text: string) => string): string {
  if (PAGE_SCRIPT.includes("</script")) throw new Error("the page script must not hold </script");
  const parts = [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(PAGE_SCRIPT, PAGE_STYLE)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>nanocoder batch · ${escapeHtml(redact(data.run.id))}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    "</head>",
    "<body>",
    '<noscript>This page needs JavaScript to show the run; report.md in the same folder has its summary.</noscript>',
    '<main id="app"></main>',
    `<script type="application/json" id="run-data">${embedJson(data, redact)}</script>`,
  ];
  details.forEach((detail, index) => {
    if (detail) parts.push(`<script type="application/gzip" id="task-${index}">${packDetail(detail, redact)}</script>`);
  });
  parts.push(`<script>${PAGE_SCRIPT}</script>`, "</body>", "</html>", "");
  return parts.join("\n");
}
