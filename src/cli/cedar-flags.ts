/**
 * The Cedar flags of replay, diff, test and validate (docs/spec/dialect-cedar.md): which
 * gateway's request to build (--profile) and its settings, the claims of identities whose
 * sessions were recorded without them (--claims FILE), and ToolHive's rate limits (--limits).
 */
import { CEDAR_PROFILES } from "../cedar/types.js";
import type { ProfileSettings } from "../cedar/index.js";
import { InputError } from "../errors.js";
import { readUserFile } from "../files.js";
import { claimsByIdentity } from "../gateway/claims.js";
import { limitsUnusedBy } from "../gateway/create.js";
import type { LoadedPolicy } from "../gateway/types.js";
import type { Claims } from "../gateway/cedar.js";
import type { CedarOptions } from "../policy/dialects/cedar.js";
import { parseSettingsFile, readEntities } from "../cedar/settings-file.js";
import { readToolhiveLimits, type ToolhiveRateLimitConfig } from "../cedar/toolhive-rate-limit.js";
import type { FlagValues } from "./flags.js";

export interface CedarFlags {
  cedar: CedarOptions;
  claims?: Map<string, Claims>;
  limits?: ToolhiveRateLimitConfig;
  /** The `--limits` file, as given, for messages. */
  limitsFile?: string;
}

/** `--schema` is validate's own (`readsSchema`); the other commands refuse it. */
export function cedarFlagsFrom(values: FlagValues, readsSchema = false): CedarFlags {
  const schema = values.string("schema");
  if (schema !== undefined && !readsSchema) {
    // Refused rather than ignored: a CI gate must not pass on a check that was never made.
    throw new InputError("--schema is read by validate only: this command decides without a schema", { file: schema }, "run mcptape validate --schema FILE on the policy, and leave --schema out here");
  }
  const settings: ProfileSettings = {};
  const server = values.string("server");
  const target = values.string("target");
  const gatewayArn = values.string("gatewayArn");
  const stub = values.string("stub");
  const entities = values.string("entities");
  if (server !== undefined) settings.server = server;
  if (target !== undefined) settings.target = target;
  if (gatewayArn !== undefined) settings.gatewayArn = gatewayArn;
  if (stub !== undefined) settings.stub = readUserFile(stub, "--stub file", "give --stub a cedar-for-agents schema stub with @mcp_principal and @mcp_resource");
  if (entities !== undefined) settings.entities = readEntities(entities, "give --entities a JSON list of Cedar entities");
  const profile = values.choice("profile", CEDAR_PROFILES);
  const claimsFile = values.string("claims");
  const limitsFile = values.string("limits");
  return {
    cedar: { ...(profile !== undefined ? { profile } : {}), settings },
    ...(claimsFile !== undefined ? { claims: readClaims(claimsFile) } : {}),
    // ToolHive's rate-limit config (or an MCPServer manifest holding it).
    ...(limitsFile !== undefined ? { limits: readToolhiveLimits(limitsFile), limitsFile } : {}),
  };
}

export const LIMITS_HINT = "leave --limits out, or decide a Cedar policy with --profile toolhive";

/** The flag of each Cedar setting the command line gives (cedarFlagsFrom), for messages. */
const SETTING_FLAGS: Partial<Record<keyof ProfileSettings, string>> = {
  server: "--server", target: "--target", gatewayArn: "--gateway-arn", entities: "--entities", stub: "--stub",
};

/** The Cedar flags given, but `--limits` (which has checks of its own): `--profile`, `--target`, … */
export function givenCedarFlags(flags: CedarFlags): string[] {
  return [
    ...(flags.cedar.profile !== undefined ? ["--profile"] : []),
    ...Object.keys(flags.cedar.settings).flatMap((k) => SETTING_FLAGS[k as keyof ProfileSettings] ?? []),
    ...(flags.claims !== undefined ? ["--claims"] : []),
  ];
}

/** `--profile is a Cedar setting`, `--profile and --target are Cedar settings`: how messages name what was given. */
export function cedarSettingsGiven(given: readonly string[]): string {
  return `${given.join(" and ")} ${given.length === 1 ? "is a Cedar setting" : "are Cedar settings"}`;
}

/**
 * Cedar flags that no policy of the run reads are refused, as `--schema` is: a gate must not
 * pass on a setting never applied (`--profile toolhive` beside an Intercept policy, limits
 * beside a profile that has no limiter).
 */
export function refuseUnusedCedarFlags(flags: CedarFlags, policies: readonly LoadedPolicy[]): void {
  // --limits is checked below, at its file, with what each policy is decided under.
  if (!policies.some((p) => p.engine === "cedar")) {
    const given = givenCedarFlags(flags);
    if (given.length > 0) {
      const dialects = policies.map((p) => `${p.file}: ${p.engine === "model" ? p.model.dialect : "cedar"}`).join(", ");
      throw new InputError(`${cedarSettingsGiven(given)}, and no policy of this run is a Cedar policy (${dialects})`, undefined, "leave them out, or give a Cedar policy (.cedar text, or a ToolHive authz config)");
    }
  }
  if (flags.limitsFile === undefined) return;
  const unused = limitsUnusedBy(policies, "--limits");
  if (unused !== undefined) throw new InputError(unused, { file: flags.limitsFile }, LIMITS_HINT);
}

/** `--claims FILE`: JSON or YAML, identity to claims. */
function readClaims(file: string): Map<string, Claims> {
  const text = readUserFile(file, "--claims file", "give --claims a JSON or YAML mapping of identities to claims");
  return claimsByIdentity(parseSettingsFile(file, text), { file });
}
