/**
 * Redaction of secrets in recorded messages (spec/tape.md, "Secrets").
 *
 * Two things are redacted, anywhere in a message:
 *  - scalar values (strings, numbers) under keys that look like secrets (`password`,
 *    `api_key`, `authorization`, `...Token`, plus any `--redact-key REGEX`);
 *  - parts of strings shaped like well-known credentials (Bearer tokens, GitHub and OpenAI /
 *    Stripe keys, Slack tokens, AWS key ids, JWTs, PEM private keys, passwords in URLs, long
 *    values after `key=` / `token:` ...). Only the credential is replaced, so a log line or an
 *    env dump keeps the rest of its text.
 * A secret becomes `[REDACTED:<first 8 hex of HMAC-SHA256(key, secret)>]`: the same secret
 * always gives the same placeholder within a tape (and across tapes sharing
 * MCPTAPE_REDACT_KEY), so equality-based rules decide the same way on replay.
 * Redaction only ever changes the tape, never the bytes forwarded between client and server.
 */
import { createHmac, randomBytes } from "node:crypto";
import { InputError } from "../errors.js";

export interface RedactOptions {
  /** False with `--no-redact`: the tape keeps every value as sent. */
  enabled: boolean;
  /** Extra key-name patterns (`--redact-key REGEX`, JavaScript syntax, matched case-insensitively). */
  extraKeys?: string[];
  /** HMAC key (MCPTAPE_REDACT_KEY). When absent a random key is made per tape and never stored. */
  hmacKey?: string;
}

/** The header's `redaction` field: what was redacted and how, never the key. */
export interface RedactionInfo {
  enabled: boolean;
  placeholder?: string;
  hmacKey?: "MCPTAPE_REDACT_KEY" | "random per tape, not stored";
  keys?: string[];
  extraKeys?: string[];
  values?: string[];
}

export interface RedactResult {
  /** The message with secrets replaced; the very same object when nothing was redacted. */
  value: unknown;
  /** JSON Pointers (RFC 6901) of the values replaced, in document order. */
  pointers: string[];
}

/** Builds RedactOptions from the record command's flags and the environment. */
export function redactOptionsFrom(
  flags: { redact?: boolean; redactKey?: string | string[] },
  env: NodeJS.ProcessEnv = process.env,
): RedactOptions {
  const extra = flags.redactKey === undefined ? [] : Array.isArray(flags.redactKey) ? flags.redactKey : [flags.redactKey];
  for (const source of extra) compileKeyPattern(source);
  const hmacKey = env.MCPTAPE_REDACT_KEY;
  return {
    enabled: flags.redact !== false,
    extraKeys: extra,
    ...(hmacKey ? { hmacKey } : {}),
  };
}

function compileKeyPattern(source: string): RegExp {
  try {
    return new RegExp(source, "i");
  } catch (err) {
    throw new InputError(
      `--redact-key ${JSON.stringify(source)} is not a valid regular expression: ${(err as Error).message}`,
      undefined,
      "write a JavaScript regex that matches key names, like --redact-key '^x-.*-auth$'",
    );
  }
}

/** Key names (lower-cased, without `-`, `_`, spaces) whose values are secrets. */
const SECRET_KEY_PARTS = /secret|passw(?:or)?d|passphrase|apikey|authorization|cookie|privatekey|accesskey|credential|sessionid/;
/** `...token` keys that name counters, cursors and progress handles rather than secrets. */
const NOT_SECRET_TOKENS = new Set(["progresstoken", "pagetoken", "nextpagetoken", "nexttoken", "continuationtoken", "cursortoken"]);

const BUILTIN_KEYS = [
  "token / *_token / *Token (not progressToken, pageToken, nextToken)",
  "secret", "password", "passwd", "passphrase", "api_key / apikey / api-key", "authorization", "cookie",
  "private_key", "access_key", "client_secret", "credential(s)", "session_id",
];

interface ValuePattern {
  name: string;
  re: RegExp;
  /**
   * A cheap test that is true of every string `re` can match in (a necessary condition, found
   * with native substring searches), so most strings skip `re`'s slower scan. The needles start
   * with a character that ordinary text has little of ("yJ", not "eyJ"): the search runs from
   * each occurrence of the first one.
   */
  mayMatch: (text: string) => boolean;
  /** Which capture group is the secret (0: the whole match). */
  group: 0 | 3;
  /** For key=value text: the least length a value needs to count as a secret. */
  minLength?: (name: string) => number;
}

