import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { Redactor, redactOptionsFrom, VALUE_PATTERNS } from "../../src/tape/redact.js";

const redactor = new Redactor({ enabled: true, hmacKey: "test-key" });
const PLACEHOLDER = /^\[REDACTED:[0-9a-f]{8}\]$/;

describe("redaction by key", () => {
  it("replaces values under secret-looking keys and lists their JSON Pointers", () => {
    const msg = {
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "login", arguments: { user: "bob", password: "hunter22", api_key: "abc", "x/y~z": { Authorization: "x" }, pin: 1234, client_secret: 99 } },
    };
    const { value, pointers } = redactor.redact(msg);
    const args = (value as typeof msg).params.arguments;
    expect(args.user).toBe("bob");
    expect(args.password).toMatch(PLACEHOLDER);
    expect(args.api_key).toMatch(PLACEHOLDER);
    expect(args["x/y~z"].Authorization).toMatch(PLACEHOLDER);
    expect(args.client_secret).toMatch(PLACEHOLDER);
    expect(args.pin).toBe(1234);
    expect(pointers).toEqual([
      "/params/arguments/password",
      "/params/arguments/api_key",
      "/params/arguments/x~1y~0z/Authorization",
      "/params/arguments/client_secret",
    ]);
    // The input is left as it was.
    expect(msg.params.arguments.password).toBe("hunter22");
  });

  it("recognises token keys but not progressToken, pageToken or token counts", () => {
    for (const k of ["token", "access_token", "githubToken", "X-Auth-Token", "refresh-token", "cookie", "Set-Cookie", "credentials", "privateKey", "apiKey", "passwd"]) {
      expect(redactor.isSecretKey(k), k).toBe(true);
    }
    for (const k of ["progressToken", "pageToken", "nextToken", "maxTokens", "tokens", "inputTokens", "name", "keyword", "author"]) {
      expect(redactor.isSecretKey(k), k).toBe(false);
    }
    const { pointers } = redactor.redact({ method: "notifications/progress", params: { progressToken: 7, progress: 1 } });
    expect(pointers).toEqual([]);
  });

  it("walks an object under a secret key instead of wiping it, so tool schemas survive", () => {
    const schema = { properties: { api_key: { type: "string", description: "your key" } }, required: ["api_key"] };
    expect(redactor.redact(schema)).toEqual({ value: schema, pointers: [] });
  });

  it("redacts every string in an array under a secret key", () => {
    const { value, pointers } = redactor.redact({ cookies: ["a=1", "b=2"] });
    expect(pointers).toEqual(["/cookies/0", "/cookies/1"]);
    expect((value as { cookies: string[] }).cookies.every((c) => PLACEHOLDER.test(c))).toBe(true);
  });

  it("--redact-key adds key patterns; a bad regex is an InputError", () => {
    const custom = new Redactor({ enabled: true, extraKeys: ["^ssn$"] });
    expect(custom.redact({ ssn: "123-45-6789", ssn_note: "x" }).pointers).toEqual(["/ssn"]);
    expect(() => redactOptionsFrom({ redactKey: ["("] })).toThrow(InputError);
  });
});

