/**
 * The command line: flags and help for every command of spec/cli.md, and the one place that
 * turns errors into exit codes. Each command's work lives in its own module, loaded on use.
 */
import { Capture } from "./capture.js";
import { Command, CommanderError, Option } from "commander";
import { InputError } from "../errors.js";
import { endQuietlyOnEpipe, parseReportTarget, type Io } from "./io.js";
import { VERSION } from "../version.js";
import { withTempFiles } from "../temp-files.js";
import { POLICY_DIALECTS } from "../policy/model.js";
import { CEDAR_PROFILES } from "../cedar/types.js";
import { WINDOW_ALGORITHMS } from "../engine/types.js";
import { listFlags } from "./list-flags.js";
import { FlagValues, type Command as RunCommand } from "./flags.js";
import { DIFF_FORMATS, FUZZ_FORMATS, REPLAY_FORMATS, TEST_FORMATS, VALIDATE_FORMATS } from "../report/formats.js";

export const EXIT = { ok: 0, findings: 1, badInput: 2, internal: 3 } as const;


interface CommandSpec {
  name: string;
  args: string;
  summary: string;
  example: string;
  options: (cmd: Command) => void;
  /** Loads the implementation on use, so one command's imports do not slow the others. */
  load: () => Promise<RunCommand>;
}

const policyOptions = (cmd: Command) =>
  cmd
    .option("-p, --policy <file>", "policy file")
    .addOption(new Option("--dialect <dialect>", "policy dialect (detected when left out)").choices(POLICY_DIALECTS));

/** Which gateway's request a Cedar policy is written for, and what its scope names. */
const cedarScopeFlags = (cmd: Command) =>
  cmd
    .addOption(new Option("--profile <gateway>", "Cedar: the gateway whose request is rebuilt (a ToolHive config implies toolhive)").choices(CEDAR_PROFILES))
    .option("--server <name>", "Cedar: ToolHive's server name (the tool's MCP parent), Docker's registered server")
    .option("--target <name>", "Cedar, agentcore: the gateway target; the action is <target>___<tool>")
    .option("--gateway-arn <arn>", "Cedar, agentcore: the gateway's ARN, the request's resource")
    .option("--stub <file>", "Cedar, cedar-for-agents: the schema stub with @mcp_principal and @mcp_resource");

/**
 * How a Cedar policy is decided: the gateway whose request is built, and its settings (docs/spec/dialect-cedar.md).
 * `--schema` is validate's; the others keep it out of their help and refuse it with a hint (cedar-flags.ts).
 */
const cedarFlags = (cmd: Command, readsSchema = false) =>
  cedarScopeFlags(cmd)
    .option("--entities <file>", "Cedar: extra entities, a JSON list in Cedar's entity format")
    .addOption(new Option("--schema <file>", "Cedar: a .cedarschema (or its JSON form) to validate the policies against").hideHelp(!readsSchema))
    .option("--claims <file>", "Cedar: claims per identity (JSON or YAML) for sessions recorded without them")
    .option("--limits <file>", "Cedar, toolhive: ToolHive's rate-limit config, checked before Cedar");

const outputOptions = (cmd: Command, formats: readonly string[]) =>
  cmd
    .addOption(new Option("--format <format>", `output format: ${formats.join(", ")}`))
    .option("-o, --output <file>", "write the output to a file instead of stdout")
    .option("--report <FORMAT=FILE>", "also write this format to this file (repeatable)", parseReportTarget, [])
    .option("--color <when>", "colours in text output: auto (on a terminal, as NO_COLOR/FORCE_COLOR say), always, never");


/** How tapes are replayed: the same flags for replay and for both sides of a diff. */
const replayFlags = (cmd: Command) =>
  cmd
    .option("--together", "merge the tapes by time into one gateway run")
    .option("--speed <x>", "time runs x times faster")
    .option("--at <iso>", "move the tapes to start at this time")
    .addOption(new Option("--approvals <answer>", "what a human answers to approval requests").choices(["approve", "deny", "pending"]).default("pending"))
    .addOption(new Option("--rollback-on <what>", "which answers give reservations back").choices(["error", "error+isError"]).default("error"))
    .addOption(new Option("--window <algorithm>", "rate-limit window algorithm (what-if)").choices(WINDOW_ALGORITHMS).default("fixed"))
    .option("--identity <name>", "identity for sessions whose tape names none");

