/**
 * The html report in a real browser (Debian's chromium, driven by playwright-core): what a
 * person sees and clicks. Chromium is CHROMIUM_PATH, else `chromium` or `chromium-browser` on
 * PATH; where there is none the tests are skipped with one line saying so (.ci/run installs
 * it). Screenshots go to a temp folder, removed after the run.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "../cli/run-cli.js";
import { TapeBuilder } from "../replay/tape-builder.js";
import { diffReplay } from "../../src/diff/diff-replay.js";
import { DiffTotalsCounter } from "../../src/diff/totals.js";
import type { DiffedCall } from "../../src/diff/types.js";
import { loadPolicyFile } from "../../src/policy/load.js";
import { DEFAULT_REPLAY_OPTIONS } from "../../src/replay/types.js";
import { diffHtml } from "../../src/report/diff-html.js";
import { createGateway } from "../../src/gateway/create.js";
import { tempDir } from "../helpers/temp-dir.js";

/** CHROMIUM_PATH, else the first `chromium` or `chromium-browser` on PATH. */
function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  const dirs = (process.env.PATH ?? "").split(delimiter).filter((d) => d !== "");
  for (const name of ["chromium", "chromium-browser"]) {
    for (const dir of dirs) if (existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

const CHROMIUM = findChromium();
const FLAGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync",
];

/** The little of playwright-core's API this test uses (typed here so tsc passes without it). */
interface Dialog { dismiss(): Promise<void> }
interface Request { url(): string }
interface Locator { count(): Promise<number>; first(): Locator; nth(i: number): Locator; click(): Promise<void>; textContent(): Promise<string | null> }
interface Page {
  goto(url: string): Promise<unknown>;
  waitForSelector(selector: string, options?: { state?: "attached" | "visible" }): Promise<unknown>;
  locator(selector: string): Locator;
  evaluate<T>(fn: string): Promise<T>;
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
  on(event: "dialog", fn: (d: Dialog) => void): void;
  on(event: "request", fn: (r: Request) => void): void;
  on(event: "pageerror", fn: (e: Error) => void): void;
  close(): Promise<void>;
}
interface Context { newPage(): Promise<Page>; close(): Promise<void> }
interface Playwright {
  chromium: { launchPersistentContext(dir: string, options: object): Promise<Context> };
}

async function loadPlaywright(): Promise<Playwright | undefined> {
  const name = "playwright-core"; // a variable, so tsc does not need the package
  try {
    return (await import(name)) as Playwright;
  } catch {
    return undefined;
  }
}

const playwright = await loadPlaywright();
if (!playwright) throw new Error("playwright-core is missing: run npm ci (it is a dev dependency)");
const missing =
  CHROMIUM === undefined ? "no chromium: set CHROMIUM_PATH or put chromium on PATH (apt-get install chromium)"
  : !existsSync(CHROMIUM) ? `CHROMIUM_PATH=${CHROMIUM} does not exist`
  : "";
if (missing) console.warn(`html-browser tests skipped: ${missing}`);

describe.skipIf(missing !== "")("html report in a browser", () => {
  let context: Context;
  let profile: string;
  const work = tempDir("html");
  const OUT = tempDir("screenshots");

  beforeAll(async () => {
    profile = tempDir("chromium");
    context = await playwright!.chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1400, height: 1000 },
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
  });

  /** Opens a report, noting dialogs, page errors and any request that is not the file itself. */
  async function open(file: string): Promise<{ page: Page; dialogs: string[]; errors: string[]; requests: string[] }> {
    const page = await context.newPage();
    const dialogs: string[] = [];
    const errors: string[] = [];
    const requests: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push("dialog");
      void d.dismiss();
    });
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector("html[data-ready]", { state: "attached" });
    return { page, dialogs, errors, requests };
  }

  it("the fixture replay shows one mark per call, its counters, and a clicked call's detail", async () => {
    const file = join(work, "replay.html");
    const args = ["replay", "fixtures/tapes", "-p", "fixtures/policies/demo.yaml"];
    expect((await runCli([...args, "--format", "html", "-o", file])).code).toBe(0);
    const json = JSON.parse((await runCli([...args, "--format", "json"])).stdout) as {
      summary: Record<string, number>;
      decisions: { tool: string; decision: string }[];
    };
    const { page, errors, requests } = await open(file);

    for (const kind of ["allow", "deny", "throttle", "approval"]) {
      expect(await page.locator(`svg .mark[data-decision=${kind}]`).count(), kind).toBe(json.summary[kind]);
    }
    expect(await page.locator("svg .mark").count()).toBe(json.summary.calls);
    expect(await page.locator("svg [data-counter]").count()).toBeGreaterThan(0);
    const chartText = (await page.locator(".chart").first().textContent()) ?? "";
    expect(chartText).toContain("echo._rate_minute");
    expect(chartText).toContain("limit 5");
    await page.screenshot({ path: join(OUT, "replay.png"), fullPage: true });

    // Click the first throttled call: the panel shows that call (replay order = json order).
    const mark = page.locator("svg .mark[data-decision=throttle]").first();
    await mark.click();
    const index = await page.evaluate<number>("Number(document.querySelector('svg .mark.selected').getAttribute('data-i'))");
    const clicked = json.decisions[index]!;
    expect(clicked.decision).toBe("throttle");
    expect(await page.locator("#detail .detail-tool").textContent()).toBe(clicked.tool);
    expect(await page.locator("#detail .pill").first().textContent()).toBe("throttle");
    const detailText = (await page.locator("#detail").textContent()) ?? "";
    expect(detailText).toContain("recorded");
    expect(detailText).toContain("session");
    await page.screenshot({ path: join(OUT, "replay-detail.png"), fullPage: true });

    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith("file:"))).toEqual([]);
    await page.close();
  }, 60_000);

  it("a tape with script in a tool name, arguments and message runs no script", async () => {
    const payload = "<script>window.__pwned=1;alert(1)</script>";
    const img = '<img src=x onerror="window.__pwned=2;alert(2)">';
    const tool = `${payload}evil`;
    const tape = new TapeBuilder()
      .session("s1", 0, "</script><script>alert(3)</script>")
      .call(1, tool, { args: { q: payload, html: img, sep: "\u2028-->" }, outcome: "ok", latencyMs: 1 })
      .call(2, "plain", { args: {}, outcome: "ok", latencyMs: 1 })
      .end(3)
      .write("evil.jsonl", work);
    const policy = join(work, "evil.yaml");
    writeFileSync(policy, ['version: "1"', "default: allow", "tools:", `  ${JSON.stringify(tool)}:`, "    rules:", '      - name: "<b>no</b>"', "        action: deny", `        on_deny: ${JSON.stringify(img + payload)}`, ""].join("\n"));
    const file = join(work, "evil.html");
    const run = await runCli(["replay", tape, "-p", policy, "--format", "html", "-o", file]);
    expect(run.stderr).toBe("");
    expect(readFileSync(file, "utf8")).not.toContain("<script>window");

    const { page, dialogs, errors, requests } = await open(file);
    expect(await page.locator("svg .mark").count()).toBe(2);
    await page.locator("svg .mark[data-decision=deny]").first().click();
    expect(await page.locator("#detail .detail-tool").textContent()).toBe(tool);
    const detail = (await page.locator("#detail").textContent()) ?? "";
    expect(detail).toContain(img);
    expect(detail).toContain(payload);
    expect(await page.evaluate<unknown>("window.__pwned")).toBeUndefined();
    expect(await page.locator("img").count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith("file:"))).toEqual([]);
    await page.screenshot({ path: join(OUT, "escaping.png"), fullPage: true });
    await page.close();
  }, 60_000);

  it("a replay of thousands of calls draws time bins instead of marks", async () => {
    const b = new TapeBuilder();
    for (let i = 0; i < 5000; i++) b.call(i * 0.5, i % 3 === 0 ? "echo" : "get-sum", { args: { a: i, b: 1, message: "m" }, outcome: "ok", latencyMs: 1 });
    const tape = b.end(2500).write("many.jsonl", work);
    const file = join(work, "many.html");
    expect((await runCli(["replay", tape, "-p", "fixtures/policies/demo.yaml", "--format", "html", "-o", file])).stderr).toBe("");
    const { page, errors } = await open(file);
    expect(await page.locator("svg .mark").count()).toBe(0);
    const bins = await page.locator("svg .bin").count();
    expect(bins).toBeGreaterThan(10);
    expect(bins).toBeLessThanOrEqual(2 * 400);
    expect(await page.locator("svg .bin[data-decision=deny]").count()).toBeGreaterThan(0);
    await page.locator("svg .bin[data-decision=throttle]").first().click();
    expect(await page.locator("#detail .calls-list button").count(), (await page.locator("#detail").textContent()) ?? "").toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(OUT, "many.png"), fullPage: true });
    await page.close();
  }, 120_000);

  it("a diff shows base and head lanes per tool with the changed calls highlighted", async () => {
    const demo = readFileSync(join(ROOT, "fixtures/policies/demo.yaml"), "utf8");
    const headPath = join(work, "head.yaml");
    writeFileSync(headPath, demo.replace("rate_limit: 5/minute", "rate_limit: 3/minute").replace("action: deny\n        on_deny: \"Reading", "action: require_approval\n        on_deny: \"Reading"));
    const base = (await loadPolicyFile(join(ROOT, "fixtures/policies/demo.yaml"))).policy!;
    const head = (await loadPolicyFile(headPath)).policy!;
    const tapes = ["fixtures/tapes/everything.jsonl", "fixtures/tapes/filesystem.jsonl"].map((t) => join(ROOT, t));
    const renderer = diffHtml();
    const counter = new DiffTotalsCounter();
    const calls: DiffedCall[] = [];
    renderer.start({ base: "demo.yaml", head: "head.yaml", tapes, failOnChange: false, failOnLoosen: false, patch: "", warnings: [] });
    for await (const c of diffReplay({ base: () => createGateway(base, { window: "fixed" }), head: () => createGateway(head, { window: "fixed" }) }, { tapes }, DEFAULT_REPLAY_OPTIONS)) {
      counter.add(c);
      renderer.call(c, calls.length);
      calls.push(c);
    }
    const file = join(work, "diff.html");
    writeFileSync(file, renderer.end({ totals: counter.totals }));
    const changed = calls.filter((c) => c.change !== null);
    expect(changed.length).toBeGreaterThan(0);

    const { page, errors } = await open(file);
    for (const [s, name] of [[0, "base"], [1, "head"]] as const) {
      for (const kind of ["allow", "deny", "throttle", "approval"]) {
        const want = calls.filter((c) => c[name].decision === kind).length;
        expect(await page.locator(`svg .mark[data-side="${s}"][data-decision=${kind}]`).count(), `${name} ${kind}`).toBe(want);
      }
    }
    expect(await page.locator("svg .change-band").count()).toBe(changed.length);
    await page.locator("svg .mark.changed[data-side=\"1\"]").first().click();
    const index = await page.evaluate<number>("Number(document.querySelector('svg .mark.selected').getAttribute('data-i'))");
    const clicked = calls[index]!;
    expect(clicked.change).not.toBeNull();
    expect(await page.locator("#detail .detail-tool").textContent()).toBe(clicked.tool);
    expect(await page.locator("#detail .pill").nth(0).textContent()).toBe(clicked.base.decision);
    expect(await page.locator("#detail .pill").nth(1).textContent()).toBe(clicked.head.decision);
    expect((await page.locator("#detail").textContent()) ?? "").toContain(clicked.change!);
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(OUT, "diff.png"), fullPage: true });
    await page.close();
  }, 60_000);
});
