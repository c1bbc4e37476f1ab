/** `mcptape fuzz` as a command: exit codes, what it prints, reproducing a finding. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fuzzCommand } from "../../src/cli/fuzz.js";
import { FlagValues } from "../../src/cli/flags.js";
import { InputError } from "../../src/errors.js";
import { captureIo, writeFiles } from "./helpers.js";
import { BIN, spawnCli } from "../cli/run-cli.js";

const POLICY = `
version: "1"
tools:
  read_file:
    rules:
      - name: only under /srv
        conditions:
          - { path: args.path, op: regex, value: "^/srv/" }
  create_refund:
    rules:
      - name: refund cap
        conditions:
          - { path: args.amount, op: lte, value: 500 }
`;
const TIGHTER = POLICY.replace("value: 500", "value: 100");

async function run(opts: Record<string, unknown>) {
  const io = captureIo();
  const code = await fuzzCommand([], new FlagValues({ forbid: [], runs: "3000", ...opts }), io);
  return { code, out: io.out(), err: io.err() };
}

/** The whole message (with its hint) of the InputError a run stops with. */
async function inputError(pending: Promise<unknown>): Promise<string> {
  try {
    await pending;
  } catch (err) {
    if (err instanceof InputError) return err.format();
    throw err;
  }
  throw new Error("the run did not stop with an InputError");
}