/** Splitting the work: over threads (--jobs) and over CI runners (--shard, merged by `mcptape merge`). */
const scaleFlags = (cmd: Command, unit: string, byDefault: string) =>
  cmd
    .option("--jobs <n>", `decide independent ${unit}s on n worker threads (default: ${byDefault}). Output is the same whatever n; a single huge ${unit} stays on one thread`)
    .option("--shard <i/n>", `take the i-th of n parts of the ${unit}s, balanced by bytes (a CI matrix; merge the runs' --report results=FILE with mcptape merge)`);

const COMMANDS: CommandSpec[] = [
  {
    name: "record",
    args: "[command...]",
    summary: "record an MCP session to a tape (stdio: after --, or a Streamable HTTP proxy with --upstream)",
    example: "mcptape record -o session.jsonl -- node server.js",
    options: (cmd) =>
      cmd
        .requiredOption("-o, --output <tape>", "tape file to write")
        .option("--upstream <url>", "Streamable HTTP: the MCP server to proxy")
        .option("--port <n>", "Streamable HTTP: port to listen on")
        .option("--host <host>", "Streamable HTTP: address to bind (default: 127.0.0.1)")
        .option("--overwrite", "replace a tape already at the -o path (refused otherwise, so no earlier recording is lost)")
        .option("--identity <name>", "who is calling, written on the session line")
        .option("--claims [names]", "Streamable HTTP: write each session's bearer JWT claims on its session line (all, or these, comma-separated; off by default: claims can be personal data)")
        .option("--no-redact", "keep secrets in the tape (off by default)")
        .option("--redact-key <regex>", "also redact argument keys matching this regex (repeatable)", collect, []),
    load: async () => (await import("./record.js")).recordCommand,
  },
  {
    name: "replay",
    args: "<tapes...>",
    summary: "decide every recorded tools/call under a policy on a virtual clock",
    example: "mcptape replay fixtures/tapes -p fixtures/policies/demo.yaml --format json",
    options: (cmd) =>
      scaleFlags(listFlags(cedarFlags(replayFlags(outputOptions(policyOptions(cmd), REPLAY_FORMATS)))), "tape", "the number of cores for json or text output, not to a terminal, without --coverage, from 128 MiB of tapes; else 1, the main thread")
        .option("--coverage", "list rules that decided no call and called tools with no rule")
        .option("--coverage-threshold <percent>", "fail below this percentage of rules exercised")
        .option("--fail-on <outcomes>", "exit 1 when any call is: deny,throttle,approval,undecided,changed"),
    load: async () => (await import("./replay.js")).replayCommand,
  },
  {
    name: "diff",
    args: "<tapes...>",
    summary: "replay two policy versions over the same tapes and list every changed decision",
    example: "mcptape diff fixtures/tapes --base origin/main:policy.yaml --head policy.yaml --format markdown",
    options: (cmd) =>
      scaleFlags(listFlags(cedarFlags(replayFlags(outputOptions(cmd, DIFF_FORMATS)))), "tape", "the number of cores for text, markdown, github or sarif output, from 128 MiB of tapes; else 1, the main thread")
        .option("--base <policy>", "the policy before (a file, or REV:PATH from git)")
        .option("--head <policy>", "the policy after (a file, or REV:PATH from git)")
        .addOption(new Option("--dialect <dialect>", "policy dialect (detected when left out)").choices(POLICY_DIALECTS))
        .option("--fail-on-change", "exit 1 when any decision changed")
        .option("--fail-on-loosen", "exit 1 when any deny, throttle or approval becomes allow"),
    load: async () => (await import("./diff.js")).diffCommand,
  },
  {
    name: "fuzz",
    args: "",
    summary: "generate tool arguments to find what a policy lets through that it must not",
    example: 'mcptape fuzz -p policy.yaml --tools session.jsonl --forbid \'args.path contains ".."\' --save scenarios/found',
    options: (cmd) =>
      cedarFlags(outputOptions(policyOptions(cmd), FUZZ_FORMATS))
        .option("--tools <tape|schema>", "tools' inputSchema from a tape or a JSON Schema file")
        .option("--against <policy>", "find arguments two policies decide differently (with a Cedar side: what -p allows and it refuses)")
        .option("--forbid <expr>", "PATH OP VALUE that must never be allowed (repeatable)", collect, [])
        .option("--properties <file>", "YAML file of forbidden expressions per tool")
        .option("--runs <n>", "number of cases")
        .option("--time <duration>", "time budget, like 10s")
        .option("--seed <seed>", "random seed")
        .option("--path <path>", "replay one counterexample: the path a finding printed (with its --seed and --tool)")
        .option("--tool <name>", "fuzz only this tool")
        .option("--save <dir>", "write each counterexample as a scenario"),
    load: async () => (await import("./fuzz.js")).fuzzCommand,
  },
  {
    name: "test",
    args: "[paths...]",
    summary: "run scenario files (policy tests); default ./scenarios",
    example: "mcptape test scenarios --format junit -o results.xml",
    options: (cmd) =>
      cedarFlags(outputOptions(cmd, TEST_FORMATS))
        .option("--run <regex>", "run only the scenarios whose name matches")
        .option("--shard <i/n>", "run the i-th of n parts of the scenario files, balanced by bytes (a CI matrix)")
        .option("--jobs <n>", "run scenario files on n worker threads (default: the number of cores; 1: the main thread; small suites and --fail-fast stay on the main thread). The report is the same whatever n; one file's scenarios stay on one thread")
        .option("--fail-fast", "stop at the first failed or errored scenario")
        .option("--strict", "warnings fail too (exit 1): a misspelt tool, calls out of list order, the policy's and tapes' warnings")
        .option("--watch", "run again whenever a scenario file, policy or tape changes (until stopped)"),
    load: async () => (await import("./test.js")).testCommand,
  },
  {
    name: "merge",
    args: "<results...>",
    summary: "combine the --report results=FILE of every --shard of a replay or diff into any of its formats, as one run would print it",
    example: "mcptape merge results-*.jsonl --format markdown -o comment.md",
    options: (cmd) =>
      listFlags(outputOptions(cmd, [...new Set([...REPLAY_FORMATS, ...DIFF_FORMATS])]))
        .option("--fail-on <outcomes>", "replay results: exit 1 when any call is: deny,throttle,approval,undecided,changed (default: as the shards were run)")
        .option("--fail-on-change", "diff results: exit 1 when any decision changed (default: as the shards were run)")
        .option("--fail-on-loosen", "diff results: exit 1 when any deny, throttle or approval becomes allow"),
    load: async () => (await import("./merge.js")).mergeCommand,
  },
  {
    name: "validate",
    args: "<policies...>",
    summary: "check policies as the real gateway would, plus warnings",
    example: "mcptape validate fixtures/policies/demo.yaml --strict",
    options: (cmd) =>
      cedarFlags(outputOptions(cmd, VALIDATE_FORMATS), true)
        .addOption(new Option("--dialect <dialect>", "policy dialect (detected when left out)").choices(POLICY_DIALECTS))
        .option("--strict", "warnings fail too (exit 1)")
        .option("--tools <tape|tools.json>", "add each tool's risk class and advice; Cedar: the tools the profile warnings check against, and (agentcore, cedar-for-agents) the schema generated from them"),
    load: async () => (await import("./validate-action.js")).validateCommand,
  },
  {
    name: "init",
    args: "",
    summary: "write a starter policy for the tools a tape recorded",
    example: "mcptape init --tools session.jsonl -o policy.yaml",
    options: (cmd) =>
      cedarScopeFlags(
        cmd
          .option("--tools <tape|tools.json>", "tape or tools JSON to read the tools from")
          .addOption(new Option("--dialect <dialect>", "dialect of the policy to write (cedar: for the gateway --profile names)").choices(POLICY_DIALECTS).default("intercept"))
          .option("-o, --output <file>", "write the policy to a file"),
      ),
    load: async () => (await import("./init.js")).initCommand,
  },
  {
    name: "import",
    args: "<kind> <log>",
    summary: "turn a gateway audit log into a tape (kind: intercept-audit, toolhive-audit)",
    example: "mcptape import intercept-audit ~/.intercept/events/main.jsonl -o audit.jsonl",
    options: (cmd) =>
      cmd
        .option("-o, --output <tape>", "tape file to write")
        .option("--no-redact", "toolhive-audit: keep secrets in the logged arguments on the tape (redacted by default)")
        .option("--redact-key <regex>", "toolhive-audit: also redact argument keys matching this regex (repeatable)", collect, []),
    load: async () => (await import("./import.js")).importCommand,
  },
];

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * Help is wrapped to the terminal's columns up to 80, and to 80 when not written to a terminal
 * (commander's own default is all the terminal's columns). So the build can render help once
 * at 80 (start.ts prints that copy) and be exact on any terminal at least 80 wide and any pipe.
 */
