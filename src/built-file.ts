/**
 * Files of the build (dist/), wherever the code asking runs from. Bundled, every JavaScript
 * file is one folder below dist/ (dist/cli/main.js, dist/chunks/*.js: scripts/build.mjs), so
 * `../` from this module's own file is dist/. From the TypeScript sources (tests, tsx) this
 * module is src/built-file.ts, and dist/ is beside src/.
 */
import { Worker } from "node:worker_threads";

const fromSource = import.meta.url.endsWith(".ts");

export function builtFile(path: string): URL {
  return new URL(fromSource ? `../dist/${path}` : `../${path}`, import.meta.url);
}

/**
 * A worker thread running the module `path` (from src/, without extension): the built
 * dist/<path>.js, or from the sources <path>.ts through tsx, a dev dependency, registered by a
 * small script first (Node 20 does not apply `--import` hooks given in a worker's execArgv;
 * tsx's CommonJS entry cannot load its ESM half there). That costs a worker most of a second.
 */
export function builtWorker(path: string, workerData: unknown): Worker {
  if (!fromSource) return new Worker(builtFile(`${path}.js`), { workerData });
  // Bare, it resolves from the working folder.
  const tsx = typeof import.meta.resolve === "function" ? import.meta.resolve("tsx/esm/api") : "tsx/esm/api";
  const source = new URL(`./${path}.ts`, import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { eval: true, workerData });
}
