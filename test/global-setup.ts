/**
 * Before any test: build the command line fresh (real-process tests run bin/mcptape.js, which
 * runs the bundle in dist/; about a second), and say once whether the corpus suite runs. Type
 * errors do not stop the tests (the bundler does not check types); `npm run typecheck` does.
 * Returns the teardown, run after every test.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CORPUS, CORPUS_HOW } from "./helpers/corpus.js";

export default function setup(): () => void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const r = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`test setup: the build failed\n${r.stdout}${r.stderr}`);
  // On Node 22 and later the command line keeps a compile cache in the temp folder: the tests'
  // runs keep theirs in a folder of their own, removed when the tests end.
  const compileCache = mkdtempSync(join(tmpdir(), "mcptape-compile-cache-"));
  process.env.NODE_COMPILE_CACHE = compileCache;
  if (CORPUS === undefined) console.log(`corpus suite skipped (risk-class accuracy, starters and loading for the real Intercept policies, their loader-property seeds): run it with ${CORPUS_HOW}`);
  else console.log(`corpus suite on: ${CORPUS}`);
  return () => rmSync(compileCache, { recursive: true, force: true });
}
