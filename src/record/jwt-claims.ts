/**
 * `record --claims [NAMES]`: the decoded payload of each HTTP session's bearer JWT, for its
 * `session` line (Cedar principals and PolicyLayer/Intercept identities read claims such as
 * `sub` and `groups`). Only the payload is decoded, never verified, and neither the token nor
 * its signature goes anywhere. Off by default: claims are often personal data (names, e-mail
 * addresses, group memberships). The tape's redaction rules apply to claim values too.
 */
import { InputError } from "../errors.js";
import type { Redactor } from "../tape/redact.js";

/** All claims, or only the named ones. */
export type ClaimsChoice = { all: true } | { names: string[] };

export type Claims = Record<string, unknown>;

/** `--claims` alone (commander gives `true`) keeps all; `--claims sub,groups` keeps those. */
export function claimsChoiceFrom(value: string | true): ClaimsChoice {
  if (value === true) return { all: true };
  const names = value.split(",").map((n) => n.trim()).filter((n) => n !== "");
  if (names.length === 0) {
    throw new InputError(`--claims ${JSON.stringify(value)} names no claim`, undefined, "write --claims alone for all claims, or --claims sub,groups,scope");
  }
  return { names };
}

const BEARER = /^\s*bearer\s+(\S+)\s*$/i;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** The JSON object in one base64url part of a JWS compact token, or undefined. */
function decodePart(part: string): Claims | undefined {
  if (!BASE64URL.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Claims) : undefined;
  } catch {
    return undefined;
  }
}

/** The payload of a JWT (`header.payload.signature`, both JSON objects), or undefined when it is not one. */
export function jwtPayload(token: string): Claims | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  if (decodePart(parts[0]!) === undefined) return undefined;
  return decodePart(parts[1]!);
}

/**
 * Claims per identity (the bearer token's hash, or `--identity`): noted as requests arrive,
 * read when a session's line is written. A bearer token that is not a JWT gives no claims and
 * one warning for the whole recording.
 */
export class ClaimsReader {
  private readonly byIdentity = new Map<string, Claims>();
  private warned = false;

  constructor(
    private readonly choice: ClaimsChoice,
    private readonly redactor: Redactor,
    private readonly warn: (text: string) => void,
  ) {}

  /** Takes the claims of a request's Authorization header for `identity`. */
  note(identity: string | undefined, authorization: string | undefined): void {
    if (identity === undefined || authorization === undefined) return;
    const token = BEARER.exec(authorization)?.[1];
    const payload = token === undefined ? undefined : jwtPayload(token);
    if (payload === undefined) {
      if (!this.warned) {
        this.warned = true;
        this.warn("--claims: a request's Authorization is not a bearer JWT, so its session has no claims (said once)");
      }
      return;
    }
    this.byIdentity.set(identity, this.redactor.redact(this.pick(payload)).value as Claims);
  }

  of(identity: string | undefined): Claims | undefined {
    return identity === undefined ? undefined : this.byIdentity.get(identity);
  }

  private pick(payload: Claims): Claims {
    if ("all" in this.choice) return payload;
    const out: Claims = {};
    for (const name of this.choice.names) {
      if (Object.hasOwn(payload, name)) Object.defineProperty(out, name, { value: payload[name], enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
}
