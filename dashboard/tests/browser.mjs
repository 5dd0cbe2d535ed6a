// The dashboard in headless Chromium: a state with runs of every result kind, untrusted text
// that must render as text, and a new run that must appear through server-sent events within
// 2 seconds. On failure a screenshot is written to $STRIVE_SCREENSHOT_DIR (default: the
// system temp directory) and the process exits 1.
//
// Usage: STRIVE_BIN=target/debug/strive node dashboard/tests/browser.mjs
// Needs playwright-core (resolved from NODE_PATH, e.g. target/browser/node_modules) and
// Chromium at $CHROMIUM (default /usr/bin/chromium).
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, appendFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

const RESULTS = ["clean", "found", "proposed", "merged", "escalated", "error"];
const XSS = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>";

function fail(message) {
  throw new Error(message);
}

const root = mkdtempSync(join(tmpdir(), "strive-browser-"));
const stateDir = join(root, ".loop-state");
mkdirSync(stateDir, { recursive: true });
const state = join(stateDir, "state.json");
const runlog = join(stateDir, "state.runlog.jsonl");

const loops = {};
const rows = [];
RESULTS.forEach((result, i) => {
  const id = `loop-${result}`;
  loops[id] = {
    phase: result === "merged" ? "L3" : "L1", last_result: result, last_run: `2026-11-24T0${i}:00:00Z`,
    note: result === "found" ? XSS : `a ${result} run`, tokens_spent: 100 * i,
    budget: { max_tokens: 1000 },
    findings: result === "found" ? [{ bucket: "high", text: XSS, sha: "0123456789" }] : [],
  };
  rows.push({ ts: `2026-11-24T0${i}:00:00Z`, loop: id, result, action: "wrote-state", note: result === "found" ? XSS : "", run_id: `20261124T0${i}0000Z-0000000${i}` });
});
loops["loop-found::sched"] = { halted: { kind: "stall", detail: "same error", since: "2026-11-24T00:00:00Z" }, runs: 3 };
loops["::inbox"] = { next_seq: 2, items: [{ seq: 1, at: "2026-11-24T01:00:00Z", loop: "loop-found", kind: "found", note: XSS }] };
writeFileSync(state, JSON.stringify({ version: 1, loops }));
writeFileSync(runlog, rows.map((r) => JSON.stringify(r) + "\n").join(""));

const bin = process.env.STRIVE_BIN || "target/debug/strive";
const server = spawn(bin, ["serve", "--state", state, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise((resolve, reject) => {
  let seen = "";
  server.stdout.on("data", (chunk) => {
    seen += chunk;
    const line = seen.split("\n")[0];
    if (seen.includes("\n")) resolve(line.trim());
  });
  server.on("exit", (code) => reject(new Error(`strive serve exited ${code}`)));
  setTimeout(() => reject(new Error("strive serve printed no URL in 20 s")), 20000);
});

const profile = mkdtempSync(join(tmpdir(), "strive-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const page = context.pages()[0] || await context.newPage();
const dialogs = [];
page.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss(); });
let ok = false;
try {
  await page.goto(url);
  await page.waitForSelector("#cards article", { timeout: 10000 });

  // Every result kind has its card and pill; the halt and the inbox are shown.
  for (const result of RESULTS) {
    const pill = await page.locator(`#loop-loop-${result} .pill-${result}`).count();
    if (!pill) fail(`no ${result} pill on card loop-${result}`);
  }
  if (!(await page.locator("#loop-loop-found .pill-halted").count())) fail("halted loop not marked");
  if (!(await page.locator("#inbox-items li").count())) fail("inbox panel empty");
  if (await page.locator("article#loop-\\:\\:inbox").count()) fail("the inbox shown as a loop card");
  if ((await page.locator("#timeline .cell").count()) !== RESULTS.length) fail("timeline cells");
  if (!(await page.locator("#loop-loop-error .budget .bar-fill").count())) fail("no budget bar");

  // Untrusted text is text: shown literally, never markup, never run.
  const body = await page.locator("body").innerText();
  if (!body.includes(XSS)) fail("the untrusted note is not shown as text");
  const injected = await page.evaluate(() => ({
    pwned: window.__pwned,
    img: document.querySelectorAll("img").length,
    scripts: [...document.scripts].filter((s) => !s.src).length,
  }));
  if (injected.pwned !== undefined || injected.img !== 0 || injected.scripts !== 0 || dialogs.length) {
    fail(`untrusted text became markup: ${JSON.stringify(injected)} ${dialogs}`);
  }

  // A new run appears through the event stream within 2 s.
  const started = Date.now();
  const fresh = { ts: "2026-11-24T09:30:00Z", loop: "loop-clean", result: "clean", action: "wrote-state", note: "fresh-run-marker", run_id: "20261124T093000Z-feedbeef" };
  appendFileSync(runlog, JSON.stringify(fresh) + "\n");
  await page.waitForFunction(() => document.querySelector("#runlog").innerText.includes("fresh-run-marker"), null, { timeout: 2000 });
  const waited = Date.now() - started;

  // The run links to its audit view and its report.
  const audit = page.locator('#runlog a[href="#audit=20261124T093000Z-feedbeef"]');
  if (!(await audit.count())) fail("no audit link for the new run");
  if (!(await page.locator('#runlog a[href="#loop-loop-clean"]').count())) fail("no report link");
  console.log(`ok: every result kind rendered, untrusted text inert, new run shown after ${waited} ms`);
  ok = true;
} catch (e) {
  const dir = process.env.STRIVE_SCREENSHOT_DIR || tmpdir();
  mkdirSync(dir, { recursive: true });
  const shot = join(dir, "dashboard-failure.png");
  await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
  console.error(`FAIL: ${e.message}\nscreenshot: ${shot}`);
} finally {
  await context.close().catch(() => {});
  server.kill("SIGTERM");
  rmSync(profile, { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
