/**
 * The official Cedar engine (Rust, compiled to WebAssembly), loaded on first use: the module
 * costs about 100 ms to instantiate, and only Cedar paths should pay for it. The Node build is
 * CommonJS and instantiates synchronously, so a synchronous require keeps loadCedar synchronous.
 */
import { createRequire } from "node:module";
import type * as CedarWasm from "@cedar-policy/cedar-wasm/nodejs";

export type Cedar = typeof CedarWasm;
export type {
  AuthorizationAnswer,
  Context,
  CedarValueJson,
  DetailedError,
  EntityJson,
  EntityUidJson,
  Expr,
  PolicyJson,
  Schema,
  TypeAndId,
} from "@cedar-policy/cedar-wasm/nodejs";

let loaded: Cedar | undefined;

export function cedar(): Cedar {
  if (!loaded) {
    avoidWasmInliningCrash();
    loaded = createRequire(import.meta.url)("@cedar-policy/cedar-wasm/nodejs") as Cedar;
  }
  return loaded;
}

export type McpSchemaGenerator = typeof import("@cedar-policy/mcp-schema-generator-wasm");
let generator: McpSchemaGenerator | undefined;

/** The official MCP schema generator (cedar-policy/cedar-for-agents), loaded on first use like the engine. */
export function mcpGenerator(): McpSchemaGenerator {
  generator ??= createRequire(import.meta.url)("@cedar-policy/mcp-schema-generator-wasm") as McpSchemaGenerator;
  return generator;
}

/**
 * Node 20's V8 (11.3) aborts the process ("Fatal error: unreachable code", in
 * Deoptimizer::DoComputeBuiltinContinuation) when a function that TurboFan compiled with the
 * JS-to-Wasm call inlined is deoptimized while the engine runs: seen fuzzing Cedar policies
 * (tens of thousands of decisions, Node 20.20.2), gone with this flag off. Set before any call is
 * compiled; only on that V8 (a flag a later V8 does not know would be reported on stderr).
 */
function avoidWasmInliningCrash(): void {
  if (Number(process.versions.v8.split(".")[0]) >= 12) return;
  // Required here, not imported: node:v8 costs every start-up, and only Cedar paths need it.
  const v8 = createRequire(import.meta.url)("node:v8") as typeof import("node:v8");
  v8.setFlagsFromString("--no-turbo-inline-js-wasm-calls");
}
