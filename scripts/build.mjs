/**
 * The build: the command line bundled by esbuild into dist/, and the HTML report's page script
 * compiled by its own tsconfig (lib dom). Type errors do not stop it (`npm run typecheck` is
 * the check for those).
 *
 * Bundled because start-up is module loading: unbundled, `validate` spent most of its CPU
 * resolving and compiling ~90 of our files and the hundreds of small CommonJS files of yaml,
 * commander and zod (issue 19). Each command's own code and each heavy library stay in chunks
 * loaded on use (esbuild's splitting keeps every dynamic import() a chunk of its own).
 *
 * Layout: the entry points keep their folders (dist/cli/main.js, dist/parallel/worker.js,
 * dist/record/tape-worker.js) and the chunks sit in dist/chunks/: every JavaScript file is one
 * folder below dist/, which is how src/built-file.ts finds the worker scripts from any chunk.
 * dist/.meta.json (esbuild's metafile: which sources went into which file) is for the tests
 * that check what a command loads; it is not packed.
 */
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const DIST = join(ROOT, "dist");

rmSync(DIST, { recursive: true, force: true });
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: ["src/cli/main.ts", "src/parallel/worker.ts", "src/record/tape-worker.ts"],
  outbase: "src",
  outdir: "dist",
  entryNames: "[dir]/[name]",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  sourcesContent: false,
  metafile: true,
  logLevel: "warning",
  // CommonJS libraries bundled into ES modules still call require() for Node's own modules.
  banner: { js: 'import { createRequire as __mcptapeRequire } from "node:module"; const require = __mcptapeRequire(import.meta.url);' },
});
writeFileSync(join(DIST, ".meta.json"), JSON.stringify(result.metafile));

const page = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "src/report/html/browser/tsconfig.json"], { cwd: ROOT, encoding: "utf8" });
if (page.status !== 0) process.stderr.write(`build: the html page script has type errors (npm run typecheck shows them)\n${page.stdout}`);
