// strive dashboard: renders /api/state, /api/runlog and /api/audit/<run> read-only, and
// re-renders when /api/events (server-sent events) says the state changed.
//
// Guarantee: every value from the store reaches the page as text (Element.append of strings,
// textContent, title). Markup is only ever built with createElement; class names come from
// fixed tables, never from data. Nothing here writes to the server.
"use strict";

const RESULTS = ["clean", "found", "proposed", "merged", "escalated", "error", "halted"];
const SCHED_SUFFIX = "::sched";
const INBOX_KEY = "::inbox";

const $ = (id) => document.getElementById(id);

// Build an element: props are assigned as DOM properties (className, title, type, …),
// children are nodes or strings (strings become text nodes).
function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) node[key] = value;
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : text(child));
  }
  return node;
}

// Any JSON value as display text.
function text(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const asArray = (v) => (Array.isArray(v) ? v : []);

function pill(result) {
  const known = RESULTS.includes(result);
  return el("span", { className: "pill " + (known ? "pill-" + result : "pill-unknown") },
    result === undefined || result === null || result === "" ? "no result" : text(result));
}

function sha(value, length) {
  const full = text(value);
  return el("code", { className: "sha", title: full }, length ? full.slice(0, length) : full);
}

function field(label, ...value) {
  return el("div", { className: "field" }, el("span", { className: "label" }, label), " ", ...value);
}

// ---- loops ----------------------------------------------------------------------------

// Group `<id>::sched` records with their loop: [{id, section, sched}] sorted by id.
function groupLoops(loops) {
  const byId = new Map();
  for (const [key, value] of Object.entries(isObject(loops) ? loops : {})) {
    // Host sections (the inbox) are not loops; loop ids cannot start with "::".
    if (key.startsWith("::")) continue;
    const isSched = key.endsWith(SCHED_SUFFIX) && key.length > SCHED_SUFFIX.length;
    const id = isSched ? key.slice(0, -SCHED_SUFFIX.length) : key;
    const entry = byId.get(id) || { id, section: undefined, sched: undefined };
    if (isSched) entry.sched = value; else entry.section = value;
    byId.set(id, entry);
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

// A halt recorded by the scheduler (`halted`) or by the earlier loopengine (`anomaly: "stall"`;
// its `oscillation` halts were a defect that strive's scheduler drops, so they are not halts).
function haltOf(sched) {
  if (!isObject(sched)) return null;
  if (isObject(sched.halted)) return sched.halted;
  if (sched.anomaly === "stall") {
    return { kind: sched.anomaly, detail: sched.anomaly_detail, since: sched.last_run };
  }
  return null;
}

function findingList(findings, bucket) {
  const items = findings.filter((f) => isObject(f) && f.bucket === bucket);
  if (!items.length) return null;
  return el("ul", { className: "findings findings-" + bucket },
    ...items.map((f) => el("li", {}, el("span", { className: "bucket" }, bucket), " ",
      text(f.text), " ", f.sha ? sha(f.sha, 10) : null)));
}

function renderCard({ id, section, sched }) {
  const s = isObject(section) ? section : {};
  const halt = haltOf(sched);
  const card = el("article", { className: "card" + (halt ? " card-halted" : ""), id: "loop-" + id });
  card.append(el("h3", {}, el("span", { className: "loop-id" }, id), " ",
    section === undefined ? el("span", { className: "pill pill-unknown" }, "never ran") : pill(s.last_result),
    halt ? pill("halted") : null));

  if (section !== undefined && !isObject(section)) {
    card.append(el("p", { className: "warn" }, "section is not an object: " + text(section)));
  }
  const meta = [];
  if (s.phase !== undefined) meta.push("phase " + text(s.phase));
  if (s.last_run !== undefined) meta.push("last run " + text(s.last_run));
  if (meta.length) card.append(el("p", { className: "muted" }, meta.join(" · ")));
  if (s.last_run_id) card.append(field("run", auditButton(s.last_run_id)));
  if (s.note !== undefined && s.note !== "") card.append(el("p", { className: "note" }, text(s.note)));

  if (isObject(s.cursors) && Object.keys(s.cursors).length) {
    card.append(el("div", { className: "field" }, el("span", { className: "label" }, "cursors"),
      el("ul", { className: "plain" }, ...Object.entries(s.cursors).map(([ref, at]) =>
        el("li", {}, text(ref), " → ", sha(at, 10))))));
  }

  const findings = asArray(s.findings);
  if (findings.length || s.findings !== undefined) {
    const count = (b) => findings.filter((f) => isObject(f) && f.bucket === b).length;
    card.append(el("p", { className: "counts" },
      `${count("high")} high · ${count("watch")} watch · ${count("noise")} noise`));
    for (const bucket of ["high", "watch"]) {
      const list = findingList(findings, bucket);
      if (list) card.append(list);
    }
    const noise = findingList(findings, "noise");
    if (noise) card.append(el("details", {}, el("summary", {}, "noise"), noise));
  }

  // assisted-fix
  if (s.branch !== undefined) card.append(field("branch", el("code", {}, text(s.branch))));
  if (s.commit !== undefined) card.append(field("commit", sha(s.commit, 12)));
  if (s.attempts !== undefined) card.append(field("attempts", text(s.attempts)));
  const reflections = asArray(s.reflections);
  if (reflections.length) {
    card.append(el("details", {}, el("summary", {}, `reflections (${reflections.length})`),
      el("ol", {}, ...reflections.map((r) => el("li", {}, el("pre", {}, text(r)))))));
  }
  const notes = asArray(s.notes);
  if (notes.length) {
    card.append(el("div", { className: "field" }, el("span", { className: "label" }, "notes"),
      el("ul", {}, ...notes.map((n) => el("li", {}, text(n))))));
  }

  // tokens and budget
  const spend = [];
  if (s.tokens_spent !== undefined) spend.push(`${text(s.tokens_spent)} tokens spent`);
  if (s.cost_usd !== undefined) spend.push(`$${text(s.cost_usd)}`);
  if (isObject(s.budget)) {
    spend.push("budget " + Object.entries(s.budget).map(([k, v]) => `${k} ${text(v)}`).join(", "));
  }
  if (spend.length) card.append(field("spend", spend.join(" · ")));
  const cap = isObject(s.budget) ? Number(s.budget.max_tokens) : NaN;
  const spent = Number(s.tokens_spent) || 0;
  if (Number.isFinite(cap) && cap > 0) card.append(budgetBar(spent, cap));

  if (sched !== undefined) card.append(renderSched(sched, halt, id));

  card.append(el("details", { className: "raw" }, el("summary", {}, "raw sections"),
    el("pre", {}, JSON.stringify({ [id]: section, [id + SCHED_SUFFIX]: sched }, null, 2))));
  return card;
}

// A bar of tokens spent against the cap (widths from numbers, never from text).
function budgetBar(spent, cap) {
  const ratio = Math.min(1, Math.max(0, spent / cap));
  const fill = el("span", { className: "bar-fill" + (ratio >= 0.9 ? " bar-warn" : "") });
  fill.style.width = (ratio * 100).toFixed(1) + "%";
  return el("div", { className: "budget", title: `${spent} of ${cap} tokens` },
    el("span", { className: "label" }, "budget"), " ",
    el("span", { className: "bar" }, fill), " ",
    `${spent} / ${cap} tokens (${Math.max(0, cap - spent)} left)`);
}

function renderSched(sched, halt, id) {
  const box = el("div", { className: "sched" }, el("h4", {}, "scheduler"));
  if (!isObject(sched)) {
    box.append(el("p", { className: "warn" }, "scheduler record is not an object: " + text(sched)));
    return box;
  }
  const meta = [];
  if (sched.runs !== undefined) meta.push(`${text(sched.runs)} runs`);
  if (sched.last_run !== undefined) meta.push("last " + text(sched.last_run));
  if (sched.last_result !== undefined) meta.push(text(sched.last_result));
  if (meta.length) box.append(el("p", { className: "muted" }, meta.join(" · ")));
  if (halt) {
    box.append(el("p", { className: "warn" }, `halted (${text(halt.kind)})`,
      halt.since ? ` since ${text(halt.since)}` : "", halt.detail ? `: ${text(halt.detail)}` : "",
      " — resume with ", el("code", {}, "strive resume " + id)));
  } else if (sched.anomaly) {
    box.append(el("p", { className: "muted" }, `anomaly ${text(sched.anomaly)} recorded by loopengine`,
      sched.anomaly_detail ? `: ${text(sched.anomaly_detail)}` : "", " (strive does not halt on it)"));
  }
  const history = asArray(sched.history);
  if (history.length) {
    box.append(el("div", { className: "history" }, el("span", { className: "label" }, "history"), " ",
      ...history.map((h) => {
        const entry = isObject(h) ? h : { result: h };
        const p = pill(entry.result);
        p.title = [entry.at, entry.note].filter(Boolean).map(text).join(" — ");
        return p;
      })));
  }
  return box;
}

function renderInbox(loops) {
  const inbox = isObject(loops) ? loops[INBOX_KEY] : undefined;
  const items = asArray(isObject(inbox) ? inbox.items : inbox).slice().reverse();
  const list = $("inbox-items");
  $("inbox-count").textContent = `(${items.length})`;
  list.replaceChildren(...items.map((n) => {
    const item = isObject(n) ? n : { note: n };
    return el("li", {}, el("span", { className: "muted" }, "#" + text(item.seq), " ", text(item.at)), " ",
      pill(item.kind), " ", el("a", { href: "#loop-" + text(item.loop) }, text(item.loop)), ": ", text(item.note));
  }));
  if (!items.length) list.append(el("li", { className: "muted" }, "Nothing to look at."));
}

function renderBanner(store) {
  const banner = $("banner");
  const missing = isObject(store) && store.exists === false;
  banner.hidden = !missing;
  banner.replaceChildren();
  if (missing) {
    banner.append(el("p", {}, el("strong", {}, "No state at "), el("code", {}, text(store.describe)),
      " — nothing has run against this store yet, or ", el("code", {}, "--state"),
      " names the wrong file. Run a loop (", el("code", {}, "strive run loops/LOOP.json"),
      ") or restart ", el("code", {}, "strive serve"), " with the right --state."));
  }
}

// Per loop, the recorded runs in time order as coloured cells, and result counts as bars.
function renderTimeline(rows) {
  const byLoop = new Map();
  for (const r of asArray(rows)) {
    if (!isObject(r)) continue;
    const id = text(r.loop);
    if (!byLoop.has(id)) byLoop.set(id, []);
    byLoop.get(id).push(r);
  }
  const box = $("timeline");
  box.replaceChildren(...[...byLoop.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, runs]) => {
    const counts = new Map();
    for (const r of runs) counts.set(text(r.result), (counts.get(text(r.result)) || 0) + 1);
    const cells = runs.slice(-60).map((r) => {
      const known = RESULTS.includes(r.result);
      const cell = el("button", { type: "button", className: "cell " + (known ? "pill-" + r.result : "pill-unknown"),
        title: `${text(r.ts)} ${text(r.result)} — ${text(r.note)}` });
      if (r.run_id) cell.addEventListener("click", () => openAudit(text(r.run_id)));
      return cell;
    });
    const bars = [...counts.entries()].map(([result, n]) => {
      const known = RESULTS.includes(result);
      const bar = el("span", { className: "count-bar " + (known ? "pill-" + result : "pill-unknown"),
        title: `${n} ${result}` }, `${result} ${n}`);
      bar.style.flexGrow = String(n);
      return bar;
    });
    return el("div", { className: "timeline-row" },
      el("a", { className: "loop-id", href: "#loop-" + id }, id),
      el("div", { className: "cells" }, ...cells),
      el("div", { className: "counts-bar" }, ...bars));
  }));
  if (!byLoop.size) box.append(el("p", { className: "muted" }, "No runs recorded."));
}

function renderLoops(loops) {
  renderInbox(loops);
  const groups = groupLoops(loops);
  const cards = $("cards");
  cards.replaceChildren(...groups.map(renderCard));
  if (!groups.length) {
    cards.append(el("p", { className: "muted" }, "No loops in this state yet."));
  }
  $("loop-count").textContent = `(${groups.length})`;
  const select = $("runlog-loop");
  const chosen = select.value;
  select.replaceChildren(el("option", { value: "" }, "all loops"),
    ...groups.map((g) => el("option", { value: g.id }, g.id)));
  select.value = groups.some((g) => g.id === chosen) ? chosen : "";
}

// ---- run log and audit ----------------------------------------------------------------

// Links to a run's audit view (`#audit=<run id>`, so it can be shared) and to its loop's report.
function auditButton(runId) {
  const id = text(runId);
  const link = el("a", { className: "link", href: "#audit=" + encodeURIComponent(id) }, id);
  return link;
}

function reportLink(loop) {
  return el("a", { className: "link", href: "#loop-" + text(loop) }, "report");
}

function openAudit(runId) {
  location.hash = "audit=" + encodeURIComponent(runId);
}

function routeHash() {
  const match = /^#audit=(.+)$/.exec(location.hash);
  if (match) showAudit(decodeURIComponent(match[1]));
}

// An audit row's argument summary (`key=value key=value`) as separate readable parts.
function auditArgs(args) {
  const raw = text(args);
  const parts = raw.match(/[a-z_]+=("(?:[^"\\]|\\.)*"|\S*)/g);
  if (!parts || parts.join(" ").length < raw.trim().length) return raw;
  return el("dl", { className: "args" }, ...parts.flatMap((p) => {
    const at = p.indexOf("=");
    let value = p.slice(at + 1);
    if (value.startsWith("\"")) {
      try { value = JSON.parse(value); } catch (e) { /* keep as written */ }
    }
    return [el("dt", {}, p.slice(0, at)), el("dd", {}, value === "-" ? "(none)" : value)];
  }));
}

function renderRunlog(rows) {
  const body = $("runlog").tBodies[0];
  const newestFirst = asArray(rows).slice().reverse();
  body.replaceChildren(...newestFirst.map((r) => {
    const row = isObject(r) ? r : { note: r };
    return el("tr", {},
      el("td", { className: "nowrap" }, text(row.ts)),
      el("td", {}, text(row.loop)),
      el("td", {}, pill(row.result)),
      el("td", {}, text(row.action)),
      el("td", { className: "num" }, text(row.high)),
      el("td", { className: "num" }, text(row.watch)),
      el("td", { className: "num" }, text(row.attempts)),
      el("td", {}, text(row.note), row.branch ? el("div", { className: "muted" }, "branch ", text(row.branch)) : null),
      el("td", {}, row.run_id ? auditButton(row.run_id) : "", " ", row.loop ? reportLink(row.loop) : ""));
  }));
  if (!newestFirst.length) {
    body.append(el("tr", {}, el("td", { colSpan: 9, className: "muted" }, "No runs recorded.")));
  }
}

async function showAudit(runId) {
  $("audit").hidden = false;
  $("audit-run").textContent = runId;
  const chain = $("audit-chain");
  const body = $("audit-rows").tBodies[0];
  body.replaceChildren();
  chain.className = "";
  chain.textContent = "loading…";
  try {
    const doc = await getJson("api/audit/" + encodeURIComponent(runId));
    const c = isObject(doc.chain) ? doc.chain : {};
    chain.className = c.ok ? "ok" : "warn";
    chain.textContent = c.ok
      ? `chain intact: ${text(c.rows)} rows, head ${text(c.head)}`
      : `chain BROKEN at row ${text(c.first_bad_row)} (rows count from 1): ${text(c.problem)}`;
    body.replaceChildren(...asArray(doc.rows).map((r, index) => {
      const row = isObject(r) ? r : { args: r, decision: "unparseable row" };
      const bad = !c.ok && index + 1 === c.first_bad_row;
      const micros = typeof row.duration_ns === "number" ? (row.duration_ns / 1000).toFixed(1) : "";
      const when = typeof row.ts_ms === "number" ? new Date(row.ts_ms).toISOString() : "";
      return el("tr", { className: bad ? "bad-row" : "" }, el("td", { className: "num" }, String(index + 1)),
        el("td", { className: "nowrap" }, when),
        el("td", {}, text(row.capability)), el("td", {}, text(row.function)), el("td", {}, auditArgs(row.args)),
        el("td", { className: String(row.decision).startsWith("allowed") ? "" : "warn" }, text(row.decision)),
        el("td", { className: "num" }, micros));
    }));
  } catch (e) {
    chain.className = "warn";
    chain.textContent = e.message;
  }
  $("audit").scrollIntoView?.({ behavior: "smooth" });
}

// ---- loading --------------------------------------------------------------------------

async function getJson(path) {
  let response;
  try {
    response = await fetch(path, { headers: { Accept: "application/json" }, cache: "no-store" });
  } catch (e) {
    throw new Error(`cannot reach the dashboard server (${e.message}); is \`strive serve\` still running?`);
  }
  let body;
  try {
    body = await response.json();
  } catch (e) {
    throw new Error(`${path}: HTTP ${response.status}, answer is not JSON`);
  }
  if (!response.ok) throw new Error(`${path}: ${text(isObject(body) ? body.error : body)}`);
  return body;
}

function showErrors(messages) {
  const box = $("errors");
  box.hidden = !messages.length;
  box.replaceChildren(...messages.map((m) => el("p", { className: "warn" }, m)));
}

let source = "live";

async function refresh() {
  if (source !== "live") return;
  const errors = [];
  const limit = Math.max(1, Math.floor(Number($("runlog-limit").value)) || 200);
  const loop = $("runlog-loop").value;
  const query = new URLSearchParams({ limit: String(limit) });
  if (loop) query.set("loop", loop);
  const [state, runlog, all] = await Promise.allSettled([getJson("api/state"),
    getJson("api/runlog?" + query), getJson("api/runlog?limit=2000")]);
  if (state.status === "fulfilled") {
    renderBanner(state.value.store);
    renderLoops(state.value.loops);
  } else errors.push(state.reason.message);
  if (runlog.status === "fulfilled") renderRunlog(runlog.value);
  else errors.push(runlog.reason.message);
  if (all.status === "fulfilled") renderTimeline(all.value);
  showErrors(errors);
  $("status").textContent = (errors.length ? "failed at " : "updated ") + new Date().toLocaleTimeString();
}

// Live updates: the server's event stream says when something changed. If the stream is not
// available (an old server, a proxy that buffers), fall back to polling every --interval s.
let timer = null;
let events = null;
function schedule() {
  clearInterval(timer);
  timer = null;
  if (events) { events.close(); events = null; }
  if (!$("auto").checked || source !== "live") return;
  if (typeof EventSource === "function") {
    events = new EventSource("api/events");
    events.addEventListener("change", () => refresh());
    events.addEventListener("open", () => { clearInterval(timer); timer = null; $("live").textContent = "live"; });
    events.addEventListener("error", () => {
      $("live").textContent = "reconnecting (polling meanwhile)";
      if (!timer) timer = setInterval(refresh, Math.max(2, Number($("interval").value) || 10) * 1000);
    });
  } else {
    const seconds = Math.max(2, Number($("interval").value) || 10);
    timer = setInterval(refresh, seconds * 1000);
  }
}

function openFile(file) {
  const reader = new FileReader();
  reader.onload = () => {
    try {
      const doc = JSON.parse(String(reader.result));
      if (!isObject(doc) || !isObject(doc.loops)) throw new Error("no \"loops\" object at the top level");
      source = "file";
      schedule();
      renderLoops(doc.loops);
      renderRunlog([]);
      renderTimeline([]);
      showErrors([]);
      $("status").textContent = `showing ${file.name} (auto-refresh off; press Refresh now for live state)`;
    } catch (e) {
      showErrors([`${file.name} is not a strive state file: ${e.message}`]);
    }
  };
  reader.onerror = () => showErrors([`cannot read ${file.name}`]);
  reader.readAsText(file);
}

document.addEventListener("DOMContentLoaded", () => {
  $("refresh").addEventListener("click", () => { source = "live"; schedule(); refresh(); });
  $("auto").addEventListener("change", schedule);
  $("interval").addEventListener("change", schedule);
  $("runlog-loop").addEventListener("change", refresh);
  $("runlog-limit").addEventListener("change", refresh);
  $("audit-close").addEventListener("click", () => {
    $("audit").hidden = true;
    if (location.hash.startsWith("#audit=")) location.hash = "";
  });
  $("file").addEventListener("change", (e) => { if (e.target.files[0]) openFile(e.target.files[0]); });
  window.addEventListener("hashchange", routeHash);
  refresh().then(routeHash);
  schedule();
});
