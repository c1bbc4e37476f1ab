/**
 * `npm run fuzz:self`: the hardening properties of test/hardening/properties.ts with many
 * more runs than the test suite gives them. Prints runs per second for each and the first
 * counterexample it finds, with the command that replays it; exits 1 when any fails.
 *   npm run fuzz:self -- --runs 20000 --seed 42
 *   npm run fuzz:self -- --seed 42 --property "tape reader: random bytes" --path 17:3:0
 */
import fc from "fast-check";
import { PROPERTIES } from "../test/hardening/properties.js";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

function wholeNumber(name: string, fallback: number): number {
  const text = flag(name);
  const n = text === undefined ? fallback : Number(text);
  if (!Number.isSafeInteger(n)) {
    console.error(`fuzz:self: ${name} ${JSON.stringify(text)} is not a whole number`);
    process.exit(2);
  }
  return n;
}

const runs = wholeNumber("--runs", 5000);
const seed = wholeNumber("--seed", Date.now() % 2 ** 31);
const path = flag("--path");
const only = flag("--property");
const chosen = only === undefined ? PROPERTIES : PROPERTIES.filter((p) => p.name === only);
if (chosen.length === 0) {
  console.error(`fuzz:self: no property named ${JSON.stringify(only)}; the names are:\n  ${PROPERTIES.map((p) => p.name).join("\n  ")}`);
  process.exit(2);
}
if (path !== undefined && only === undefined) {
  console.error("fuzz:self: a --path belongs to one property: give its --property NAME too");
  process.exit(2);
}

let failed = 0;
console.log(`fuzz:self: ${chosen.length} properties, ${runs} runs each, seed ${seed}`);
for (const p of chosen) {
  const started = performance.now();
  const result = fc.check(p.property as fc.IProperty<unknown[]>, { numRuns: runs, seed, ...(path !== undefined ? { path } : {}) });
  const seconds = (performance.now() - started) / 1000;
  const rate = Math.round(result.numRuns / Math.max(seconds, 1e-3));
  if (result.failed) {
    failed++;
    console.log(`FAIL  ${p.name}: after ${result.numRuns} runs (${rate} runs/s)`);
    console.log(`      counterexample: ${fc.stringify(result.counterexample)}`);
    console.log(`      error: ${String(result.errorInstance instanceof Error ? result.errorInstance.stack : result.errorInstance)}`);
    console.log(`      replay: npm run fuzz:self -- --seed ${result.seed} --property '${p.name.replace(/'/g, `'\\''`)}' --path ${result.counterexamplePath}`);
  } else {
    console.log(`ok    ${p.name}: ${result.numRuns} runs, ${rate} runs/s`);
  }
}
process.exit(failed > 0 ? 1 : 0);
