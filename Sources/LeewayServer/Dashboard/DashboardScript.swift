/// The dashboard's script (`GET /dashboard.js`): plain JavaScript, no framework, no build step.
enum DashboardScript {
    static let js = #"""
"use strict";
// Leeway live risk dashboard: polls the aggregate endpoints and follows the WebSocket stream.
// Amounts arrive as exact decimal strings; they are only rounded for display here.
(() => {
  const PHASES = ["healthy", "warning", "margin_call", "deleveraging", "liquidated", "bankrupt"];
  const EVENT_TYPES = ["margin_call", "cured", "warning", "warning_cleared", "auto_topup", "deleveraging_started",
    "liquidation_fill", "liquidated", "bankrupt", "adl_fill", "alert", "rejected"];
  const PHASE_COLOURS = { healthy: "#3fb950", warning: "#d29922", margin_call: "#f0883e", deleveraging: "#f85149", liquidated: "#a371f7", bankrupt: "#ff7bba" };
  const FEED_KEEP = 5000, FEED_SHOW = 200, SERIES_KEEP = 3600, MARKERS_KEEP = 4000;
  const $ = (id) => document.getElementById(id);
  const state = {
    key: sessionStorage.getItem("leeway.key") || "",
    offsetMs: 0,            // server clock − browser clock, from each overview
    scope: "venue",
    lastSeq: null,          // last event seq received (resume point)
    events: [], feedDirty: true, received: [],
    history: [], historyAfter: 0,
    phaseSeries: [],        // for a trader key: its own counts, sampled by the page
    markers: {},            // market → [{ts, price, notional}] of liquidation fills
    markets: [], selectedAccount: null, socket: null, retryMs: 500, needKey: false,
  };

  // ---- formatting (display only) ----
  const num = (s) => (s === null || s === undefined ? NaN : Number(s));
  function fmt(s, digits = 2) {
    const v = num(s);
    if (!isFinite(v)) return s === null || s === undefined ? "–" : String(s);
    return v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }
  function fmtCompact(v) {
    const a = Math.abs(v);
    if (a >= 1e9) return (v / 1e9).toFixed(2) + "B";
    if (a >= 1e6) return (v / 1e6).toFixed(2) + "M";
    if (a >= 1e3) return (v / 1e3).toFixed(1) + "k";
    return v.toFixed(a < 10 ? 2 : 0);
  }
  const fmtTime = (ms) => new Date(ms).toISOString().slice(11, 19);
  function fmtDuration(ms) {
    if (ms <= 0) return "due";
    const s = Math.ceil(ms / 1000), m = Math.floor(s / 60);
    return m > 0 ? `${m}:${String(s % 60).padStart(2, "0")}` : `${s}s`;
  }
  const serverNow = () => Date.now() + state.offsetMs;
  function el(tag, attrs = {}, children = []) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "text") node.textContent = v; else if (k === "class") node.className = v; else node.setAttribute(k, v);
    }
    for (const child of children) node.append(child);
    return node;
  }
  const svgEl = (tag, attrs = {}) => {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    return node;
  };

  // ---- API ----
  async function api(path) {
    const headers = state.key ? { Authorization: "Bearer " + state.key } : {};
    const response = await fetch(path, { headers, cache: "no-store" });
    const body = await response.json().catch(() => ({}));
    if (response.status === 401) { askKey("This server has API keys configured: enter yours (a trader key shows only its own accounts)."); throw new ApiError(401, body); }
    if (!response.ok) throw new ApiError(response.status, body);
    return body;
  }
  class ApiError extends Error {
    constructor(status, body) { super(body && body.error ? body.error.message : "HTTP " + status); this.status = status; this.code = body && body.error ? body.error.code : ""; }
  }
  function askKey(reason) {
    state.needKey = true;
    $("key-reason").textContent = reason;
    const dialog = $("key-dialog");
    if (!dialog.open) dialog.showModal();
  }
  function useKey(key) {
    state.key = key;
    if (key) sessionStorage.setItem("leeway.key", key); else sessionStorage.removeItem("leeway.key");
    state.events = []; state.lastSeq = null; state.history = []; state.historyAfter = 0; state.phaseSeries = []; state.markers = {};
    state.feedDirty = true; state.needKey = false;
    // Forget the old socket first, so its close does not schedule a reconnect beside the new one.
    const old = state.socket;
    state.socket = null;
    if (old) old.close(1000);
    closeAccount();
    refreshOverview().then(() => connect());
  }

  // ---- overview: counts, funds, at-risk list, markets and policies ----
  async function refreshOverview() {
    let overview;
    try { overview = await api("/v1/dashboard/overview?limit=50"); } catch (error) { return; }
    state.offsetMs = overview.now - Date.now();
    state.scope = overview.scope;
    $("scope").textContent = overview.scope === "own_accounts" ? "your accounts only" : "";
    $("clock").textContent = overview.clock ? fmtTime(overview.clock) : "–";
    $("records").textContent = overview.records.toLocaleString("en-US");
    $("accounts").textContent = overview.accounts.toLocaleString("en-US");
    $("with-positions").textContent = overview.accounts_with_positions.toLocaleString("en-US");
    $("at-risk-count").textContent = overview.accounts_at_risk.toLocaleString("en-US");
    const chips = $("phase-chips");
    chips.replaceChildren(...PHASES.map((p) => el("span", { class: "chip " + p, "data-phase": p, text: `${p.replace("_", " ")} ${overview.phases[p].toLocaleString("en-US")}` })));
    const funds = Object.entries(overview.insurance_funds);
    if (funds.length) { $("fund").textContent = fmt(funds[0][1]); $("fund-asset").textContent = funds.map(([a]) => a).join(", "); }
    renderAtRisk(overview.at_risk);
    if (state.lastSeq === null) state.lastSeq = overview.scope === "own_accounts" ? 0 : Math.max(0, overview.last_event - 300);
    if (overview.scope === "own_accounts") {
      state.phaseSeries.push({ ts: overview.now, phases: overview.phases });
      if (state.phaseSeries.length > SERIES_KEEP) state.phaseSeries.shift();
    }
  }

  function renderAtRisk(rows) {
    const body = $("at-risk").tBodies[0];
    body.replaceChildren(...rows.map((row) => {
      const due = row.deadline ?? row.next_step;
      const countdown = el("td", { class: "num countdown", text: "–" });
      if (due !== null && due !== undefined) { countdown.dataset.due = String(due); countdown.dataset.kind = row.deadline !== null ? "grace" : "step"; }
      const tr = el("tr", { "data-account": row.account, "data-phase": row.phase }, [
        el("td", { text: row.account }),
        el("td", {}, [el("span", { class: "phase " + row.phase, text: row.phase.replace("_", " ") })]),
        el("td", { class: "num", text: row.margin_ratio === null ? "∞ (equity ≤ 0)" : fmt(row.margin_ratio, 3) }),
        el("td", { class: "num", text: fmt(row.equity) }),
        el("td", { class: "num", text: fmt(row.maintenance) }),
        el("td", { class: "num", text: fmt(row.distance_to_margin_call) }),
        el("td", { class: "num", text: fmt(row.distance_to_liquidation) }),
        countdown,
      ]);
      tr.addEventListener("click", () => openAccount(row.account));
      return tr;
    }));
    $("at-risk-note").textContent = rows.length ? `the ${rows.length} accounts with positions with the highest margin ratio` : "no open positions";
    tickCountdowns();
  }

  // Live countdowns: the deadline is in server time, so it is compared with the server's clock.
  function tickCountdowns() {
    const now = serverNow();
    for (const cell of document.querySelectorAll(".countdown[data-due]")) {
      const left = Number(cell.dataset.due) - now;
      cell.textContent = (cell.dataset.kind === "step" ? "step " : "") + fmtDuration(left);
      cell.dataset.remainingMs = String(Math.max(0, Math.round(left)));
      cell.classList.toggle("urgent", left < 5000);
    }
  }

  // ---- event stream (WebSocket, resumed with after= on reconnect) ----
  function connect() {
    if (state.needKey) return;
    const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/v1/stream?after=${state.lastSeq ?? 0}`;
    const protocols = state.key ? ["leeway.v1", "leeway.key." + btoa(unescape(encodeURIComponent(state.key))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")] : undefined;
    const socket = protocols ? new WebSocket(url, protocols) : new WebSocket(url);
    state.socket = socket;
    socket.onopen = () => { state.retryMs = 500; setConnection(true); };
    socket.onmessage = (message) => {
      const event = JSON.parse(message.data);
      if (state.lastSeq !== null && event.seq <= state.lastSeq) return;
      state.lastSeq = event.seq;
      state.events.push(event);
      if (state.events.length > FEED_KEEP) state.events.splice(0, state.events.length - FEED_KEEP);
      state.received.push(Date.now());
      if (event.type === "liquidation_fill") {
        const list = state.markers[event.market] || (state.markers[event.market] = []);
        list.push({ ts: event.ts, price: num(event.price), notional: Math.abs(num(event.size) * num(event.price)) });
        if (list.length > MARKERS_KEEP) list.shift();
      }
      state.feedDirty = true;
      if (state.selectedAccount && event.account === state.selectedAccount) scheduleAccountRefresh();
    };
    socket.onclose = (close) => {
      if (state.socket !== socket) return;
      setConnection(false);
      // 4001: this subscriber fell behind; the reason names the last seq it was sent.
      if (close.code === 4001) { try { state.lastSeq = JSON.parse(close.reason).last_seq; } catch (e) { /* keep lastSeq */ } }
      setTimeout(connect, state.retryMs);
      state.retryMs = Math.min(state.retryMs * 2, 5000);
    };
  }
  function setConnection(live) {
    const pill = $("connection");
    pill.textContent = live ? "live" : "reconnecting…";
    pill.className = "pill " + (live ? "on" : "off");
  }

  function eventSummary(e) {
    switch (e.type) {
      case "margin_call": return `equity ${fmt(e.equity)} MM ${fmt(e.maintenance)} grace ${fmtDuration(e.grace_ms)}`;
      case "warning": case "warning_cleared": case "cured": return `equity ${fmt(e.equity)} MM ${fmt(e.maintenance)}`;
      case "liquidation_fill": return `${e.market} ${e.size} @ ${fmt(e.price)} fee ${fmt(e.fee)} (${e.reason})`;
      case "adl_fill": return `${e.market} ${e.size} @ ${fmt(e.price)} paid ${fmt(e.amount)}`;
      case "bankrupt": return `deficit ${fmt(e.deficit)} fund ${fmt(e.insurance_paid)} ADL ${fmt(e.adl_recovered)} ${e.asset}`;
      case "auto_topup": return `${fmt(e.amount)} ${e.asset}`;
      case "alert": case "rejected": return `${e.code}: ${e.message}`;
      default: return "";
    }
  }
  function renderFeed() {
    const now = Date.now();
    state.received = state.received.filter((t) => now - t < 5000);
    $("feed-rate").textContent = `${(state.received.length / 5).toFixed(1)} events/s`;
    if (!state.feedDirty || $("feed-pause").checked) return;
    state.feedDirty = false;
    const type = $("feed-type").value, account = $("feed-account").value.trim();
    const shown = [];
    for (let i = state.events.length - 1; i >= 0 && shown.length < FEED_SHOW; i--) {
      const e = state.events[i];
      if (type && e.type !== type) continue;
      if (account && e.account !== account) continue;
      shown.push(e);
    }
    $("feed").replaceChildren(...shown.map((e) => {
      const li = el("li", { "data-seq": String(e.seq), "data-type": e.type, title: JSON.stringify(e) }, [
        el("span", { class: "seq", text: "#" + e.seq }), " ", el("span", { text: fmtTime(e.ts) }), " ",
        el("span", { class: "type " + e.type, text: e.type }), " ", el("b", { text: e.account || "" }), " ", el("span", { class: "subtle", text: eventSummary(e) }),
      ]);
      if (e.account) li.addEventListener("click", () => openAccount(e.account));
      return li;
    }));
  }

  // ---- history: insurance fund and phases over time, marks ----
  async function refreshHistory() {
    let history;
    try { history = await api(`/v1/dashboard/history?after=${state.historyAfter}`); } catch (error) { return; }
    for (const sample of history.samples) {
      state.history.push(sample);
      state.historyAfter = sample.ts;
    }
    if (state.history.length > SERIES_KEEP) state.history.splice(0, state.history.length - SERIES_KEEP);
    drawFund();
    drawPhases();
    for (const market of state.markets) drawMark(market.market);
  }

  // At most two points (the lowest and highest) per pixel column: a long series costs what the width does.
  function thin(points, sx) {
    if (points.length <= 1200) return points;
    const out = [];
    let column = null, low = null, high = null;
    const flush = () => { if (low) { if (low[0] <= high[0]) out.push(low, high); else out.push(high, low); } };
    for (const p of points) {
      const c = Math.round(sx(p[0]));
      if (c !== column) { flush(); column = c; low = high = p; }
      else { if (p[1] < low[1]) low = p; if (p[1] > high[1]) high = p; }
    }
    flush();
    return out;
  }

  function lineChart(svg, series, options = {}) {
    const W = 600, H = 220, L = 62, R = 10, T = 10, B = 24;
    svg.replaceChildren();
    // A sample from before a value existed (e.g. the fund before the venue's set-up) is skipped.
    series = series.map((s) => ({ ...s, points: s.points.filter((p) => isFinite(p[0]) && isFinite(p[1])) }));
    const points = series.flatMap((s) => s.points);
    if (!points.length) { svg.append(svgEl("text", { x: W / 2, y: H / 2, "text-anchor": "middle" })); svg.lastChild.textContent = "no data yet"; return null; }
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (const [x, y] of points) { if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y; }
    if (options.yMin !== undefined) y0 = options.yMin;
    for (const extra of options.extraY || []) { if (extra < y0) y0 = extra; if (extra > y1) y1 = extra; }
    if (x1 === x0) x1 = x0 + 1000;
    if (y1 === y0) { y1 = y0 + Math.max(1, Math.abs(y0) * 0.01); y0 = y0 - Math.max(1, Math.abs(y0) * 0.01); }
    const pad = (y1 - y0) * 0.05; y0 -= options.yMin === undefined ? pad : 0; y1 += pad;
    const sx = (x) => L + ((x - x0) / (x1 - x0)) * (W - L - R), sy = (y) => H - B - ((y - y0) / (y1 - y0)) * (H - T - B);
    svg.append(svgEl("line", { class: "axis", x1: L, y1: H - B, x2: W - R, y2: H - B }), svgEl("line", { class: "axis", x1: L, y1: T, x2: L, y2: H - B }));
    for (const [y, anchor] of [[y1, T + 10], [y0, H - B]]) { const t = svgEl("text", { x: L - 4, y: anchor, "text-anchor": "end" }); t.textContent = fmtCompact(y); svg.append(t); }
    for (const [x, a] of [[x0, "start"], [x1, "end"]]) { const t = svgEl("text", { x: sx(x), y: H - 6, "text-anchor": a }); t.textContent = fmtTime(x); svg.append(t); }
    for (const s of series) {
      if (!s.points.length) continue;
      const d = thin(s.points, sx).map((p, i) => `${i ? "L" : "M"}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join("");
      svg.append(svgEl("path", { d, fill: "none", stroke: s.colour, "stroke-width": 1.6 }));
    }
    return { sx, sy, x0, x1, y0, y1 };
  }

  function drawFund() {
    const asset = Object.keys(state.history.at(-1)?.insurance_funds || {})[0];
    const points = asset ? state.history.map((s) => [s.ts, num(s.insurance_funds[asset])]) : [];
    lineChart($("fund-chart"), [{ points, colour: "#4aa3ff" }]);
  }

  function drawPhases() {
    const samples = state.scope === "own_accounts" ? state.phaseSeries : state.history.filter((s) => s.phases);
    const shown = PHASES.filter((p) => p !== "healthy");
    lineChart($("phase-chart"), shown.map((p) => ({ points: samples.map((s) => [s.ts, s.phases[p]]), colour: PHASE_COLOURS[p] })), { yMin: 0 });
    const last = samples.at(-1);
    $("phase-legend").replaceChildren(...PHASES.map((p) => {
      const span = el("span", { text: `${p.replace("_", " ")} ${last ? last.phases[p].toLocaleString("en-US") : "–"}` });
      span.style.color = PHASE_COLOURS[p];
      return span;
    }));
  }

  // ---- markets: mark with liquidation markers, liquidation map, policy ----
  function renderMarkets() {
    const container = $("markets");
    for (const market of state.markets) {
      const id = "market-" + market.market.replace(/[^A-Za-z0-9_-]/g, "_");
      let section = document.getElementById(id);
      if (!section) {
        section = el("div", { id, class: "market", "data-market": market.market }, [
          el("div", { class: "panel" }, [el("h2", { text: `${market.market} mark ` }, [el("span", { class: "subtle mark-value" })]),
            svgEl("svg", { class: "chart mark-chart", viewBox: "0 0 600 220", role: "img" }),
            el("div", { class: "legend" }, [el("span", { class: "mark-legend", text: "mark" }), el("span", { class: "liq-legend", text: "liquidation fills (size ∝ notional)" })])]),
          el("div", { class: "panel" }, [el("h2", { text: "Liquidation map " }, [el("span", { class: "subtle", text: "notional liquidated at each price level, from every position's liquidation price" })]),
            svgEl("svg", { class: "chart liq-map", viewBox: "0 0 600 220", role: "img" }),
            el("div", { class: "legend" }, [el("span", { class: "long-legend", text: "longs" }), el("span", { class: "short-legend", text: "shorts" }), el("span", { class: "map-note subtle" })])]),
          el("div", { class: "panel" }, [el("h2", { text: "Policy in force " }, [el("span", { class: "subtle policy-scope" })]), el("table", { class: "kv policy" })]),
        ]);
        section.querySelector(".mark-legend").style.color = "#4aa3ff";
        section.querySelector(".liq-legend").style.color = "#f85149";
        section.querySelector(".long-legend").style.color = "#f85149";
        section.querySelector(".short-legend").style.color = "#39c5cf";
        container.append(section);
      }
      section.querySelector(".mark-value").textContent = market.mark === null ? "no mark yet" : fmt(market.mark);
      section.querySelector(".policy-scope").textContent = market.policy_scope === "market" ? `(${market.market}'s own)` : "(global)";
      const rows = Object.entries(market.policy).filter(([k]) => k !== "type").map(([k, v]) =>
        el("tr", {}, [el("td", { text: k }), el("td", { text: typeof v === "object" ? JSON.stringify(v) : String(v) })]));
      section.querySelector(".policy").replaceChildren(...rows);
    }
  }

  function drawMark(marketId) {
    const section = document.querySelector(`.market[data-market="${CSS.escape(marketId)}"]`);
    if (!section) return;
    const points = state.history.filter((s) => s.marks[marketId] !== null && s.marks[marketId] !== undefined).map((s) => [s.ts, num(s.marks[marketId])]);
    const from = points.length ? points[0][0] : 0;
    const markers = (state.markers[marketId] || []).filter((m) => m.ts >= from);
    const svg = section.querySelector(".mark-chart");
    const scale = lineChart(svg, [{ points, colour: "#4aa3ff" }], { extraY: markers.map((m) => m.price) });
    if (!scale) return;
    // Fills close in time and price share one marker (a cell of 4 × 4 px), sized by their notional.
    const cells = new Map();
    for (const m of markers) {
      const x = scale.sx(Math.min(Math.max(m.ts, scale.x0), scale.x1)), y = scale.sy(m.price);
      const key = `${Math.round(x / 4)}:${Math.round(y / 4)}`;
      const cell = cells.get(key) || { x, y, notional: 0 };
      cell.notional += m.notional;
      cells.set(key, cell);
    }
    let biggest = 1;
    for (const cell of cells.values()) biggest = Math.max(biggest, cell.notional);
    for (const cell of cells.values()) {
      svg.append(svgEl("circle", { cx: cell.x, cy: cell.y, r: 1.5 + 5 * Math.sqrt(cell.notional / biggest), fill: "#f85149", "fill-opacity": 0.55, class: "liq-marker" }));
    }
  }

  // Markets (marks, policies) and their liquidation maps.
  async function refreshMarkets() {
    try { state.markets = (await api("/v1/markets")).markets; } catch (error) { return; }
    renderMarkets();
    for (const market of state.markets) {
      let map;
      try { map = await api(`/v1/markets/${encodeURIComponent(market.market)}/liquidation-map?bins=60`); } catch (error) { continue; }
      drawMap(market.market, map);
    }
  }

  function drawMap(marketId, map) {
    const section = document.querySelector(`.market[data-market="${CSS.escape(marketId)}"]`);
    if (!section) return;
    const svg = section.querySelector(".liq-map");
    svg.replaceChildren();
    const W = 600, H = 220, L = 62, R = 10, T = 10, B = 24, mid = T + (H - T - B) / 2;
    const longs = map.bins.map((b) => num(b.long_notional)), shorts = map.bins.map((b) => num(b.short_notional));
    const top = Math.max(1, ...longs, ...shorts);
    const low = num(map.low), high = num(map.high), width = (W - L - R) / map.bins.length;
    const sx = (price) => L + ((price - low) / (high - low)) * (W - L - R);
    svg.append(svgEl("line", { class: "axis", x1: L, y1: mid, x2: W - R, y2: mid }));
    map.bins.forEach((bin, i) => {
      const x = L + i * width, hl = (longs[i] / top) * (mid - T), hs = (shorts[i] / top) * (H - B - mid);
      if (hl > 0) svg.append(svgEl("rect", { x: x + 0.5, y: mid - hl, width: Math.max(width - 1, 1), height: hl, fill: "#f85149", class: "bin long", "data-from": bin.from }));
      if (hs > 0) svg.append(svgEl("rect", { x: x + 0.5, y: mid, width: Math.max(width - 1, 1), height: hs, fill: "#39c5cf", class: "bin short", "data-from": bin.from }));
    });
    if (map.mark !== null) {
      const x = sx(num(map.mark));
      svg.append(svgEl("line", { x1: x, y1: T, x2: x, y2: H - B, stroke: "#d8dee6", "stroke-dasharray": "4 3" }));
      const t = svgEl("text", { x: x + 3, y: T + 10 }); t.textContent = "mark " + fmt(map.mark); svg.append(t);
    }
    for (const [price, anchor] of [[low, "start"], [high, "end"]]) { const t = svgEl("text", { x: sx(price), y: H - 6, "text-anchor": anchor }); t.textContent = fmt(price); svg.append(t); }
    const tTop = svgEl("text", { x: L - 4, y: T + 10, "text-anchor": "end" }); tTop.textContent = fmtCompact(top); svg.append(tTop);
    section.querySelector(".map-note").textContent = `${map.outside_positions} positions outside the range, ${map.unliquidatable_positions} cannot be liquidated`;
  }

  // ---- account view and what-if ----
  let accountTimer = null;
  function scheduleAccountRefresh() { if (!accountTimer) accountTimer = setTimeout(() => { accountTimer = null; loadAccount(); }, 300); }
  function openAccount(id) {
    state.selectedAccount = id;
    $("account-panel").hidden = false;
    $("account-id").textContent = id;
    $("what-if-result").hidden = true;
    $("what-if-error").hidden = true;
    loadAccount().then(() => $("account-panel").scrollIntoView({ behavior: "smooth", block: "start" }));
  }
  function closeAccount() { state.selectedAccount = null; $("account-panel").hidden = true; }
  function reportRows(table, report) {
    const rows = [["phase", report.phase], ["equity", fmt(report.equity)], ["initial margin", fmt(report.initial)], ["maintenance margin", fmt(report.maintenance)],
      ["margin ratio", report.margin_ratio === null ? "∞ (equity ≤ 0)" : fmt(report.margin_ratio, 4)], ["free collateral", fmt(report.free_collateral)],
      ["distance to margin call", fmt(report.distance_to_margin_call)], ["distance to bankruptcy", fmt(report.distance_to_bankruptcy)],
      ["deposit that cures", fmt(report.deposit_to_cure)],
      ["grace deadline", report.deadline === null ? "–" : `${fmtTime(report.deadline)} (in ${fmtDuration(report.deadline - serverNow())})`],
      ["next step", report.next_step === null ? "–" : fmtTime(report.next_step)],
      ["balances", Object.entries(report.balances).map(([a, v]) => `${fmt(v)} ${a}`).join(", ") || "–"]];
    table.replaceChildren(...rows.map(([k, v]) => el("tr", { "data-field": k }, [el("td", { text: k }), el("td", { class: "num", text: v })])));
  }
  async function loadAccount() {
    const id = state.selectedAccount;
    if (!id) return;
    const error = $("account-error");
    let report;
    try { report = await api(`/v1/accounts/${encodeURIComponent(id)}`); } catch (e) {
      error.hidden = false;
      error.textContent = e.status === 403 ? `This key may not read account ${id}.` : e.message;
      $("account-report").replaceChildren(); $("account-positions").tBodies[0].replaceChildren(); $("account-phase").textContent = "";
      return;
    }
    if (state.selectedAccount !== id) return;
    error.hidden = true;
    const phase = $("account-phase");
    phase.textContent = report.phase.replace("_", " "); phase.className = "phase " + report.phase;
    reportRows($("account-report"), report);
    $("account-positions").tBodies[0].replaceChildren(...report.positions.map((p) => el("tr", {}, [
      el("td", { text: p.market }), el("td", { class: "num", text: p.size }), el("td", { class: "num", text: fmt(p.entry_price) }), el("td", { class: "num", text: fmt(p.mark_price) }),
      el("td", { class: "num", text: fmt(p.notional) }), el("td", { class: "num", text: fmt(p.unrealized_pnl) }), el("td", { class: "num", text: fmt(p.maintenance) }),
      el("td", { class: "num", text: fmt(p.liquidation_price) }), el("td", { class: "num", text: fmt(p.bankruptcy_price) })])));
    const select = $("what-if-market");
    const chosen = select.value;
    select.replaceChildren(...report.positions.map((p) => el("option", { value: p.market, text: p.market })));
    if (chosen) select.value = chosen;
    if (!$("what-if-deposit").value && num(report.deposit_to_cure) > 0) $("what-if-deposit").placeholder = `cures at ${fmt(report.deposit_to_cure)}`;
  }
  async function whatIf(submit) {
    submit.preventDefault();
    const id = state.selectedAccount;
    const deposit = $("what-if-deposit").value.trim(), reduce = $("what-if-reduce").value.trim(), market = $("what-if-market").value;
    const query = new URLSearchParams();
    if (deposit) query.set("deposit", deposit);
    if (reduce && market) query.set("reduce", `${market}:${reduce}`);
    const error = $("what-if-error");
    try {
      const report = await api(`/v1/accounts/${encodeURIComponent(id)}/what-if?${query}`);
      error.hidden = true;
      reportRows($("what-if-report"), report);
      $("what-if-result").hidden = false;
    } catch (e) {
      $("what-if-result").hidden = true;
      error.hidden = false;
      error.textContent = `${e.code ? e.code + ": " : ""}${e.message}`;
    }
  }

  // ---- start ----
  function start() {
    for (const type of EVENT_TYPES) $("feed-type").append(el("option", { value: type, text: type }));
    $("feed-type").addEventListener("change", () => { state.feedDirty = true; renderFeed(); });
    $("feed-account").addEventListener("input", () => { state.feedDirty = true; renderFeed(); });
    $("feed-pause").addEventListener("change", () => { state.feedDirty = true; });
    $("key-button").addEventListener("click", () => askKey("Enter an API key (a trader key shows only its own accounts)."));
    $("key-form").addEventListener("submit", () => useKey($("key-input").value.trim()));
    $("key-clear").addEventListener("click", () => { $("key-input").value = ""; $("key-dialog").close(); useKey(""); });
    $("account-close").addEventListener("click", closeAccount);
    $("open-form").addEventListener("submit", (submit) => { submit.preventDefault(); const id = $("open-account").value.trim(); if (id) openAccount(id); });
    $("what-if-form").addEventListener("submit", whatIf);
    const loop = (fn, ms) => { const run = async () => { try { await fn(); } finally { setTimeout(run, ms); } }; run(); };
    refreshOverview().then(() => {
      connect();
      loop(refreshOverview, 1000);
      loop(refreshHistory, 1000);
      loop(refreshMarkets, 2000);
      loop(async () => { if (state.selectedAccount) await loadAccount(); }, 2000);
    });
    setInterval(tickCountdowns, 200);
    setInterval(renderFeed, 150);
  }
  document.addEventListener("DOMContentLoaded", start);
})();
"""#
}
