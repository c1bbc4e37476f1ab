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
import { createGateway, gatewayFactory } from "../../src/gateway/create.js";
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
interface Mouse { move(x: number, y: number, options?: { steps?: number }): Promise<void>; down(): Promise<void>; up(): Promise<void>; click(x: number, y: number): Promise<void>; dblclick(x: number, y: number): Promise<void> }
interface Page {
  mouse: Mouse;
  selectOption(selector: string, value: string): Promise<unknown>;
  fill(selector: string, value: string): Promise<void>;
  click(selector: string): Promise<void>;
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

  it("a changed call's row says what the recording shows it was, as the text report's (recorded: ...) does", async () => {
    const file = join(work, "was.html");
    const args = ["replay", "fixtures/tapes", "-p", "fixtures/policies/demo.yaml"];
    expect((await runCli([...args, "--format", "html", "-o", file])).code).toBe(0);
    const json = JSON.parse((await runCli([...args, "--format", "json"])).stdout) as { decisions: { decision: string; recorded: string | null }[] };
    const { page, errors } = await open(file);
    await page.selectOption("#filter-decision", "changed");
    const tags = await page.evaluate<{ i: number; tag: string }[]>(
      `[...document.querySelectorAll("#matter tbody tr")].map((tr) => ({ i: Number(tr.dataset.i), tag: tr.querySelector(".changed-tag").textContent }))`,
    );
    const changed = json.decisions.flatMap((d, i) => (d.recorded !== null && d.recorded !== d.decision ? [{ i, tag: `was ${d.recorded}` }] : []));
    expect(changed.length).toBeGreaterThan(0);
    expect(tags).toEqual(changed);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("a tape with no calls shows no time axis (no 1969-12-31 from a range around the epoch)", async () => {
    const tape = new TapeBuilder().session("s1", 0).end(1).write("no-calls.jsonl", work);
    const file = join(work, "no-calls.html");
    expect((await runCli(["replay", tape, "-p", "fixtures/policies/demo.yaml", "--format", "html", "-o", file])).code).toBe(0);
    const { page, errors } = await open(file);
    expect(await page.evaluate<string>("document.body.innerText")).not.toMatch(/1969|1970/);
    expect(await page.locator("svg").count()).toBe(0);
    expect(await page.locator(".chart").textContent()).toBe("No calls to show.");
    expect(await page.locator(".chart-notes").textContent()).toMatch(/^The tapes hold no tools\/call\./);
    await page.click("#zoom-out");
    expect(await page.locator("svg").count()).toBe(0);
    expect(await page.evaluate<string[]>(`[...document.querySelectorAll(".tables tbody")].map((b) => b.textContent)`)).toEqual(["none", "none"]);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("a diff in which no decision changed says none under each table of changes, not headings alone", async () => {
    const file = join(work, "no-change.html");
    const policy = "fixtures/policies/demo.yaml";
    expect((await runCli(["diff", "fixtures/tapes", "--base", policy, "--head", policy, "--format", "html", "-o", file])).code).toBe(0);
    const { page, errors } = await open(file);
    const tables = await page.evaluate<{ title: string; body: string }[]>(
      `[...document.querySelectorAll(".tables > div")].map((d) => ({ title: d.querySelector("h2").textContent, body: d.querySelector("tbody").textContent }))`,
    );
    expect(tables.map((t) => t.title)).toEqual(["Changes by kind", "Changes by tool", "Changes by rule"]);
    for (const t of tables) expect(t.body, t.title).toBe("none");
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("a replay of thousands of calls draws time bins split by the share of each decision", async () => {
    const b = new TapeBuilder();
    for (let i = 0; i < 5000; i++) b.call(i * 0.5, i % 3 === 0 ? "echo" : "get-sum", { args: { a: (i * 7) % 1500, b: 1, message: "m" }, outcome: "ok", latencyMs: 1 });
    const tape = b.end(2500).write("many.jsonl", work);
    const file = join(work, "many.html");
    expect((await runCli(["replay", tape, "-p", "fixtures/policies/demo.yaml", "--format", "html", "-o", file])).stderr).toBe("");
    const { page, errors } = await open(file);
    expect(await page.locator("svg .mark").count()).toBe(0);
    const bins = await page.locator("svg .bin").count();
    expect(bins).toBeGreaterThan(10);
    // Two tools, each bin at least 4 px wide on a plot narrower than the 1400 px window.
    expect(bins).toBeLessThanOrEqual((2 * 1400) / 4);
    // get-sum's calls are allowed or denied by its argument: its bins hold both, each part as
    // tall as its share of the bin.
    const shares = await page.evaluate<{ allow: number; deny: number; hAllow: number; hDeny: number }[]>(`
      [...document.querySelectorAll("svg .bin")].map((g) => {
        const part = (k) => g.querySelector(".seg[data-decision=" + k + "]");
        const n = (k) => Number(part(k)?.getAttribute("data-count") ?? 0);
        const h = (k) => Number(part(k)?.getAttribute("height") ?? 0);
        return { allow: n("allow"), deny: n("deny"), hAllow: h("allow"), hDeny: h("deny") };
      }).filter((b) => b.allow > 2 && b.deny > 2)`);
    expect(shares.length).toBeGreaterThan(0);
    for (const b of shares) expect(b.hDeny / (b.hAllow + b.hDeny)).toBeCloseTo(b.deny / (b.allow + b.deny), 1);
    await page.locator("svg .bin .seg[data-decision=throttle]").first().click();
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
    // The page names later changes as the text and markdown reports do.
    expect(calls.some((c) => c.counterfactual)).toBe(true);
    const text = (await page.locator("body").textContent()) ?? "";
    expect(text).toContain("after divergence");
    expect(text.toLowerCase()).not.toContain("counterfactual");
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(OUT, "diff.png"), fullPage: true });
    await page.close();
  }, 60_000);

  /** The time range the timeline shows, in ms. */
  async function viewOf(page: Page): Promise<{ lo: number; hi: number }> {
    return page.evaluate<{ lo: number; hi: number }>(`(() => { const s = document.querySelector(".chart svg"); return { lo: Number(s.getAttribute("data-lo")), hi: Number(s.getAttribute("data-hi")) }; })()`);
  }
  /** The plot area's left and right edge and a y inside the first lane, in page pixels. */
  async function plotBox(page: Page): Promise<{ left: number; right: number; y: number }> {
    return page.evaluate<{ left: number; right: number; y: number }>(`(() => {
      const r = document.querySelector(".chart svg .lane-bg").getBoundingClientRect();
      return { left: r.left, right: r.right, y: r.top + r.height / 2 };
    })()`);
  }
  async function rowsOf(page: Page): Promise<{ i: number; tool: string; decisions: string }[]> {
    return page.evaluate<{ i: number; tool: string; decisions: string }[]>(`[...document.querySelectorAll("#matter tbody tr")].map((tr) => ({
      i: Number(tr.getAttribute("data-i")), tool: tr.children[2].textContent, decisions: tr.children[3].textContent }))`);
  }

  it("a 20-second session on a long tape starts zoomed to its calls; a brush zooms in, a double-click shows everything", async () => {
    // One call at the tape's start and one 2 hours later; 300 calls in 20 seconds an hour in.
    const b = new TapeBuilder().call(0, "echo", { args: { message: "early" }, outcome: "ok", latencyMs: 1 });
    for (let i = 0; i < 300; i++) b.call(3600 + i * (20 / 300), i % 2 ? "echo" : "get-sum", { args: { a: i * 5, b: 1, message: "m" }, outcome: "ok", latencyMs: 1 });
    b.call(7200, "echo", { args: { message: "late" }, outcome: "ok", latencyMs: 1 });
    const tape = b.end(7201).write("session.jsonl", work);
    const file = join(work, "session.html");
    expect((await runCli(["replay", tape, "-p", "fixtures/policies/demo.yaml", "--format", "html", "-o", file])).stderr).toBe("");
    const { page, errors } = await open(file);

    const first = await viewOf(page);
    // All but 1% of the calls (3): the session, maybe less a call at its edge.
    expect(first.hi - first.lo).toBeGreaterThanOrEqual(19_000);
    expect(first.hi - first.lo).toBeLessThan(25_000);
    expect(await page.locator("svg .mark").count()).toBeGreaterThanOrEqual(298);

    // Brush from 25% to 50% of the plot: the axis shows that quarter.
    const box = await plotBox(page);
    const at = (f: number): number => box.left + (box.right - box.left) * f;
    await page.mouse.move(at(0.25), box.y);
    await page.mouse.down();
    await page.mouse.move(at(0.5), box.y, { steps: 5 });
    await page.mouse.up();
    const zoomed = await viewOf(page);
    const width = first.hi - first.lo;
    expect(zoomed.lo).toBeCloseTo(first.lo + width * 0.25, -2);
    expect(zoomed.hi).toBeCloseTo(first.lo + width * 0.5, -2);
    const shown = await page.locator("svg .mark").count();
    expect(shown).toBeGreaterThan(50);
    expect(shown).toBeLessThan(100);

    await page.mouse.dblclick(at(0.5), box.y);
    const all = await viewOf(page);
    expect(all.lo).toBeLessThanOrEqual(Date.parse("2026-01-01T10:00:00Z"));
    expect(all.hi).toBeGreaterThanOrEqual(Date.parse("2026-01-01T12:00:00Z"));
    // 300 calls in 20 s of a 2-hour axis cannot stand apart: bins, counting every call.
    const binned = await page.evaluate<number>(`[...document.querySelectorAll("svg .bin .seg")].reduce((n, s) => n + Number(s.getAttribute("data-count")), 0)`);
    expect(binned).toBe(302);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("the table of calls that matter filters by decision, sorts, and a clicked row shows its call", async () => {
    const file = join(work, "filter.html");
    const args = ["replay", "fixtures/tapes", "-p", "fixtures/policies/demo.yaml"];
    expect((await runCli([...args, "--format", "html", "-o", file])).code).toBe(0);
    const json = JSON.parse((await runCli([...args, "--format", "json"])).stdout) as { decisions: { tool: string; decision: string; changed: boolean }[] };
    const { page, errors } = await open(file);
    await page.click("#zoom-reset");

    const matter = json.decisions.map((d, i) => ({ ...d, i })).filter((d) => d.decision !== "allow" || d.changed);
    expect((await rowsOf(page)).map((r) => r.i)).toEqual(matter.map((d) => d.i));
    for (const kind of ["deny", "throttle", "approval"]) {
      await page.selectOption("#filter-decision", kind);
      const rows = await rowsOf(page);
      expect(rows.map((r) => r.i), kind).toEqual(json.decisions.flatMap((d, i) => (d.decision === kind ? [i] : [])));
      for (const r of rows) expect(r.decisions).toContain(kind);
    }

    await page.selectOption("#filter-decision", "all");
    await page.click('#matter th[data-key="tool"]');
    const tools = (await rowsOf(page)).map((r) => r.tool);
    expect(tools).toEqual([...tools].sort());
    await page.click('#matter th[data-key="tool"]');
    expect((await rowsOf(page)).map((r) => r.tool)).toEqual([...tools].sort().reverse());

    const pick = (await rowsOf(page))[1]!;
    await page.click(`#matter tbody tr[data-i="${pick.i}"]`);
    expect(await page.locator("#detail .detail-tool").textContent()).toBe(json.decisions[pick.i]!.tool);
    expect(await page.locator("#detail .call-number").textContent()).toBe(`#${pick.i + 1}`);
    expect(await page.locator(`svg .mark.selected[data-i="${pick.i}"]`).count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("a dense diff page draws every mark apart, and a click opens the call under the pointer", async () => {
    const b = new TapeBuilder();
    // 20 bursts a second apart, each of 8 calls over 6 ms, two at each instant (two tools).
    for (let i = 0; i < 160; i++) b.call(Math.floor(i / 8) + Math.floor((i % 8) / 2) * 0.002, i % 2 ? "echo" : "get-sum", { args: { a: i * 9, b: 1, message: "m" }, outcome: "ok", latencyMs: 1 });
    const tapePath = b.end(30).write("dense.jsonl", work);
    const basePath = join(ROOT, "fixtures/policies/demo.yaml");
    const headPath = join(work, "dense-head.yaml");
    writeFileSync(headPath, readFileSync(basePath, "utf8").replace("rate_limit: 5/minute", "rate_limit: 40/minute").replace("value: 1000", "value: 600"));
    const base = (await loadPolicyFile(basePath)).policy!;
    const head = (await loadPolicyFile(headPath)).policy!;
    const renderer = diffHtml();
    const counter = new DiffTotalsCounter();
    const calls: DiffedCall[] = [];
    renderer.start({ base: "demo.yaml", head: "dense-head.yaml", tapes: [tapePath], failOnChange: false, failOnLoosen: false, patch: "", warnings: [] });
    for await (const c of diffReplay({ base: gatewayFactory(base, { window: "fixed" }), head: gatewayFactory(head, { window: "fixed" }) }, { tapes: [tapePath] }, DEFAULT_REPLAY_OPTIONS)) {
      counter.add(c);
      renderer.call(c, calls.length);
      calls.push(c);
    }
    const file = join(work, "dense.html");
    writeFileSync(file, renderer.end({ totals: counter.totals }));
    expect(calls.filter((c) => c.change !== null).length).toBeGreaterThan(10);

    const { page, errors } = await open(file);
    const marks = await page.evaluate<{ i: number; side: number; x: number; y: number; w: number; h: number; hit: boolean }[]>(`
      [...document.querySelectorAll("svg .mark")].map((m) => {
        const r = m.getBoundingClientRect();
        const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
        return { i: Number(m.getAttribute("data-i")), side: Number(m.getAttribute("data-side")), x: r.left, y: r.top, w: r.width, h: r.height,
          hit: document.elementFromPoint(cx, cy) === m };
      })`);
    expect(marks).toHaveLength(calls.length * 2);
    const overlapping: string[] = [];
    for (let a = 0; a < marks.length; a++) {
      for (let c = a + 1; c < marks.length; c++) {
        const p = marks[a]!, q = marks[c]!;
        if (p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h) overlapping.push(`${p.i}/${p.side} and ${q.i}/${q.side}`);
      }
    }
    expect(overlapping).toEqual([]);
    expect(marks.filter((m) => !m.hit).map((m) => m.i)).toEqual([]);

    // Click the centre of each head mark of one burst (8 calls within 6 ms).
    const busy = marks.filter((m) => Math.floor(m.i / 8) === 3 && m.side === 1);
    expect(busy.length).toBe(8);
    for (const m of busy) {
      await page.mouse.click(m.x + m.w / 2, m.y + m.h / 2);
      expect(await page.locator("#detail .call-number").textContent()).toBe(`#${m.i + 1}`);
      expect(await page.locator("#detail .pill").nth(1).textContent()).toBe(calls[m.i]!.head.decision);
    }
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("the table pages through every call that matters, past the first 20,000 calls", async () => {
    const b = new TapeBuilder();
    const n = 26_000;
    for (let i = 0; i < n; i++) b.call(i * 0.2, "get-sum", { args: { a: i % 1100, b: 1 }, outcome: "ok", latencyMs: 1 });
    const tape = b.end(n * 0.2 + 1).write("large.jsonl", work);
    const file = join(work, "large.html");
    expect((await runCli(["replay", tape, "-p", "fixtures/policies/demo.yaml", "--format", "html", "-o", file])).stderr).toBe("");
    const denied = Array.from({ length: n }, (_, i) => i).filter((i) => i % 1100 >= 1000);
    const { page, errors } = await open(file);
    await page.click("#zoom-reset");
    await page.selectOption("#filter-decision", "deny");
    expect(await page.locator("#matter-count").textContent()).toMatch(new RegExp(`^${denied.length} of \\d+ calls that matter\\.`));
    await page.click("#page-last");
    const last = await rowsOf(page);
    expect(last.map((r) => r.i)).toEqual(denied.slice(Math.floor((denied.length - 1) / 100) * 100));
    const late = last[last.length - 1]!;
    expect(late.i).toBeGreaterThan(20_000);
    await page.click(`#matter tbody tr[data-i="${late.i}"]`);
    expect(await page.locator("#detail .call-number").textContent()).toBe(`#${late.i + 1}`);
    expect((await page.locator("#detail").textContent()) ?? "").toContain("get-sum accepts a below 1000");
    // Back one page: the rows before, in order.
    await page.click("#page-prev");
    expect((await rowsOf(page)).map((r) => r.i)).toEqual(denied.slice(Math.floor((denied.length - 1) / 100) * 100 - 100, Math.floor((denied.length - 1) / 100) * 100));
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
