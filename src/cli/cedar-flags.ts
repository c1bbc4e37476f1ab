/**
 * The Cedar flags of replay, diff, test and validate (docs/spec/dialect-cedar.md): which
 * gateway's request to build (--profile) and its settings, read once into CedarOptions, and
 * the claims of identities whose sessions were recorded without them (--claims FILE).
 */
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import type { CedarProfile, ProfileSettings } from "../cedar/index.js";
import { InputError } from "../errors.js";
import { claimsByIdentity } from "../gateway/claims.js";
import type { Claims } from "../gateway/cedar.js";
import type { CedarOptions } from "../policy/dialects/cedar.js";
import { readToolhiveLimits, type ToolhiveRateLimitConfig } from "../cedar/toolhive-rate-limit.js";

export function cedarOptionsFrom(opts: Record<string, unknown>): CedarOptions {
  if (typeof opts.schema === "string") {
    // Refused rather than ignored: a CI gate must not pass on a check that was never made.
    throw new InputError("--schema: validating Cedar policies against a schema is not available yet", { file: opts.schema }, "leave out --schema; validate checks the policies' syntax and loads them under --profile");
  }
  const settings: ProfileSettings = {};
  if (typeof opts.server === "string") settings.server = opts.server;
  if (typeof opts.target === "string") settings.target = opts.target;
  if (typeof opts.gatewayArn === "string") settings.gatewayArn = opts.gatewayArn;
  if (typeof opts.stub === "string") settings.stub = readText(opts.stub, "--stub", "a cedar-for-agents schema stub with @mcp_principal and @mcp_resource");
  if (typeof opts.entities === "string") settings.entities = readEntities(opts.entities);
  return { ...(typeof opts.profile === "string" ? { profile: opts.profile as CedarProfile } : {}), settings };
}

/** `--limits FILE`: ToolHive's rate-limit config (or an MCPServer manifest holding it). */
export function limitsFileFrom(opts: Record<string, unknown>): ToolhiveRateLimitConfig | undefined {
  return typeof opts.limits === "string" ? readToolhiveLimits(opts.limits) : undefined;
}

/** `--claims FILE`: JSON or YAML, identity to claims. */
export function claimsFileFrom(opts: Record<string, unknown>): Map<string, Claims> | undefined {
  if (typeof opts.claims !== "string") return undefined;
  const file = opts.claims;
  return claimsByIdentity(parseFile(file, readText(file, "--claims", "a JSON or YAML mapping of identities to claims")), { file });
}

function readEntities(file: string): unknown[] {
  const doc = parseFile(file, readText(file, "--entities", "a JSON list of Cedar entities"));
  if (!Array.isArray(doc)) throw new InputError("entities must be a JSON list", { file }, 'write Cedar\'s entity format: [{"uid": {"type": "T", "id": "x"}, "attrs": {}, "parents": []}]');
  return doc;
}

function readText(file: string, flag: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message;
    throw new InputError(`cannot read ${flag} file: ${why}`, { file }, `give ${flag} ${what}`);
  }
}

/** JSON is YAML: one parser for both, with the line of a syntax error. */
function parseFile(file: string, text: string): unknown {
  try {
    return parseYaml(text, { prettyErrors: false });
  } catch (err) {
    const pos = (err as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    throw new InputError(`not JSON or YAML: ${(err as Error).message.split("\n")[0]}`, { file, ...(pos ? { line: pos.line, col: pos.col } : {}) }, "check the file's syntax");
  }
}
