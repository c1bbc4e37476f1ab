/**
 * The self-contained HTML page: inline CSS and JS, the data as JSON in a non-executed script
 * element, nothing fetched. Recorded data never becomes markup: it is only ever JSON read by
 * the page script, which renders it with textContent. The Content-Security-Policy allows just
 * this page's own script and style (by hash) and no network at all, so even a slip in escaping
 * could not run injected script.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { builtFile } from "../../built-file.js";
import { xml } from "../escape.js";
import { PAGE_STYLE } from "./style.js";

/** The page script as the build compiled it from browser/page-script.ts (its own tsconfig, lib dom). */
let pageScript: string | undefined;
function loadPageScript(): string {
  if (pageScript !== undefined) return pageScript;
  const path = fileURLToPath(builtFile("report/html/browser/page-script.js"));
  if (!existsSync(path)) throw new Error("the html report's page script is not built: run npm run build");
  return (pageScript = readFileSync(path, "utf8"));
}

/**
 * JSON safe inside `<script type="application/json">`: `<` and `>` escaped (so no `</script>`,
 * `<!--` or `-->`), and U+2028/U+2029 escaped for older parsers treating them as line ends.
 */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function sha256(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

/** The whole page for `data` (an object the page script knows how to draw). */
export function htmlPage(title: string, data: unknown): string {
  const script = loadPageScript();
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(PAGE_STYLE)}`,
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${xml(title)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    "</head>",
    "<body>",
    '<main id="app"><noscript>This report draws itself with JavaScript; please enable it.</noscript></main>',
    `<script type="application/json" id="report-data">${jsonForScript(data)}</script>`,
    `<script>${script}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
