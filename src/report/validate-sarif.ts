/** `validate --format sarif`: each error and warning at its policy file:line:col. */
import type { Diagnostic, Position } from "../errors.js";
import { sarifLog, type SarifResult } from "./sarif.js";

const RULES = [
  { id: "policy-error", description: "The gateway would refuse to load this policy" },
  { id: "policy-warning", description: "The policy loads, but likely does not do what it says" },
];

/** `unreadable`: policies that could not be read at all (`text` already `file: what is wrong`), at the file given. */
export function validateSarif(diagnostics: Diagnostic[], unreadable: { text: string; at: Position }[]): string {
  const results: SarifResult[] = diagnostics.map((d) => ({
    ruleId: d.severity === "error" ? "policy-error" : "policy-warning",
    level: d.severity === "error" ? "error" : "warning",
    message: d.message,
    at: { file: d.file, line: d.line, col: d.col },
  }));
  for (const u of unreadable) results.push({ ruleId: "policy-error", level: "error", message: u.text, at: u.at });
  return sarifLog(RULES, results);
}
