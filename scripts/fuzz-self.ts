/**
 * `npm run fuzz:self`: the hardening properties of test/hardening/properties.ts with many
 * more runs than the test suite gives them. Prints runs per second for each and the first
 * counterexample it finds (with the seed and path to replay it); exits 1 when any fails.
 *   npm run fuzz:self -- --runs 20000 --seed 42
 */
import fc from "fast-check";
import { PROPERTIES } from "../test/hardening/properties.js";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

const runs = Number(flag("--runs") ?? 5000);
const seed = flag("--seed") === undefined ? Date.now() % 2 ** 31 : Number(flag("--seed"));
let failed = 0;
console.log(`fuzz:self: ${PROPERTIES.length} properties, ${runs} runs each, seed ${seed}`);
for (const p of PROPERTIES) {
  const started = performance.now();
  const result = fc.check(p.property as fc.IProperty<unknown[]>, { numRuns: runs, seed });
  const seconds = (performance.now() - started) / 1000;
  const rate = Math.round(result.numRuns / Math.max(seconds, 1e-3));
  if (result.failed) {
    failed++;
    console.log(`FAIL  ${p.name}: after ${result.numRuns} runs (${rate} runs/s)`);
    console.log(`      counterexample: ${fc.stringify(result.counterexample)}`);
    console.log(`      error: ${String(result.errorInstance instanceof Error ? result.errorInstance.stack : result.errorInstance)}`);
    console.log(`      replay: --seed ${result.seed} (path ${result.counterexamplePath})`);
  } else {
    console.log(`ok    ${p.name}: ${result.numRuns} runs, ${rate} runs/s`);
  }
}
process.exit(failed > 0 ? 1 : 0);
