/**
 * The shipped JSON Schemas (schemas/) compiled with Ajv as an editor would use them: draft-07,
 * cross-file `$ref`s resolved by file name, and documents read by the `yaml` package (YAML 1.2
 * core, as yaml-language-server reads them).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { parseDocument } from "yaml";
import { ROOT } from "../cli/run-cli.js";

export const SCHEMA_DIR = join(ROOT, "schemas");

export const SCHEMA_FILES = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith(".schema.json")).sort();

export interface Validators {
  ajv: Ajv;
  intercept: ValidateFunction;
  policylayer: ValidateFunction;
  scenario: ValidateFunction;
  tapeLine: ValidateFunction;
}

export function compileSchemas(): Validators {
  // strict: unknown keywords and bad numbers are errors; types may be implied (if/then parts).
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true });
  for (const f of SCHEMA_FILES) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, f), "utf8")) as object, f);
  const get = (f: string): ValidateFunction => {
    const v = ajv.getSchema(f);
    if (!v) throw new Error(`no schema ${f}`);
    return v;
  };
  return {
    ajv,
    intercept: get("intercept-policy.schema.json"),
    policylayer: get("policylayer-policy.schema.json"),
    scenario: get("scenario.schema.json"),
    tapeLine: get("tape-line.schema.json"),
  };
}

/** The errors of one validation, as `pointer message` lines, for failure messages. */
export function explain(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`).join("\n");
}

/** A YAML document as editors read it; undefined when it does not parse (a YAML error, not a schema one). */
export function readYaml(text: string): { value: unknown } | undefined {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) return undefined;
  try {
    return { value: doc.toJS({ maxAliasCount: 100 }) as unknown };
  } catch {
    return undefined;
  }
}
