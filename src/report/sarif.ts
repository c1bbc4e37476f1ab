/**
 * SARIF 2.1.0 (OASIS): the one log shape `validate`, `test` and `diff` write with
 * `--format sarif`, for code-scanning tools that show findings on the lines they name.
 * A log has one run of the `mcptape` driver, its rules, and results at file:line:col.
 */
import type { Position } from "../errors.js";
import { VERSION } from "../version.js";

export type SarifLevel = "error" | "warning" | "note";

export interface SarifRule {
  id: string;
  /** One line: what this rule finds. */
  description: string;
}

export interface SarifResult {
  ruleId: string;
  level: SarifLevel;
  message: string;
  /**
   * Where the finding is. GitHub code scanning refuses the whole log if any result has no
   * location ("locationFromSarifResult: expected at least one location", github/codeql-action
   * issue 1738) and shows only locations with a line (sarif-sdk rule GH1003): line 1 when the
   * finding has none (a policy that cannot be read).
   */
  at: Position;
}

const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

export function sarifLog(rules: SarifRule[], results: SarifResult[]): string {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const log = {
    $schema: SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "mcptape",
            version: VERSION,
            rules: rules.map((r) => ({ id: r.id, shortDescription: { text: r.description } })),
          },
        },
        results: results.map((r) => ({
          ruleId: r.ruleId,
          ...(index.has(r.ruleId) ? { ruleIndex: index.get(r.ruleId) } : {}),
          level: r.level,
          message: { text: r.message },
          locations: [location(r.at)],
        })),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}

function location(at: Position): object {
  const line = at.line !== undefined && at.line >= 1 ? at.line : 1;
  const col = at.line === line && at.col !== undefined && at.col >= 1 ? { startColumn: at.col } : {};
  return { physicalLocation: { artifactLocation: { uri: fileUri(at.file) }, region: { startLine: line, ...col } } };
}

/** A relative path stays relative (SARIF resolves it against the checkout); each segment percent-encoded. */
function fileUri(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join("/");
}
