/**
 * Runs benchmarks: `npm run bench` runs every bench/*.bench.ts; `npm run bench -- tape-read`
 * (or a path) runs the ones named. Each module exports `run(): Promise<void>` and prints its
 * own figures, measured against a baseline in the same run.
 */
import { readdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));

function benchFiles(args: string[]): string[] {
  if (args.length === 0) {
    return readdirSync(HERE).filter((f) => f.endsWith(".bench.ts")).sort().map((f) => join(HERE, f));
  }
  return args.map((a) => (a.endsWith(".ts") ? resolve(a) : join(HERE, `${basename(a)}.bench.ts`)));
}

for (const file of benchFiles(process.argv.slice(2))) {
  const mod = (await import(pathToFileURL(file).href)) as { run?: () => Promise<void> };
  if (typeof mod.run !== "function") throw new Error(`${file} does not export run()`);
  console.log(`# ${basename(file, ".bench.ts")}`);
  await mod.run();
}
