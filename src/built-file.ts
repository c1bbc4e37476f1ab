/**
 * A file of the build (dist/), wherever the code asking runs from. Bundled, every JavaScript file
 * is one folder below dist/ (dist/cli/main.js, dist/chunks/*.js: scripts/build.mjs), so `../`
 * from this module's own file is dist/. From the TypeScript sources (tests, tsx) this module is
 * src/built-file.ts, and dist/ is beside src/.
 */
export function builtFile(path: string): URL {
  return new URL(import.meta.url.endsWith(".ts") ? `../dist/${path}` : `../${path}`, import.meta.url);
}
