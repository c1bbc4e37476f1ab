/** Fuzz results as text (for people) and JSON (for tools). Data in, string out. */
import type { Finding, FuzzResult } from "./types.js";

export const FUZZ_FORMATS = ["text", "json"] as const;

/** How to rerun one finding: the command line with `--tool`, `--seed` and `--path`. */
export type Rerun = (f: Finding) => string;

export function renderFuzz(format: string, r: FuzzResult, rerun: Rerun): string {
  return format === "json" ? renderJson(r, rerun) : renderText(r, rerun);
}

function perSecond(r: FuzzResult): number {
  return r.ms > 0 ? Math.round(r.cases / (r.ms / 1000)) : r.cases;
}

function renderText(r: FuzzResult, rerun: Rerun): string {
  const out: string[] = [];
  for (const f of r.findings) {
    const v = f.violation;
    out.push(`FOUND ${f.tool}: ${v.property}`);
    if (f.case.claims) out.push(`  caller's claims ${JSON.stringify(f.case.claims)}`);
    const t0 = v.outcomes[0]?.t ?? 0;
    v.outcomes.forEach((o, i) => {
      const when = i === 0 ? new Date(o.t).toISOString() : `+${o.t - t0}ms`;
      const rule = o.rule !== null ? ` (${o.rule})` : "";
      out.push(`  call ${i + 1} ${when} ${f.tool} ${JSON.stringify(o.args)} -> ${o.decision}${rule}`);
    });
    if (v.error) out.push(`  error: ${v.error}`);
    if (v.other) out.push(`  the other policy: ${v.other.decision}${v.other.rule !== null ? ` (${v.other.rule})` : ""}`);
    out.push(`  expected call ${v.callIndex + 1}: ${v.expected}`);
    out.push(`  seed ${r.seed} (fast-check seed ${f.fcSeed}), path ${f.path}`);
    out.push(`  rerun: ${rerun(f)}`);
    if (f.saved) out.push(`  saved: ${f.saved}`);
    out.push("");
  }
  for (const f of r.forbids ?? []) out.push(`forbid ${f.expr}: checked on ${f.tools.join(", ")}`);
  if (r.engineOnly) out.push("checked only that the policy decides every call without an error: say what it must never allow with --forbid, --properties or --against");
  if (r.unfuzzed) out.push(`not fuzzed, the --time budget ran out first: ${r.unfuzzed.join(", ")}`);
  const n = r.findings.length;
  out.push(
    `${r.cases.toLocaleString("en")} case${r.cases === 1 ? "" : "s"} over ${r.tools.length} tool${r.tools.length === 1 ? "" : "s"} in ${(r.ms / 1000).toFixed(2)}s ` +
      `(${perSecond(r).toLocaleString("en")} cases/s), seed ${r.seed}: ${n === 0 ? "no findings" : `${n} finding${n === 1 ? "" : "s"}`}`,
  );
  return out.join("\n") + "\n";
}

function renderJson(r: FuzzResult, rerun: Rerun): string {
  const doc = {
    summary: { cases: r.cases, ms: Math.round(r.ms), casesPerSecond: perSecond(r), tools: r.tools, seed: r.seed, findings: r.findings.length, ...(r.engineOnly ? { engineOnly: true } : {}), ...(r.unfuzzed ? { unfuzzed: r.unfuzzed } : {}), ...(r.forbids ? { forbids: r.forbids } : {}) },
    findings: r.findings.map((f) => ({
      tool: f.tool,
      kind: f.violation.kind,
      property: f.violation.property,
      call: f.violation.callIndex + 1,
      expected: f.violation.expected,
      ...(f.case.claims ? { claims: f.case.claims } : {}),
      foundMs: Math.round(f.foundMs),
      calls: f.violation.outcomes.map((o) => ({ t: new Date(o.t).toISOString(), args: o.args, decision: o.decision, rule: o.rule, message: o.message })),
      ...(f.violation.other ? { other: f.violation.other } : {}),
      ...(f.violation.error ? { error: f.violation.error } : {}),
      seed: r.seed,
      fcSeed: f.fcSeed,
      path: f.path,
      rerun: rerun(f),
      ...(f.saved ? { saved: f.saved } : {}),
    })),
  };
  return JSON.stringify(doc, null, 2) + "\n";
}