// Every pattern is linear on long strings: fixed prefixes, no nested quantifiers.
export const VALUE_PATTERNS: readonly ValuePattern[] = [
  {
    name: "pem-private-key",
    re: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    mayMatch: (t) => t.includes("-----BEGIN "),
    group: 0,
  },
  {
    name: "bearer",
    re: /\b(?:[Bb]earer|Basic)\s+(?=[A-Za-z0-9\-._~+/]*\d)[A-Za-z0-9\-._~+/]{8,}=*/g,
    mayMatch: (t) => t.includes("rer") || t.includes("Basic"),
    group: 0,
  },
  { name: "jwt", re: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, mayMatch: (t) => t.includes("yJ"), group: 0 },
  {
    name: "github-token",
    re: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g,
    mayMatch: (t) => t.includes("_") && (t.includes("gh") || t.includes("github")),
    group: 0,
  },
  {
    name: "openai-stripe-key",
    re: /\b(?:sk-[A-Za-z0-9_-]{16,}|(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{8,})/g,
    mayMatch: (t) => t.includes("k-") || t.includes("k_"),
    group: 0,
  },
  { name: "slack-token", re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, mayMatch: (t) => t.includes("xox"), group: 0 },
  { name: "aws-access-key-id", re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, mayMatch: (t) => t.includes("IA"), group: 0 },
  // The password in a URL's user:password@ (database URLs given to a server, say).
  {
    name: "url-password",
    re: /(:\/\/[^\s/?#@:"']*)(:)([^\s/?#@"']+)(?=@)/g,
    mayMatch: (t) => t.includes("@") && t.includes("://"),
    group: 3,
  },
  {
    // `api_key=...`, `"token": "..."`, `password: ...` inside text (env dumps, logs, URLs).
    name: "key=value",
    re: /(key|token|secret|passw(?:or)?d)(["']?\s*[=:]\s*["']?)([A-Za-z0-9+/_.~-]{6,}={0,2})/gi,
    mayMatch: mayHoldKeyValue,
    group: 3,
    minLength: (name) => (/^(?:secret|passw(?:or)?d)$/i.test(name) ? 6 : 16),
  },
];

const SPACE = /\s/;
/** What the key=value pattern's name ends with (it matches ASCII letters only: `i` without `u`). */
const KEY_VALUE_NAME = /(?:key|token|secret|passw(?:or)?d)$/;
/** Last letters of those names, either case: y n t d. */
const NAME_LAST = new Set([0x79, 0x59, 0x6e, 0x4e, 0x74, 0x54, 0x64, 0x44]);

/**
 * Whether some `=` or `:` in `text` has a key=value name before it (then an optional quote,
 * then spaces), as every key=value match does. Walks back from each separator only over
 * spaces, so the whole check is linear.
 */
function mayHoldKeyValue(text: string): boolean {
  for (const sep of ["=", ":"]) {
    for (let at = text.indexOf(sep); at !== -1; at = text.indexOf(sep, at + 1)) {
      let end = at;
      while (end > 0 && SPACE.test(text[end - 1]!)) end--;
      if (nameEndsAt(text, end)) return true;
      const q = text.charCodeAt(end - 1);
      if ((q === 0x22 || q === 0x27) && nameEndsAt(text, end - 1)) return true;
    }
  }
  return false;
}

function nameEndsAt(text: string, end: number): boolean {
  return end > 0 && NAME_LAST.has(text.charCodeAt(end - 1)) && KEY_VALUE_NAME.test(text.slice(Math.max(0, end - 8), end).toLowerCase());
}

const IS_PLACEHOLDER = /^\[REDACTED:[0-9a-f]{8}\]$/;

/** What it takes to make the same Redactor on another thread: the options and the key in use. */
export interface RedactorInit {
  options: RedactOptions;
  key: Uint8Array;
}

export class Redactor {
  private readonly key: Buffer;
  private readonly extraKeys: RegExp[];

  /** `key`: the HMAC key of a Redactor made elsewhere (`init`), so both give the same placeholders. */
  constructor(
    private readonly options: RedactOptions,
    key?: Uint8Array,
  ) {
    this.key = key ? Buffer.from(key) : options.hmacKey ? Buffer.from(options.hmacKey, "utf8") : randomBytes(32);
    this.extraKeys = (options.extraKeys ?? []).map(compileKeyPattern);
  }

  /** For `new Redactor(init.options, init.key)` on the taping thread. */
  get init(): RedactorInit {
    return { options: this.options, key: this.key };
  }

  get enabled(): boolean {
    return this.options.enabled;
  }

  /** What goes into the header's `redaction` field. */
  describe(): RedactionInfo {
    if (!this.options.enabled) return { enabled: false };
    return {
      enabled: true,
      placeholder: "[REDACTED:<first 8 hex of HMAC-SHA256(key, value)>]",
      hmacKey: this.options.hmacKey ? "MCPTAPE_REDACT_KEY" : "random per tape, not stored",
      keys: BUILTIN_KEYS,
      ...(this.extraKeys.length > 0 ? { extraKeys: this.options.extraKeys } : {}),
      values: VALUE_PATTERNS.map((p) => p.name),
    };
  }

  /** The placeholder for one secret. */
  placeholder(secret: string): string {
    return `[REDACTED:${createHmac("sha256", this.key).update(secret, "utf8").digest("hex").slice(0, 8)}]`;
  }

  /** Redacts a parsed message (or batch array). Never mutates its input. */
  redact(message: unknown): RedactResult {
    const pointers: string[] = [];
    if (!this.options.enabled) return { value: message, pointers };
    const value = this.walk(message, "", false, pointers);
    return { value, pointers };
  }

  isSecretKey(key: string): boolean {
    const k = key.toLowerCase().replace(/[-_\s]/g, "");
    if (SECRET_KEY_PARTS.test(k)) return true;
    if (k.endsWith("token") && !NOT_SECRET_TOKENS.has(k)) return true;
    return this.extraKeys.some((re) => re.test(key));
  }

  /**
   * The server command as the tape's header records it. Servers take secrets on their command
   * line (`--api-key K`, `--token=T`, `env API_KEY=K node server.js`, a database URL with its
   * password): values of secret-looking flags and assignments, and credential-shaped parts of
   * any argument, are replaced. The server itself is started with the real command.
   */
  redactCommand(command: string[]): string[] {
    if (!this.options.enabled) return command;
    let valueOfSecretFlag = false;
    return command.map((arg) => {
      const isFlag = /^--?[A-Za-z]/.test(arg);
      if (valueOfSecretFlag && !isFlag) {
        valueOfSecretFlag = false;
        return arg === "" ? arg : this.placeholder(arg);
      }
      valueOfSecretFlag = false;
      const assignment = /^(-{0,2}[A-Za-z_][\w.-]*=)([\s\S]+)$/.exec(arg);
      if (assignment && this.isSecretKey(assignment[1]!.replace(/^-+|=$/g, ""))) return assignment[1] + this.placeholder(assignment[2]!);
      if (isFlag && !arg.includes("=")) valueOfSecretFlag = this.isSecretKey(arg.replace(/^-+/, ""));
      return this.redactText(arg);
    });
  }

  /** Redacts credential-shaped parts of `text`; returns `text` itself when there are none. */
  redactText(text: string): string {
    let out = text;
    for (const p of VALUE_PATTERNS) {
      if (!p.mayMatch(out)) continue;
      p.re.lastIndex = 0;
      if (!p.re.test(out)) continue;
      p.re.lastIndex = 0;
      out = out.replace(p.re, (match: string, ...groups: unknown[]) => {
        if (p.group === 0) return this.placeholder(match);
        const [name, sep, secret] = groups as [string, string, string];
        if (secret.length < (p.minLength?.(name) ?? 0)) return match;
        return name + sep + this.placeholder(secret);
      });
    }
    return out;
  }

  private walk(value: unknown, pointer: string, underSecretKey: boolean, pointers: string[]): unknown {
    if (typeof value === "string") {
      // A placeholder is left as it is, so redacting a redacted tape changes nothing.
      if (underSecretKey && value !== "" && !IS_PLACEHOLDER.test(value)) {
        pointers.push(pointer);
        return this.placeholder(value);
      }
      const out = this.redactText(value);
      if (out !== value) pointers.push(pointer);
      return out;
    }
    if (typeof value === "number") {
      if (!underSecretKey) return value;
      pointers.push(pointer);
      return this.placeholder(String(value));
    }
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      value.forEach((item, i) => {
        const out = this.walk(item, `${pointer}/${i}`, underSecretKey, pointers);
        if (out !== item) (copy ??= [...value])[i] = out;
      });
      return copy ?? value;
    }
    if (typeof value === "object" && value !== null) {
      // Objects under a secret key (a JSON Schema for `api_key`, say) are walked, not wiped:
      // each of their own keys decides for itself.
      let copy: Record<string, unknown> | undefined;
      for (const [k, item] of Object.entries(value)) {
        const out = this.walk(item, `${pointer}/${escapePointer(k)}`, this.isSecretKey(k), pointers);
        if (out === item) continue;
        copy ??= { ...(value as Record<string, unknown>) };
        // defineProperty, not `copy[k] =`: a key may be "__proto__".
        Object.defineProperty(copy, k, { value: out, enumerable: true, writable: true, configurable: true });
      }
      return copy ?? value;
    }
    return value;
  }
}

/** RFC 6901: `~` is `~0`, `/` is `~1`. */
export function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}
