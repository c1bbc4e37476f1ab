/**
 * Before any test: build the command line fresh (real-process tests run bin/mcptape.js, which
 * runs the bundle in dist/; about a second), and say once whether the corpus suite runs. Type
 * errors do not stop the tests (the bundler does not check types); `npm run typecheck` does.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { CORPUS, CORPUS_HOW } from "./helpers/corpus.js";

export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const r = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`test setup: the build failed\n${r.stdout}${r.stderr}`);
  if (CORPUS === undefined) console.log(`corpus suite skipped (risk-class accuracy, starters and loading for the real Intercept policies, their loader-property seeds): run it with ${CORPUS_HOW}`);
  else console.log(`corpus suite on: ${CORPUS}`);
}
