/**
 * The import-graph check of `npm run check` and CI: no cycle between files, and none between
 * rooms (the folders right under src/; files directly in src/ are the shared base every room may
 * import, and import no room). A cycle between rooms means two rooms cannot be understood, tested
 * or moved to a worker apart. `node scripts/check-imports.mjs [DIR]` (default src); exit 1 on a cycle.
 */
import madge from "madge";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

const dir = resolve(process.argv[2] ?? "src");
const tsConfig = resolve("tsconfig.json");
const graph = await madge(dir, { fileExtensions: ["ts"], ...(existsSync(tsConfig) ? { tsConfig } : {}) });

const problems = graph.circular().map((cycle) => `files: ${[...cycle, cycle[0]].join(" -> ")}`);

/** The room of a file path relative to `dir`: its first folder, or "" for the shared base. */
const roomOf = (file) => (file.includes("/") ? file.slice(0, file.indexOf("/")) : "");
const edges = new Map(); // room -> Map(room it imports -> one file import that shows it)
for (const [file, deps] of Object.entries(graph.obj())) {
  for (const dep of deps) {
    const from = roomOf(file);
    const to = roomOf(dep);
    if (from === to) continue;
    if (from === "") problems.push(`shared base imports a room: ${file} -> ${dep}`);
    if (!edges.has(from)) edges.set(from, new Map());
    if (!edges.get(from).has(to)) edges.get(from).set(to, `${file} -> ${dep}`);
  }
}
for (const cycle of roomCycles(edges)) {
  const shown = cycle.map((room, i) => edges.get(room).get(cycle[(i + 1) % cycle.length]));
  problems.push(`rooms: ${[...cycle, cycle[0]].join(" -> ")}\n    ${shown.join("\n    ")}`);
}

if (problems.length > 0) {
  console.error(`import cycles in ${dir}:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`imports: no cycle between the ${Object.keys(graph.obj()).length} files or the ${edges.size} rooms of ${dir}`);

/** One cycle through each group of rooms that reach one another (depth-first search for a back edge). */
function roomCycles(edges) {
  const cycles = [];
  const state = new Map(); // room -> "open" | "done"
  const path = [];
  const visit = (room) => {
    state.set(room, "open");
    path.push(room);
    for (const next of edges.get(room)?.keys() ?? []) {
      if (state.get(next) === "open") cycles.push(path.slice(path.indexOf(next)));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(room, "done");
  };
  for (const room of edges.keys()) if (!state.has(room)) visit(room);
  return cycles;
}
