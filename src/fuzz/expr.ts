/**
 * Forbidden expressions: `PATH OP VALUE` (`args.path contains ".."`, `args.amount > 50000`,
 * `claims.groups contains "contractors"` for the caller's token claims under a Cedar policy).
 * They are judged exactly as a policy condition would be (Go-semantics operators, Intercept's
 * path resolution), so "the policy allows it while the expression holds" means what it says.
 */
import { InputError, type Position } from "../errors.js";
import { OPS, type Op } from "../policy/model.js";
import { evalPrepared, prepareOperand, type Operand } from "../policy/ops.js";
import { resolveSegments } from "../policy/path.js";
import { compileGoRegex } from "../policy/regex.js";

export interface ForbidExpr {
  /** The expression as written, for reports and the command line to rerun. */
  source: string;
  path: string;
  /** `path` split on dots; the first is `args` or `claims`. */
  segments: string[];
  op: Op;
  value: unknown;
  operand: Operand;
}

const ALIASES: Record<string, Op> = { "==": "eq", "!=": "neq", "<": "lt", "<=": "lte", ">": "gt", ">=": "gte" };

export const FORBID_FORM = `write PATH OP VALUE with a JSON value, like 'args.path contains ".."' or 'args.amount > 50000' (operators: ${OPS.join(" ")} == != < <= > >=); claims.NAME for a token claim, like 'claims.groups contains "contractors"'`;

/** Parses one expression; a bad one is an InputError naming what is wrong and showing the form. */
export function parseForbid(text: string, where?: Position): ForbidExpr {
  const source = text.trim();
  const m = /^(\S+)\s+(\S+)(?:\s+([\s\S]*))?$/.exec(source);
  const fail = (what: string): never => {
    throw new InputError(`forbidden expression ${JSON.stringify(text)}: ${what}`, where, FORBID_FORM);
  };
  if (!m) fail("expected three parts, PATH OP VALUE");
  const [, path, opText, valueText] = m!;
  const segments = path!.split(".");
  if ((segments[0] !== "args" && !(segments[0] === "claims" && segments.length > 1)) || segments.some((s) => s === "")) {
    fail(`the path ${JSON.stringify(path)} must start with args. or claims. (like args.path, args.a.b or claims.groups)`);
  }
  const op: Op | undefined = Object.hasOwn(ALIASES, opText!) ? ALIASES[opText!]
    : (OPS as readonly string[]).includes(opText!) ? (opText as Op) : undefined;
  if (op === undefined) fail(`unknown operator ${JSON.stringify(opText)}`);
  if (valueText === undefined || valueText.trim() === "") fail("the value is missing");
  let value: unknown;
  try {
    value = JSON.parse(valueText!);
  } catch {
    fail(`the value ${valueText!.trim()} is not JSON (strings need double quotes, like ".." )`);
  }
  const bad = operandProblem(op!, value);
  if (bad) fail(bad);
  let matcher;
  if (op === "regex") {
    const compiled = compileGoRegex(value as string);
    if (!compiled.ok) fail(`the regex does not compile: ${compiled.error}`);
    else matcher = compiled.matcher;
  }
  return { source, path: path!, segments, op: op!, value, operand: prepareOperand(value, matcher) };
}

/** The same checks Intercept's validator makes on a condition's value. */
function operandProblem(op: Op, value: unknown): string | undefined {
  switch (op) {
    case "in":
    case "not_in":
      return Array.isArray(value) ? undefined : `${op} needs a JSON list, like ["btc","xmr"]`;
    case "lt":
    case "lte":
    case "gt":
    case "gte":
      return typeof value === "number" ? undefined : `${op} needs a number`;
    case "exists":
      return typeof value === "boolean" ? undefined : "exists needs true or false";
    case "regex":
    case "contains":
      return typeof value === "string" ? undefined : `${op} needs a string in double quotes`;
    default:
      return undefined;
  }
}

/** Does the expression hold for these arguments and the caller's claims? */
export function forbidHolds(expr: ForbidExpr, args: unknown, claims?: Record<string, unknown>): boolean {
  return evalPrepared(expr.op, resolveSegments(expr.segments[0] === "claims" ? claims : args, expr.segments, 1), expr.operand);
}
