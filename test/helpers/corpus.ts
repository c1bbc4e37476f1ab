/**
 * The corpus suite's one switch. The real Intercept policies are reference data kept outside
 * the repository, and no test names where: tests that need them run only when MCPTAPE_CORPUS
 * names their folder (`.ci/run` sets it; the README's "Development" says where it is), and use
 * `describe.skipIf(CORPUS === undefined)`. The global setup prints the one line saying they
 * were skipped. Set but missing is an error, not a skip.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";

export const CORPUS_HOW = "MCPTAPE_CORPUS=<the corpus's intercept-policies folder> npm test (the README's \"Development\" says where; .ci/run sets it)";

function corpusFolder(): string | undefined {
  const dir = process.env.MCPTAPE_CORPUS;
  if (dir === undefined || dir === "") return undefined;
  if (!existsSync(dir)) throw new Error(`MCPTAPE_CORPUS=${dir}: no such folder; point it at the corpus's intercept-policies folder, or unset it`);
  return resolve(dir);
}

/** The corpus folder of Intercept policies, or undefined when the corpus suite is off. */
export const CORPUS = corpusFolder();