export const HELP_WIDTH = 80;

const helpWidth = (stream: Io["stdout"]) => Math.min(stream.isTTY ? (stream.columns ?? HELP_WIDTH) : HELP_WIDTH, HELP_WIDTH);

/**
 * The command line. With `invoked`, the command argv names, only that command gets its flags
 * (the others are there by name): building every command's flags cost each run ~4 ms.
 */
export function buildProgram(io: Io, setExit: (code: number) => void, invoked?: string): Command {
  const program = new Command("mcptape")
    .description("Record MCP sessions to tapes and replay them through gateway policies.")
    .version(VERSION)
    .showHelpAfterError("(run mcptape help COMMAND for its flags and an example)")
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      getOutHelpWidth: () => helpWidth(io.stdout),
      getErrHelpWidth: () => helpWidth(io.stderr),
    })
    .exitOverride();

  for (const spec of COMMANDS) {
    const cmd = program.command(`${spec.name}${spec.args ? " " + spec.args : ""}`).description(spec.summary);
    if (invoked === undefined || invoked === spec.name) spec.options(cmd);
    cmd.addHelpText("after", `\nExample:\n  ${spec.example}\n`);
    cmd.exitOverride();
    cmd.action(async (...params: unknown[]) => {
      const parsed = params[params.length - 1] as Command;
      const run = await spec.load();
      setExit(await run(parsed.args, new FlagValues(parsed.opts()), io));
    });
  }
  return program;
}

