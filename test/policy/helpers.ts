import type { Diagnostic } from "../../src/errors.js";
import { loadPolicyText, type ModelLoad } from "../../src/policy/load.js";

export function load(yaml: string): ModelLoad {
  return loadPolicyText(yaml, "p.yaml");
}

/** Diagnostics as `line:col severity message` for compact assertions. */
export function diags(yaml: string): string[] {
  return load(yaml).diagnostics.map(show);
}

export function show(d: Diagnostic): string {
  return `${d.line}:${d.col} ${d.severity} ${d.message}`;
}

/** A policy with one tool `t` whose rules are the given YAML lines (indented under rules:). */
export function withRules(rules: string, extra = ""): string {
  return `version: "1"\n${extra}tools:\n  t:\n    rules:\n${rules.replace(/^/gm, "      ")}\n`;
}