describe("redaction by value shape", () => {
  const shaped: [string, string][] = [
    ["bearer", "Bearer abc123def456ghi789"],
    ["github", "ghp_0123456789abcdefghij0123456789abcdef"],
    ["github pat", "github_pat_11AAAAAAA0123456789_abcdefghijklmnop"],
    ["openai", "sk-proj-abcdefghijklmnop1234"],
    ["stripe", "sk_live_51Habcdefgh12345"],
    ["stripe restricted", "rk_live_51Habcdefgh12345"],
    ["slack", "xoxb-123456789012-abcdefghij"],
    ["aws", "AKIAIOSFODNN7EXAMPLE"],
    ["jwt", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"],
    ["pem", "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----"],
  ];
  // Shaped credentials whose surroundings stay: only the secret part is replaced.
  it("replaces the password of a URL's user:password@, keeping the rest of the URL", () => {
    const out = redactor.redactText("connect to postgresql://app:Pa55w0rd!x@db.internal:5432/shop?sslmode=require now");
    expect(out).toMatch(/^connect to postgresql:\/\/app:\[REDACTED:[0-9a-f]{8}\]@db\.internal:5432\/shop\?sslmode=require now$/);
    expect(redactor.redactText("see https://example.com:8443/path@v2 and mailto:a@b.c")).toBe("see https://example.com:8443/path@v2 and mailto:a@b.c");
  });

  for (const [name, secret] of shaped) {
    it(`replaces a ${name} credential anywhere in a message`, () => {
      const { value, pointers } = redactor.redact({ result: { content: [{ type: "text", text: `here: ${secret} (done)` }] } });
      const text = (value as { result: { content: { text: string }[] } }).result.content[0]!.text;
      expect(text).not.toContain(secret);
      expect(text).toMatch(/^here: \[REDACTED:[0-9a-f]{8}\] \(done\)$/);
      expect(pointers).toEqual(["/result/content/0/text"]);
    });
  }

  it("replaces long values after key= or \"token\": inside text, keeping the rest", () => {
    const text = 'url?api_key=0123456789abcdef0123&x=1 and {"DB_PASSWORD": "s3cretpass"} and key=short';
    const out = redactor.redactText(text);
    expect(out).toMatch(/^url\?api_key=\[REDACTED:[0-9a-f]{8}\]&x=1 and \{"DB_PASSWORD": "\[REDACTED:[0-9a-f]{8}\]"\} and key=short$/);
  });

  it("finds key=value secrets whatever the case of the key word (the quick pre-check misses none)", () => {
    fc.assert(
      fc.property(fc.constantFrom("key", "token", "secret", "password", "passwd"), fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), (word, upper) => {
        const mixed = [...word].map((ch, i) => (upper[i % upper.length] ? ch.toUpperCase() : ch.toLowerCase())).join("");
        const out = redactor.redactText(`log: ${mixed}=0123456789abcdef0123 done`);
        expect(out).toMatch(/=\[REDACTED:[0-9a-f]{8}\] done$/);
      }),
    );
  });

  it("the cheap pre-check of each pattern never skips a string the pattern matches", () => {
    // Strings built from the pieces credentials are made of (every pattern's prefixes, either
    // case, separators, quotes, Unicode spaces, URL parts) so that the patterns match often.
    const piece = fc.oneof(
      fc.constantFrom(
        "-----BEGIN ", "RSA ", "PRIVATE KEY-----", "-----END PRIVATE KEY-----", "Bearer", "bearer", "Basic", "BEARER", "eyJ", "eyJhbGciOiJIUzI1NiJ9",
        "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "sk-", "sk_", "rk_", "live_", "test_", "xoxb-", "xoxp-", "AKIA", "ASIA", "IOSFODNN7EXAMPLE", "0123456789",
        "AKIAIOSFODNN7EXAMPLE", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlMQ", "xoxb-1234567890-abcdef", "ghp_0123456789abcdefghij0123", "mysql://app:pa55@db", "'=", '": ',
        "://", "postgres://", "user", ":", "@", "=", "\"", "'", " ", "\t", "\n", "\u00a0", "\u2003", "\ufeff", ".", "/", "-", "_",
        "key", "KEY", "Key", "token", "ToKeN", "secret", "SECRET", "password", "PassWord", "passwd", "api_key", "\u212a", "\u017f",
      ),
      fc.stringMatching(/^[A-Za-z0-9+/_.~=-]{0,24}$/),
      fc.string({ maxLength: 4 }),
    );
    const matched = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => {
        const text = pieces.join("");
        for (const p of VALUE_PATTERNS) {
          if (!new RegExp(p.re.source, p.re.flags).test(text)) continue;
          matched.set(p.name, (matched.get(p.name) ?? 0) + 1);
          expect(p.mayMatch(text), `${p.name} on ${JSON.stringify(text)}`).toBe(true);
        }
      }),
      {
        numRuns: 20_000,
        // One instance of each pattern always runs: the rare ones (a PEM block, a bearer token)
        // would otherwise go unmatched in about one run in fifty.
        examples: [
          [["-----BEGIN ", "RSA ", "PRIVATE KEY-----", "MIIEow", "-----END PRIVATE KEY-----"]],
          [["Bearer", " ", "abc123def456"]],
          [["sk-", "0123456789abcdefghij"]],
          [["api_key", "=", "abcdef123"]],
        ],
      },
    );
    // The property was tried on strings every pattern matches, not only on the easy misses.
    expect([...matched.keys()].sort()).toEqual(VALUE_PATTERNS.map((p) => p.name).sort());
    // And the pre-check does skip text without credentials, which is all it is for.
    for (const p of VALUE_PATTERNS) expect(p.mayMatch("The sum of 5000 and 7 is 5007.")).toBe(false);
  });

  it("leaves ordinary text alone", () => {
    for (const text of ["Echo: hello", "The sum of 5000 and 7 is 5007.", "PWD=/work/main", "Bearer tokens are described in RFC 6750", "a basic answer"]) {
      expect(redactor.redactText(text)).toBe(text);
    }
  });
});

