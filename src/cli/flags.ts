/**
 * A command's flags, read once from what commander parsed into the typed object its action
 * takes. Commander checks choices and collects repeatable flags; this reader checks each
 * value's type, so no action casts. A value of the wrong type means a flag's definition in
 * main.ts and its reader disagree: a bug in mcptape, not bad input.
 *
 * zod is not used here: loading it costs more CPU than a whole `--help` may take.
 */
import type { Io } from "./io.js";

export class FlagValues {
  constructor(private readonly opts: Readonly<Record<string, unknown>>) {}

  string(name: string): string | undefined {
    const v = this.opts[name];
    if (v === undefined || typeof v === "string") return v;
    return this.wrongType(name, "a string");
  }

  /** A repeatable flag (collected into a list by its definition). */
  strings(name: string): string[] {
    const v = this.opts[name];
    if (v === undefined) return [];
    if (Array.isArray(v) && v.every((s) => typeof s === "string")) return v;
    return this.wrongType(name, "a list of strings");
  }

  /** A boolean flag that may be left out, told apart from one given (merge's defaults come from the results). */
  optionalBool(name: string): boolean | undefined {
    const v = this.opts[name];
    if (v === undefined || typeof v === "boolean") return v;
    return this.wrongType(name, "a boolean");
  }

  bool(name: string): boolean {
    return this.optionalBool(name) === true;
  }

  /** A flag with an optional value (`--claims [names]`): true when given bare. */
  stringOrTrue(name: string): string | true | undefined {
    const v = this.opts[name];
    if (v === undefined || v === true || typeof v === "string") return v;
    return this.wrongType(name, "a string or true");
  }

  /** A flag whose definition restricts it to `choices` (commander refused anything else). */
  choice<T extends string>(name: string, choices: readonly T[]): T | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    const found = choices.find((c) => c === v);
    return found ?? this.wrongType(name, `one of ${choices.join(", ")}`);
  }

  /** A value parsed by the flag's own argument parser (like `--report`'s targets). */
  parsed<T>(name: string, is: (v: unknown) => v is T): T | undefined {
    const v = this.opts[name];
    if (v === undefined || is(v)) return v;
    return this.wrongType(name, "the value its parser makes");
  }

  /** These values with one of them replaced. */
  with(name: string, value: unknown): FlagValues {
    return new FlagValues({ ...this.opts, [name]: value });
  }

  private wrongType(name: string, expected: string): never {
    throw new Error(`flag ${name} holds ${JSON.stringify(this.opts[name])}, not ${expected}: its definition and its reader disagree`);
  }
}

/** A command as main.ts runs it: flags read once, then the action on the typed flags. */
export type Command = (args: string[], values: FlagValues, io: Io) => Promise<number>;

/** Joins a command's flag reader and its action. */
export function command<F>(readFlags: (values: FlagValues) => F, action: (args: string[], flags: F, io: Io) => Promise<number>): Command {
  return (args, values, io) => action(args, readFlags(values), io);
}
