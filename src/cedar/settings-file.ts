/** The files Cedar settings come from (`--entities`, `--claims`, a scenario's `gateway: {entities}`): JSON or YAML. */
import { parse as parseYaml } from "yaml";
import { InputError } from "../errors.js";
import { readUserFile } from "../files.js";

/** A list of entities in Cedar's JSON entity format; `hint` says where the path was given. */
export function readEntities(file: string, hint: string): unknown[] {
  const doc = parseSettingsFile(file, readUserFile(file, "entities file", hint));
  if (!Array.isArray(doc)) throw new InputError("entities must be a JSON list", { file }, 'write Cedar\'s entity format: [{"uid": {"type": "T", "id": "x"}, "attrs": {}, "parents": []}]');
  return doc;
}

/** JSON is YAML: one parser for both, with the line of a syntax error. */
export function parseSettingsFile(file: string, text: string): unknown {
  try {
    // logLevel "error": syntax errors still throw; yaml's warnings (a list as a key) are not printed as Node warnings.
    return parseYaml(text, { prettyErrors: false, logLevel: "error" });
  } catch (err) {
    const pos = (err as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    throw new InputError(`not JSON or YAML: ${(err as Error).message.split("\n")[0]}`, { file, ...(pos ? { line: pos.line, col: pos.col } : {}) }, "check the file's syntax");
  }
}
