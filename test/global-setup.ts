/**
 * Before any test: build the command line fresh (real-process tests run bin/mcptape.js, which
 * runs dist/; the build is incremental, so seconds when nothing changed), and say once whether
 * the corpus suite runs. Type errors do not stop the tests (tsc still writes the JavaScript);
 * `npm run typecheck` is the check for those.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { CORPUS, CORPUS_HOW } from "./helpers/corpus.js";

export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  // The command line, then the html report's page script (a browser build of its own).
  for (const project of ["tsconfig.build.json", "src/report/html/browser/tsconfig.json"]) {
    const r = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", project], { cwd: root, encoding: "utf8" });
    if (r.status !== 0) process.stderr.write(`test setup: the build reported type errors (npm run typecheck shows them)\n${r.stdout}`);
  }
  if (CORPUS === undefined) console.log(`corpus suite skipped (risk-class accuracy, starters and loading for the real Intercept policies, their loader-property seeds): run it with ${CORPUS_HOW}`);
  else console.log(`corpus suite on: ${CORPUS}`);
}
