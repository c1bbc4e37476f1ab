/**
 * `tsx scripts/add-claims.ts IN.jsonl OUT.jsonl CLAIMS.json`: copies a tape and writes the
 * given JWT claims on its session lines, as `mcptape record --claims` would have for an HTTP
 * session with that bearer token. Every other line is copied byte for byte.
 *
 * Why: fixtures/cedar/ needs real recordings whose sessions carry claims, and the fixture
 * tapes are recorded over stdio, which has no bearer token. The recording stays real; only the
 * claims are added, by this script, and the Cedar fixture tapes say so in their README.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { serializeLine } from "../src/tape/serialize.js";
import type { TapeLine } from "../src/tape/schema.js";

const [input, output, claimsFile] = process.argv.slice(2);
if (!input || !output || !claimsFile) {
  console.error("usage: tsx scripts/add-claims.ts IN.jsonl OUT.jsonl CLAIMS.json");
  process.exit(2);
}
const claims = JSON.parse(readFileSync(claimsFile, "utf8")) as Record<string, unknown>;
const lines = readFileSync(input, "utf8").split("\n");
const out = lines.map((text) => {
  if (!text.startsWith('{"kind":"session"')) return text;
  const line = JSON.parse(text) as TapeLine & { kind: "session" };
  return serializeLine({ ...line, claims });
});
writeFileSync(output, out.join("\n"));
