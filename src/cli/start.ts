/**
 * The command line's entry (bin/mcptape.js). Help and version are printed from a copy rendered
 * at build time, because loading commander and building every command's flags to print them
 * cost ~24 ms of CPU over `node -e 0`; printing the copy costs ~4 ms (issue 19,
 * docs/scale-one-core.md). The build makes this module CommonJS (dist/cli/start.cjs), so that
 * help also skips Node's ES module loader (~5 ms more); main.js, an ES module, is import()ed
 * for everything else. Commander stays the one parser and the one author of the text: the
 * build renders each help form through it (prerenderHelp), and every other argument list, a
 * terminal narrower than the copy, and a run from the TypeScript sources (no copy beside them)
 * go through commander as ever.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as nodeModule from "node:module";
import { endQuietlyOnEpipe } from "./io.js";

/** What the build wrote: each help form's stdout, keyed by its argument list as JSON. */
interface PrerenderedHelp {
  /** The width the texts are wrapped to (main.ts HELP_WIDTH). */
  width: number;
  texts: string[];
  forms: Record<string, number>;
}

const COPY = new URL("help.json", import.meta.url);

/** Runs `mcptape` with process.argv (node, script, args...) and returns the exit code. */
export async function start(argv: string[]): Promise<number> {
  const text = prerendered(argv.slice(2), process.stdout);
  if (text !== undefined) return printHelp(text);
  // Node 22 and later keep V8's compiled code of our modules between runs, as npm, tsc and
  // eslint have theirs kept (in the system temp folder; NODE_DISABLE_COMPILE_CACHE=1 turns it
  // off). Node 20 has no such cache.
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  const { main } = await import("./main.js");
  return main(argv);
}

/** Help to stdout; a reader gone (EPIPE) is fine, a write that fails (a full disk) is exit 2 and said, as for any report. */
function printHelp(text: string): Promise<number> {
  endQuietlyOnEpipe(process.stdout);
  // A listener of our own: the write's callback says what failed (endQuietlyOnEpipe then leaves it to us).
  process.stdout.on("error", () => {});
  return new Promise((resolve) => {
    process.stdout.write(text, (err) => {
      if (!err || (err as NodeJS.ErrnoException).code === "EPIPE") return resolve(0);
      const reason = err.message.replace(/^[A-Z]+: /, "").replace(/, write$/, "");
      process.stderr.write(`mcptape: error: cannot write standard output: ${reason}; free some space, or write the help elsewhere\n`);
      resolve(2);
    });
  });
}

/** The rendered stdout of `mcptape ARGS` when ARGS is a help form and the copy fits the terminal. */
export function prerendered(args: string[], stdout: { isTTY?: boolean; columns?: number }, copy: () => PrerenderedHelp | undefined = readCopy): string | undefined {
  // Every help form has at most two arguments (main.ts helpArgs): a longer list, like most
  // commands, needs no look at the copy.
  if (args.length > 2) return undefined;
  const help = copy();
  if (help === undefined) return undefined;
  const index = help.forms[JSON.stringify(args)];
  if (index === undefined) return undefined;
  if (stdout.isTTY && (stdout.columns ?? help.width) < help.width) return undefined;
  return help.texts[index];
}

function readCopy(): PrerenderedHelp | undefined {
  try {
    return JSON.parse(readFileSync(COPY, "utf8")) as PrerenderedHelp;
  } catch {
    return undefined; // none from the sources: commander renders it
  }
}

/** The build's step (scripts/build.mjs): renders every help form through commander into the copy. */
export async function prerenderHelp(): Promise<void> {
  const { helpArgs, printed, HELP_WIDTH } = await import("./main.js");
  const copy: PrerenderedHelp = { width: HELP_WIDTH, texts: [], forms: {} };
  for (const args of helpArgs()) {
    const r = await printed(args);
    // One copy serves every terminal only if help has no colours (commander adds none unless configured to).
    if (r.code !== 0 || r.stderr !== "" || r.stdout.includes("\x1b")) {
      throw new Error(`mcptape ${args.join(" ")} is not plain help: exit ${r.code}, stderr ${JSON.stringify(r.stderr)}`);
    }
    let index = copy.texts.indexOf(r.stdout);
    if (index < 0) index = copy.texts.push(r.stdout) - 1;
    copy.forms[JSON.stringify(args)] = index;
  }
  writeFileSync(COPY, JSON.stringify(copy));
}