/**
 * Every argument list that only prints help or the version (exit 0, nothing on stderr). The
 * build renders each through commander (printed) into the copy start.ts prints without it.
 */
export function helpArgs(): string[][] {
  const forms = [[], ["--help"], ["-h"], ["help"], ["--version"], ["-V"]];
  for (const { name } of COMMANDS) forms.push(["help", name], [name, "--help"], [name, "-h"]);
  return forms;
}

/** Runs `mcptape ARGS` with stdout and stderr captured, not a terminal: what it prints to a pipe. */
export async function printed(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(["node", "mcptape", ...args], { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Runs the command line and returns the exit code; never lets a stack trace reach a user for bad input. */
export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  // A run that stops early leaves no half-written report behind.
  return withTempFiles(() => run(argv, io));
}

async function run(argv: string[], io: Io): Promise<number> {
  let exitCode: number = EXIT.ok;
  endQuietlyOnEpipe(io.stdout);
  endQuietlyOnEpipe(io.stderr);
  const program = buildProgram(io, (code) => (exitCode = code), COMMANDS.find((c) => c.name === argv[2])?.name);
  try {
    if (argv.length <= 2) {
      program.outputHelp();
      return EXIT.ok;
    }
    // Commander's help command shows the general help, exit 0, for a name it does not know: make that the unknown command it is.
    const unknownHelp = argv[2] === "help" && argv[3] !== undefined && !COMMANDS.some((c) => c.name === argv[3]);
    await program.parseAsync(unknownHelp ? [...argv.slice(0, 2), ...argv.slice(3)] : argv);
    return exitCode;
  } catch (err) {
    return handleError(err, io);
  }
}

function handleError(err: unknown, io: Io): number {
  if (err instanceof CommanderError) {
    // Help and version exit "successfully"; anything else commander refused is a usage error.
    if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") {
      return EXIT.ok;
    }
    return EXIT.badInput;
  }
  if (err instanceof InputError) {
    io.stderr.write(`mcptape: ${err.format()}\n`);
    return EXIT.badInput;
  }
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  io.stderr.write(
    `mcptape: internal error: this is a bug in mcptape, please report it with the command you ran.\n${stack}\n`,
  );
  return EXIT.internal;
}