describe("the server command in the header", () => {
  it("redacts values of secret flags and assignments, credentials in any argument, and nothing else", () => {
    const command = [
      "env", "GITHUB_TOKEN=ghtok-123", "PATH=/usr/bin",
      "node", "server.js", "--api-key", "k-123", "--token=t-456", "--port", "8080", "--password", "--verbose",
      "postgresql://app:dbpass99@localhost/db", "--header", "Authorization: Bearer abcdef123456",
    ];
    const out = redactor.redactCommand(command);
    expect(out).toHaveLength(command.length);
    for (const secret of ["ghtok-123", "k-123", "t-456", "dbpass99", "abcdef123456"]) expect(out.join(" ")).not.toContain(secret);
    expect(out.slice(0, 5)).toEqual(["env", `GITHUB_TOKEN=${redactor.placeholder("ghtok-123")}`, "PATH=/usr/bin", "node", "server.js"]);
    expect(out.slice(5, 12)).toEqual(["--api-key", redactor.placeholder("k-123"), `--token=${redactor.placeholder("t-456")}`, "--port", "8080", "--password", "--verbose"]);
  });

  it("--no-redact records the command as given", () => {
    const command = ["node", "server.js", "--api-key", "k-123"];
    expect(new Redactor({ enabled: false }).redactCommand(command)).toEqual(command);
  });
});

describe("placeholders", () => {
  it("the same secret always gives the same placeholder under one key, a different one under another", () => {
    const a = redactor.redact({ token: "s1" }).value;
    const b = redactor.redact({ password: "s1" }).value;
    expect(a).toEqual({ token: (b as { password: string }).password });
    const other = new Redactor({ enabled: true, hmacKey: "other-key" });
    expect(other.redact({ token: "s1" }).value).not.toEqual(a);
    const hmac = createHmac("sha256", "test-key").update("s1").digest("hex").slice(0, 8);
    expect(redactor.placeholder("s1")).toBe(`[REDACTED:${hmac}]`);
  });

  it("a message without secrets comes back as the very same object", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const { value, pointers } = redactor.redact(v);
        if (pointers.length === 0) expect(value).toBe(v);
        else expect(value).not.toBe(v);
      }),
    );
  });

  it("redacting twice changes nothing more", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom("ghp_0123456789abcdefghij0123", "Bearer a1b2c3d4e5f6"), (v, secret) => {
        const once = redactor.redact({ v, nested: { secret, text: `x ${secret} y` } }).value;
        const twice = redactor.redact(once);
        expect(twice.value).toEqual(once);
        expect(JSON.stringify(once)).not.toContain(secret);
      }),
    );
  });

  it("--no-redact returns messages untouched and says so in the header", () => {
    const off = new Redactor({ enabled: false });
    const msg = { password: "x", text: "ghp_0123456789abcdefghij0123" };
    expect(off.redact(msg)).toEqual({ value: msg, pointers: [] });
    expect(off.describe()).toEqual({ enabled: false });
  });

  it("the header says how secrets were redacted, never the key", () => {
    const info = new Redactor({ enabled: true, hmacKey: "do-not-print" }).describe();
    expect(info.hmacKey).toBe("MCPTAPE_REDACT_KEY");
    expect(JSON.stringify(info)).not.toContain("do-not-print");
    expect(new Redactor({ enabled: true }).describe().hmacKey).toBe("random per tape, not stored");
  });
});
