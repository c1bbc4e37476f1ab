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
 * Layout: the entry points keep their folders (dist/cli/start.cjs, dist/cli/main.js,
 * dist/parallel/worker.js, dist/record/tape-worker.js) and the chunks sit in dist/chunks/: every
 * JavaScript file is one folder below dist/, which is how src/built-file.ts finds the worker
 * scripts from any chunk. dist/cli/help.json is every help form's text, rendered by commander
 * here, which start.cjs prints without loading it.
 * dist/.meta.json (esbuild's metafile: which sources went into which file) is for the tests
 * that check what a command loads; it is not packed.
 */
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const DIST = join(ROOT, "dist");

rmSync(DIST, { recursive: true, force: true });
const shared = {
  absWorkingDir: ROOT,
  outbase: "src",
  outdir: "dist",
  entryNames: "[dir]/[name]",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  sourcesContent: false,
  metafile: true,
  logLevel: "warning",
  // yaml's ES module build (the same code as its CommonJS one, which the "node" condition picks)
  // lets esbuild leave out what we never call: 196 KB instead of 258 KB, 4 ms off every start
  // that reads a policy (validate over `node -e 0`: 89.6 against 93.5 ms, 31 alternating rounds).
  alias: { yaml: join(ROOT, "node_modules/yaml/browser/dist/index.js") },
};
const result = await build({
  ...shared,
  entryPoints: ["src/cli/main.ts", "src/parallel/worker.ts", "src/record/tape-worker.ts"],
  chunkNames: "chunks/[name]-[hash]",
  splitting: true,
  // CommonJS libraries bundled into ES modules still call require() for Node's own modules.
  banner: { js: 'import { createRequire as __mcptapeRequire } from "node:module"; const require = __mcptapeRequire(import.meta.url);' },
});
// The entry stands alone, its few lines of ours copied in rather than shared: each chunk it
// imported cost help ~1 ms of loading. It is CommonJS (as bin/mcptape.js is), so that help
// starts no ES module loader, another ~5 ms; it import()s main.js for anything but help.
const entry = await build({
  ...shared,
  entryPoints: ["src/cli/start.ts"],
  format: "cjs",
  outExtension: { ".js": ".cjs" },
  external: ["./main.js"],
  define: { "import.meta.url": "__mcptapeStartUrl" },
  banner: { js: 'const __mcptapeStartUrl = require("node:url").pathToFileURL(__filename).href;' },
});
const meta = { inputs: { ...result.metafile.inputs, ...entry.metafile.inputs }, outputs: { ...result.metafile.outputs, ...entry.metafile.outputs } };
writeFileSync(join(DIST, ".meta.json"), JSON.stringify(meta));
// Help and version, rendered by the built commander into dist/cli/help.json for the entry to print.
await createRequire(import.meta.url)(join(DIST, "cli", "start.cjs")).prerenderHelp();

const page = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "src/report/html/browser/tsconfig.json"], { cwd: ROOT, encoding: "utf8" });
if (page.status !== 0) process.stderr.write(`build: the html page script has type errors (npm run typecheck shows them)\n${page.stdout}`);