describe("mcptape fuzz", () => {
  const dir = writeFiles({ "policy.yaml": POLICY, "tighter.yaml": TIGHTER });
  const policy = join(dir, "policy.yaml");

  it("a --forbid applies only to tools that take its argument, and the report says which", async () => {
    // read_file has no `amount`: forbidding args.amount > 500 there would "find" {"amount": 501}.
    const r = await run({ policy, seed: "1", forbid: ["args.amount > 500"], format: "json" });
    expect(r.code).toBe(0);
    const summary = (JSON.parse(r.out) as { summary: { findings: number; forbids: unknown } }).summary;
    expect(summary.forbids).toEqual([{ expr: "args.amount > 500", tools: ["create_refund"] }]);
    expect(summary.findings).toBe(0);
  });

  it("a --forbid on an argument no tool takes (a typo) is bad input naming the arguments known", async () => {
    expect(await inputError(run({ policy, forbid: ['args.paht contains ".."'] }))).toMatch(/no tool fuzzed has an argument `paht`.*read_file: path.*did you mean args\.path\?/s);
  });

  it("a mistyped --tool is bad input with the known tools and a did-you-mean, not 10,000 passing cases", async () => {
    expect(await inputError(run({ policy, tool: "read_flie", forbid: ['args.path contains ".."'] }))).toMatch(
      /--tool "read_flie" is not a tool this run knows \(known tools: create_refund, read_file\); did you mean --tool read_file\?/,
    );
  });

  it("exits 1 and prints the counterexample, seed, path and the command to rerun it", async () => {
    const r = await run({ policy, seed: "5", tool: "read_file", forbid: ['args.path contains ".."'] });
    expect(r.code).toBe(1);
    expect(r.out).toContain('FOUND read_file: allowed while args.path contains ".."');
    expect(r.out).toMatch(/-> allow/);
    expect(r.out).toMatch(/seed 5 \(fast-check seed -?\d+\), path [\d:]+/);
    expect(r.out).toMatch(/rerun: mcptape fuzz -p \S+ --forbid 'args.path contains "\.\."' --tool read_file --seed 5 --path [\d:]+/);
    expect(r.out).toMatch(/cases over 1 tool in [\d.]+s \([\d,]+ cases\/s\), seed 5: 1 finding/);
  });

  it("the printed seed and path replay the same counterexample", async () => {
    const first = await run({ policy, seed: "5", forbid: ['args.path contains ".."'], format: "json" });
    const f = (JSON.parse(first.out) as { findings: { path: string; calls: unknown[] }[] }).findings[0]!;
    const again = await run({ policy, seed: "5", forbid: ['args.path contains ".."'], tool: "read_file", path: f.path, format: "json" });
    expect(again.code).toBe(1);
    const g = (JSON.parse(again.out) as { findings: { calls: unknown[] }[] }).findings[0]!;
    expect(g.calls).toEqual(f.calls);
  });

  /*
   * "/srv/.." breaks both properties: it is found in the second round, with the first property
   * (already found) set aside. Its path carries that, or the rerun would report the first.
   */
  it("a later finding replays from its printed path too, as the same property", async () => {
    const forbid = ['args.path contains "."', 'args.path contains ".."'];
    const first = await run({ policy, seed: "2", tool: "read_file", forbid, format: "json" });
    const found = (JSON.parse(first.out) as { findings: { property: string; path: string; calls: unknown[] }[] }).findings;
    expect(found.map((f) => f.property)).toEqual(['allowed while args.path contains "."', 'allowed while args.path contains ".."']);
    expect(found[1]!.path).toMatch(/@2$/);
    for (const f of found) {
      const again = await run({ policy, seed: "2", forbid, tool: "read_file", path: f.path, format: "json" });
      const g = (JSON.parse(again.out) as { findings: { property: string; calls: unknown[] }[] }).findings;
      expect(g.map((x) => [x.property, x.calls])).toEqual([[f.property, f.calls]]);
    }
  });

  it("a property on a mistyped tool is bad input with a did-you-mean, not a pass on a tool no call names", async () => {
    const d = writeFiles({ "strict.yaml": POLICY.replace('version: "1"', 'version: "1"\ndefault: deny'), "props.yaml": "read_flie:\n  - { max_calls: 3, per: 60s }\n" });
    const message = await inputError(run({ policy: join(d, "strict.yaml"), seed: "1", properties: join(d, "props.yaml") }));
    expect(message).toContain(`${join(d, "props.yaml")}: error: a property names the tool "read_flie", which neither --tools nor the policy names`);
    expect(message).toContain("did you mean read_file?");
  });

  it("a property on a tool the policy names but --tools does not list is still checked", async () => {
    const d = writeFiles({
      "tools.json": JSON.stringify([{ name: "read_file", inputSchema: { type: "object", properties: { path: { type: "string" } } } }]),
      "props.yaml": "create_refund:\n  - { max_calls: 2, per: 60s }\n",
    });
    const r = await run({ policy, seed: "1", tools: join(d, "tools.json"), properties: join(d, "props.yaml"), format: "json" });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as { summary: { tools: string[] }; findings: { tool: string; kind: string }[] };
    expect(doc.summary.tools).toEqual(["read_file", "create_refund"]);
    expect(doc.findings.map((f) => [f.tool, f.kind])).toEqual([["create_refund", "max_calls"]]);
  });

  it("a tape of call lines only (a hand-written seed, an imported audit log) seeds the tools it called with their recorded arguments", async () => {
    const r = await run({
      policy: "fixtures/policies/seed-aws-support-severity.policylayer.json", tools: "fixtures/seed-tapes/aws-support-two-grants.jsonl",
      seed: "1", tool: "create_support_case", forbid: ['args.severity_code == "low"'], format: "json",
    });
    expect(r.code).toBe(1);
    const f = (JSON.parse(r.out) as { findings: { calls: { args: Record<string, unknown>; decision: string }[] }[] }).findings[0]!;
    // service_code is in no policy and no schema: only the recorded calls hold it.
    expect(f.calls.at(-1)).toMatchObject({ args: { severity_code: "low", service_code: expect.any(String) }, decision: "allow" });
  });

  it("the same tape under a name that is not .jsonl (a rotated t.jsonl.1, a pipe) is known as a tape by its first line, as init's --tools knows it, and seeds alike", async () => {
    const d = writeFiles({ "calls.jsonl.1": readFileSync("fixtures/seed-tapes/aws-support-two-grants.jsonl", "utf8") });
    const r = await run({
      policy: "fixtures/policies/seed-aws-support-severity.policylayer.json", tools: join(d, "calls.jsonl.1"),
      seed: "1", tool: "create_support_case", forbid: ['args.severity_code == "low"'], format: "json",
    });
    expect(r.code).toBe(1);
    const f = (JSON.parse(r.out) as { findings: { calls: { args: Record<string, unknown> }[] }[] }).findings[0]!;
    expect(f.calls.at(-1)!.args).toMatchObject({ severity_code: "low", service_code: expect.any(String) });
  });

  it("a --seed outside the 32 bits fast-check takes is bad input, not wrapped round to another seed", async () => {
    for (const seed of ["2147483648", "-2147483649", "1.5"]) expect(await inputError(run({ policy, seed }))).toContain(`--seed "${seed}" is not a whole number from -2147483648 to 2147483647`);
    expect((JSON.parse((await run({ policy, seed: "2147483647", runs: "5", format: "json" })).out) as { summary: { seed: number } }).summary.seed).toBe(2147483647);
  });

  it("a tools file that lists no tool is named as the reason nothing can be fuzzed", async () => {
    const d = writeFiles({ "tools.json": "[]" });
    expect(await inputError(run({ policy, tools: join(d, "tools.json") }))).toContain(`${join(d, "tools.json")}: error: no tools to fuzz: the tools file lists none`);
  });

  it("a --path that is not one a finding printed is bad input", async () => {
    const err = await run({ policy, seed: "2", tool: "read_file", path: "12:x" }).catch((e: unknown) => e);
    expect((err as InputError).format()).toMatch(/--path "12:x" cannot replay/);
  });

  it("a printed path given with another finding's --tool is bad input, not an internal error", async () => {
    const first = await run({ policy, seed: "5", tool: "read_file", forbid: ['args.path contains ".."'], format: "json" });
    const path = (JSON.parse(first.out) as { findings: { path: string }[] }).findings[0]!.path;
    const message = await inputError(run({ policy, seed: "5", tool: "create_refund", path }));
    expect(message).toContain(`--path ${path} replays no case of create_refund under --seed 5`);
  });

  it("a --path without --tool is bad input: a path indexes one tool's cases", async () => {
    expect(await inputError(run({ policy, seed: "5", path: "1:0" }))).toMatch(/--path "1:0" cannot replay.*with its --tool/);
  });

  it("reads a policy piped in with -p - and finds what the same policy as a file gives", () => {
    const args = ["--forbid", 'args.path contains ".."', "--seed", "5", "--runs", "3000", "--format", "json"];
    const piped = spawnCli(["fuzz", "-p", "-", ...args], { input: POLICY });
    const named = spawnCli(["fuzz", "-p", policy, ...args]);
    expect(piped.stderr).toBe("");
    expect(piped.code).toBe(1);
    const calls = (out: string) => (JSON.parse(out) as { findings: { calls: unknown[] }[] }).findings.map((f) => f.calls);
    expect(calls(piped.stdout)).toEqual(calls(named.stdout));
    expect(piped.stdout).toContain('"rerun": "mcptape fuzz -p - --forbid');
  });

  it.each([["HEAD:fixtures/policies/demo.yaml"], ["-"]])("--save with -p %s is bad input before any fuzzing: a scenario reads its policy from a file", async (policy) => {
    const message = await inputError(run({ policy, save: "found" }));
    expect(message).toContain(`--save cannot name -p ${policy} in a scenario`);
  });

  it("exits 0 with a summary when nothing is found", async () => {
    const r = await run({ policy, seed: "1", tool: "create_refund", forbid: ["args.amount > 500"] });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^forbid args.amount > 500: checked on create_refund\n[\d,]+ cases over 1 tool .*: no findings\n$/);
  });

  it("with nothing to hold the policy to, 'no findings' says that only its deciding every call was checked", async () => {
    const r = await run({ policy, seed: "1" });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^checked only that the policy decides every call without an error: say what it must never allow with --forbid, --properties or --against\n.*no findings\n$/);
    const json = await run({ policy, seed: "1", format: "json" });
    expect((JSON.parse(json.out) as { summary: { engineOnly?: boolean } }).summary.engineOnly).toBe(true);
    const forbidding = await run({ policy, seed: "1", forbid: ["args.amount > 500"], format: "json" });
    expect((JSON.parse(forbidding.out) as { summary: { engineOnly?: boolean } }).summary.engineOnly).toBeUndefined();
  });

  it("--against finds an amount the two policies decide differently", async () => {
    const r = await run({ policy, against: join(dir, "tighter.yaml"), tool: "create_refund", seed: "3", format: "json" });
    expect(r.code).toBe(1);
    const f = (JSON.parse(r.out) as { findings: { kind: string; expected: string; calls: { args: { amount: number }; decision: string }[] }[] }).findings[0]!;
    expect(f.kind).toBe("against");
    expect(f.expected).toBe("deny");
    const amount = f.calls.at(-1)!.args.amount;
    expect(amount).toBeGreaterThan(100);
    expect(amount).toBeLessThanOrEqual(500);
  });

  it("an --against finding is headed by what broke, the two policies deciding otherwise, never by the property it broke", async () => {
    const r = await run({ policy, against: join(dir, "tighter.yaml"), tool: "create_refund", seed: "3" });
    expect(r.out).toContain("FOUND create_refund: decided otherwise by the --against policy\n");
  });

  it("a bad --forbid names what is wrong and shows the form", async () => {
    const err = await run({ policy, forbid: ["args.path has .."] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).format()).toMatch(/unknown operator "has".*PATH OP VALUE/);
  });

  it("without a policy it is bad input", async () => {
    await expect(run({})).rejects.toBeInstanceOf(InputError);
  });

  it("a --time budget that runs out before a tool says which tools it never fuzzed, not only 'no findings'", async () => {
    // Each tool is stopped after its share, at least 1 ms by Date.now: two tools have spent the budget before the third.
    const three = join(writeFiles({ "three.yaml": `${POLICY}  delete_file:\n    rules: []\n` }), "three.yaml");
    const r = await run({ policy: three, seed: "1", runs: undefined, time: "1ms" });
    expect(r.out).toMatch(/^not fuzzed, the --time budget ran out first: (.*, )?delete_file\n/m);
    const json = await run({ policy: three, seed: "1", runs: undefined, time: "1ms", format: "json" });
    expect((JSON.parse(json.out) as { summary: { unfuzzed: string[] } }).summary.unfuzzed).toContain("delete_file");
  });

  it("an -o that cannot be written is bad input before the run, not after it", async () => {
    // A billion cases: were the output opened only after the run, the process would be stopped here first.
    const r = spawnSync(process.execPath, [BIN, "fuzz", "-p", policy, "--tool", "create_refund", "--runs", "1000000000", "-o", join(policy, "out.json")], { encoding: "utf8", timeout: 10_000 });
    expect(r.stderr).toContain(`cannot write ${join(policy, "out.json")}: a folder on its path is a file`);
    expect(r.status).toBe(2);
  }, 20_000);

  it("--time stops the run", async () => {
    const started = Date.now();
    const r = await run({ policy, seed: "1", tool: "create_refund", runs: undefined, time: "300ms", forbid: ["args.amount > 500"] });
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
