/**
 * End-to-end tests run the real command line from dist/: build it once, fresh, before them.
 * Type errors do not stop the tests (tsc still writes the JavaScript); `npm run typecheck`
 * is the check for those.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const r = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) process.stderr.write(`test setup: the build reported type errors (npm run typecheck shows them)\n${r.stdout}`);
}
