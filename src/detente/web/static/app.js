/* detente dashboard: plain JS over the REST API (relative URLs, so it also works behind a path prefix).
 * Untrusted text (articles, names) only ever goes into the page through textContent, never innerHTML. */
"use strict";

const QUADS = {
  1: ["verbal cooperation", "var(--q1)", "#3b82c4"],
  2: ["material cooperation", "var(--q2)", "#2a9d5c"],
  3: ["verbal conflict", "var(--q3)", "#e69a28"],
  4: ["material conflict", "var(--q4)", "#c8362b"],
  0: ["no quad class", "var(--q0)", "#8a8a8a"],
};
const PAGE = 100;
const MAP_LIMIT = 2000;       // GET /api/events allows up to 5000
const INCIDENT_LIMIT = 1000;  // GET /api/incidents allows up to 1000
const SVG_NS = "http://www.w3.org/2000/svg";

const state = { filters: {}, offset: 0, selected: null, markers: null, map: null };

// --- small helpers -----------------------------------------------------------------------------------------------
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "style") node.style.cssText = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}
function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}
function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== "" && v !== null && v !== undefined && v !== false) q.set(k, v);
  const s = q.toString();
  return s ? "?" + s : "";
}
async function api(path, params = {}) {
  const res = await fetch("api/" + path + query(params), { headers: { Accept: "application/json" } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const detail = Array.isArray(body.detail) ? body.detail.map((d) => d.msg).join("; ") : body.detail;
    throw new Error(detail || res.statusText);
  }
  return body;
}
const label = (e) => (e ? e.name || e.text : "");
const names = (list) => (list || []).map(label).join(", ");
const killed = (ev) => (ev.toll && ev.toll.killed && ev.toll.killed.best != null ? ev.toll.killed.best : null);
const quadColor = (q) => QUADS[q || 0][2];
function fail(target, err) {
  target.replaceChildren(el("div", { class: "error" }, "Error: " + err.message));
}
function dot(q) { return el("span", { class: "q", style: "background:" + QUADS[q || 0][1] }); }
function dyadText(ev) {
  const a = names(ev.actor) || "?";
  const r = names(ev.recipient);
  return r ? a + " → " + r : a;
}

// --- summary -----------------------------------------------------------------------------------------------------
async function loadSummary() {
  const box = document.getElementById("summary");
  try {
    const s = await api("stats");
    const range = s.first_date ? `${s.first_date} … ${s.last_date}` : "no dated events";
    box.textContent = `${s.articles} articles · ${s.events} events · ${s.canonical_events} linked · ${range}`;
    const dl = document.getElementById("types");
    dl.replaceChildren(...Object.keys(s.events_by_type || {}).map((t) => el("option", { value: t })));
  } catch (err) {
    box.textContent = "store unavailable: " + err.message;
  }
}

// --- map -----------------------------------------------------------------------------------------------------------
async function initMap() {
  const map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 10, zoomSnap: 0.5 }).setView([25, 30], 2);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Natural Earth");
  state.map = map;
  state.markers = L.layerGroup().addTo(map);
  try {
    const res = await fetch("static/vendor/world-atlas/countries-50m.json");
    const topo = await res.json();
    const land = topojson.feature(topo, topo.objects.countries);
    // Antarctica (ISO numeric 010) stretches to the pole, which Web Mercator cannot draw.
    land.features = land.features.filter((f) => f.id !== "010");
    L.geoJSON(land, {
      style: { color: "#9aa4b2", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 },
      interactive: false,
    }).addTo(map);
    state.markers.bringToFront && state.markers.eachLayer((m) => m.bringToFront());
  } catch (err) {
    document.getElementById("map-note").textContent = "(country outlines failed to load: " + err.message + ")";
  }
  const legend = document.getElementById("legend");
  for (const q of [1, 2, 3, 4]) legend.append(el("span", {}, el("i", { style: "background:" + QUADS[q][1] }), QUADS[q][0]));
  legend.append(el("span", {}, "circle size: fatalities"));
  legend.append(el("span", {}, el("i", { class: "incident" }), "disaster or accident (not an event)"));
}

function radius(ev) {
  const k = killed(ev) || 0;
  return 4 + 3 * Math.sqrt(Math.min(k, 400));
}

async function loadMap() {
  const note = document.getElementById("map-note");
  state.markers.clearLayers();
  try {
    const page = await api("events", { ...state.filters, limit: MAP_LIMIT });
    let placed = 0;
    for (const ev of page.events) {
      const loc = ev.location;
      if (!loc || loc.lat == null || loc.lon == null) continue;
      placed += 1;
      const color = quadColor(ev.quad_class);
      const m = L.circleMarker([loc.lat, loc.lon], {
        radius: radius(ev), color, weight: 1, fillColor: color, fillOpacity: 0.55,
      });
      const k = killed(ev);
      m.bindTooltip(`${ev.date ? shownDate(ev) : "undated"} ${ev.event_type} — ${loc.name}${k ? ` (${k} killed)` : ""}`);
      m.on("click", () => showEvent(ev));
      state.markers.addLayer(m);
    }
    note.textContent = `${placed} of ${page.events.length}${page.more ? "+" : ""} events have a place`;
    placed += await loadIncidents(note);
    if (placed) state.map.fitBounds(L.featureGroup(state.markers.getLayers()).getBounds(), { padding: [30, 30], maxZoom: 6 });
  } catch (err) {
    note.textContent = "(" + err.message + ")";
  }
}

// Disasters and accidents the articles report (GET /api/incidents): context beside the events, drawn as grey rings.
// They have no actor or event type, so an actor, type or text filter hides them.
async function loadIncidents(note) {
  const f = state.filters;
  if (f.actor || f.type || f.text) return 0;
  let placed = 0;
  try {
    const rows = await api("incidents", { country: f.country, since: f.since, until: f.until, limit: INCIDENT_LIMIT });
    for (const x of rows) {
      const loc = x.location;
      if (!loc || loc.lat == null || loc.lon == null) continue;
      placed += 1;
      const k = x.toll && x.toll.killed && x.toll.killed.best != null ? x.toll.killed.best : 0;
      const m = L.circleMarker([loc.lat, loc.lon], {
        radius: 4 + 3 * Math.sqrt(Math.min(k, 400)), color: "#6b7280", weight: 2, dashArray: "3 3", fill: false,
      });
      m.bindTooltip(`${x.date || "undated"} ${x.kind.replace(/_/g, " ")}: ${x.hazard} — ${loc.name}` +
                    `${k ? ` (${k} killed)` : ""}`);
      state.markers.addLayer(m);
    }
    if (rows.length) note.textContent += ` · ${placed} of ${rows.length}${rows.length === INCIDENT_LIMIT ? "+" : ""} disasters or accidents placed`;
  } catch (err) {
    note.textContent += " (disasters: " + err.message + ")";
  }
  return placed;
}

// --- charts (hand-written SVG) -------------------------------------------------------------------------------------
function days(first, last) {
  const out = [];
  const d = new Date(first + "T00:00:00Z");
  const end = new Date(last + "T00:00:00Z");
  while (d <= end && out.length < 5000) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

/* Stacked bars: rows = [{date, values: {key: n}}]; up = keys stacked above the axis, down = keys below it. */
function barChart(target, rows, up, down = [], height = 160) {
  target.replaceChildren();
  if (!rows.length) {
    target.append(el("div", { class: "empty" }, "no dated events"));
    return;
  }
  const width = Math.max(target.clientWidth || 600, 300);
  const pad = { l: 30, r: 8, t: 8, b: 18 };
  const sum = (r, keys) => keys.reduce((s, k) => s + (r.values[k] || 0), 0);
  const maxUp = Math.max(1, ...rows.map((r) => sum(r, up)));
  const maxDown = down.length ? Math.max(1, ...rows.map((r) => sum(r, down))) : 0;
  const innerH = height - pad.t - pad.b;
  const scale = innerH / (maxUp + maxDown);
  const zero = pad.t + maxUp * scale;
  const bw = (width - pad.l - pad.r) / rows.length;
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, height, role: "img" });
  rows.forEach((r, i) => {
    const x = pad.l + i * bw;
    let y = zero;
    for (const k of up) {
      const h = (r.values[k] || 0) * scale;
      if (!h) continue;
      y -= h;
      root.append(svg("rect", { x, y, width: Math.max(bw - 1, 1), height: h, fill: r.colors[k] }));
    }
    y = zero;
    for (const k of down) {
      const h = (r.values[k] || 0) * scale;
      if (!h) continue;
      root.append(svg("rect", { x, y, width: Math.max(bw - 1, 1), height: h, fill: r.colors[k] }));
      y += h;
    }
    const hit = svg("rect", { x, y: pad.t, width: Math.max(bw, 1), height: innerH, fill: "transparent" });
    const title = svg("title");
    title.textContent = r.date + ": " + Object.entries(r.values).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(", ");
    hit.append(title);
    root.append(hit);
  });
  root.append(svg("line", { class: "axis", x1: pad.l, x2: width - pad.r, y1: zero, y2: zero }));
  const text = (x, y, s, anchor = "start") => {
    const t = svg("text", { x, y, "text-anchor": anchor });
    t.textContent = s;
    root.append(t);
  };
  text(pad.l - 4, pad.t + 8, String(maxUp), "end");
  if (down.length) text(pad.l - 4, height - pad.b, String(maxDown), "end");
  text(pad.l, height - 4, rows[0].date);
  if (rows.length > 1) text(width - pad.r, height - 4, rows[rows.length - 1].date, "end");
  target.append(root);
}

async function loadTimeline() {
  const box = document.getElementById("timeline");
  try {
    const t = await api("timeline", state.filters);
    const byDay = new Map(t.points.map((p) => [p.date, p]));
    const rows = t.points.length
      ? days(t.points[0].date, t.points[t.points.length - 1].date).map((d) => {
          const p = byDay.get(d) || {};
          return {
            date: d,
            values: { "material conflict": p.q4 || 0, "verbal conflict": p.q3 || 0, "material coop": p.q2 || 0,
                      "verbal coop": p.q1 || 0, "no quad": p.unknown || 0 },
            colors: { "material conflict": QUADS[4][2], "verbal conflict": QUADS[3][2], "material coop": QUADS[2][2],
                      "verbal coop": QUADS[1][2], "no quad": QUADS[0][2] },
          };
        })
      : [];
    barChart(box, rows, ["material conflict", "verbal conflict", "material coop", "verbal coop", "no quad"]);
  } catch (err) {
    fail(box, err);
  }
}

// --- event list ----------------------------------------------------------------------------------------------------
// A date as precise as it is known: a month-precision event is "2024-01", not the 1st of January.
function shownDate(ev) {
  if (!ev.date) return "—";
  if (ev.date_precision === "year") return ev.date.slice(0, 4);
  if (ev.date_precision === "month") return ev.date.slice(0, 7);
  return ev.date;
}

function eventRow(ev, onclick) {
  const loc = ev.location;
  const row = el("tr", { "data-id": ev.id, onclick },
    el("td", { title: ev.date_precision ? `${ev.date_precision} precision` : "" }, shownDate(ev)),
    el("td", {}, dot(ev.quad_class), ev.event_type, ev.modality !== "asserted" ? el("small", { class: "modality" }, ev.modality) : ""),
    el("td", {}, dyadText(ev)),
    el("td", {}, loc ? loc.name + (loc.country ? ", " + loc.country : "") : ""),
    el("td", {}, killed(ev) ?? ""));
  return row;
}

async function loadEvents() {
  const body = document.querySelector("#events tbody");
  const note = document.getElementById("events-note");
  try {
    const page = await api("events", { ...state.filters, limit: PAGE, offset: state.offset });
    body.replaceChildren(...page.events.map((ev) => eventRow(ev, () => showEvent(ev))));
    const first = page.events.length ? state.offset + 1 : 0;
    document.getElementById("page").textContent = `${first}–${state.offset + page.events.length}`;
    document.getElementById("prev").disabled = state.offset === 0;
    document.getElementById("next").disabled = !page.more;
    note.textContent = page.canonical ? "linked events" : "reports";
    if (!page.events.length) body.append(el("tr", {}, el("td", { colspan: 5, class: "empty" }, "no events match")));
    else if (!state.selected) showEvent(page.events.find((e) => e.location) || page.events[0]);
  } catch (err) {
    body.replaceChildren(el("tr", {}, el("td", { colspan: 5, class: "error" }, err.message)));
  }
}

// --- article with highlighted evidence -----------------------------------------------------------------------------
function detail(ev) {
  const rows = [
    ["type", `${ev.event_type}${ev.mode ? " / " + ev.mode : ""} (quad ${ev.quad_class ?? "–"}, intensity ${ev.intensity ?? "–"})`],
    ["actor", names(ev.actor) || "—"],
    ["recipient", names(ev.recipient) || "—"],
    ["date", (ev.date || "—") + (ev.date_precision ? ` (${ev.date_precision}${ev.date_inferred ? ", from publication" : ""})` : "")],
    ["place", ev.location ? [ev.location.name, ev.location.admin1, ev.location.country].filter(Boolean).join(", ") : "—"],
    ["toll", ev.toll ? `killed ${killed(ev) ?? "?"}${ev.toll.injured && ev.toll.injured.best != null ? ", injured " + ev.toll.injured.best : ""}` : "—"],
    ["modality", ev.modality + (ev.claimant ? " by " + label(ev.claimant) : "")],
    ["confidence", ev.confidence != null ? ev.confidence.toFixed(2) : "—"],
    ["sources", String((ev.sources || []).length)],
  ];
  const dl = el("dl");
  for (const [k, v] of rows) dl.append(el("dt", {}, k), el("dd", {}, v));
  return dl;
}

/* Split the text at every mark boundary; each piece gets the classes of the marks covering it. */
function highlighted(text, marks, eventId) {
  const mine = marks.filter((m) => m.event_id === eventId);
  const others = marks.filter((m) => m.event_id !== eventId && m.kind === "evidence");
  const cuts = new Set([0, text.length]);
  for (const m of [...mine, ...others]) { cuts.add(m.start); cuts.add(m.end); }
  const points = [...cuts].sort((a, b) => a - b);
  const frag = document.createDocumentFragment();
  let firstMark = null;
  for (let i = 0; i < points.length - 1; i++) {
    const s = points[i], e = points[i + 1];
    const piece = text.slice(s, e);
    const kinds = mine.filter((m) => m.start <= s && m.end >= e).map((m) => "m-" + m.kind);
    if (!kinds.length && others.some((m) => m.start <= s && m.end >= e)) kinds.push("m-other");
    if (kinds.length) {
      const span = el("span", { class: [...new Set(kinds)].join(" ") }, piece);
      frag.append(span);
      if (!firstMark && kinds.includes("m-evidence")) firstMark = span;
    } else {
      frag.append(piece);
    }
  }
  return [frag, firstMark];
}

async function showEvent(ev) {
  state.selected = ev.id;
  document.querySelectorAll("tr.selected").forEach((r) => r.classList.remove("selected"));
  document.querySelectorAll(`tr[data-id="${CSS.escape(ev.id)}"]`).forEach((r) => r.classList.add("selected"));
  document.getElementById("event-detail").replaceChildren(detail(ev));
  const box = document.getElementById("article");
  const note = document.getElementById("article-note");
  box.replaceChildren(el("div", { class: "empty" }, "loading…"));
  try {
    const art = await api("articles/" + encodeURIComponent(ev.article_id));
    if (state.selected !== ev.id) return;
    // A linked event's id differs from its reports'; highlight the report of this article it came from.
    const own = art.events.find((e) => e.id === ev.id || e.canonical_id === ev.id);
    const [frag, first] = highlighted(art.text, art.marks, own ? own.id : ev.id);
    const head = el("h3", {}, art.title || "(untitled)");
    const meta = el("div", { class: "detail" }, [art.source, art.published ? art.published.slice(0, 10) : null].filter(Boolean).join(" · "));
    if (art.url) meta.append(" · ", el("a", { href: art.url, rel: "noopener noreferrer", target: "_blank" }, "original"));
    box.replaceChildren(head, meta, frag);
    note.textContent = `${art.events.length} event(s) in this article` + (art.warnings.length ? ` · ${art.warnings.length} span(s) not shown` : "");
    // bring the evidence into view inside the article box only: scrollIntoView would also scroll the page (on a
    // phone, past the filters on every load)
    if (first) box.scrollTop += first.getBoundingClientRect().top - box.getBoundingClientRect().top - 40;
  } catch (err) {
    fail(box, err);
  }
}

// --- dyads ---------------------------------------------------------------------------------------------------------
async function loadTopDyads() {
  const body = document.querySelector("#top-dyads tbody");
  try {
    const d = await api("dyads", { n: 25, since: state.filters.since, until: state.filters.until });
    document.getElementById("dyad-note").textContent = d.source === "canonical" ? "linked events" : "reports";
    const codes = new Set();
    body.replaceChildren(...d.dyads.map((x) => {
      codes.add(x.a); codes.add(x.b);
      return el("tr", { onclick: () => showDyad(x.a, x.b) },
        el("td", {}, `${x.a} – ${x.b}`), el("td", {}, x.events), el("td", {}, x.coop), el("td", {}, x.conflict),
        el("td", {}, x.killed));
    }));
    if (!d.dyads.length) body.append(el("tr", {}, el("td", { colspan: 5, class: "empty" }, "no country pairs yet")));
    document.getElementById("countries").replaceChildren(...[...codes].sort().map((c) => el("option", { value: c })));
    const form = document.getElementById("dyad-form");
    if (d.dyads.length && !form.a.value && !form.b.value) showDyad(d.dyads[0].a, d.dyads[0].b);
  } catch (err) {
    body.replaceChildren(el("tr", {}, el("td", { colspan: 5, class: "error" }, err.message)));
  }
}

async function showDyad(a, b) {
  const form = document.getElementById("dyad-form");
  form.a.value = a; form.b.value = b;
  const params = { freq: form.freq.value, directed: form.directed.checked, since: state.filters.since, until: state.filters.until };
  const chart = document.getElementById("dyad-chart");
  const body = document.querySelector("#dyad-events tbody");
  try {
    const d = await api(`dyads/${encodeURIComponent(a)}/${encodeURIComponent(b)}`, params);
    document.getElementById("dyad-title").textContent =
      `${d.a} ${d.directed ? "→" : "–"} ${d.b}: ${d.total_events} events (${d.freq === "W" ? "weekly" : "daily"}; cooperation up, conflict down)`;
    const rows = d.series.map((p) => ({
      date: p.date,
      values: { "verbal coop": p.q1, "material coop": p.q2, "verbal conflict": p.q3, "material conflict": p.q4 },
      colors: { "verbal coop": QUADS[1][2], "material coop": QUADS[2][2], "verbal conflict": QUADS[3][2], "material conflict": QUADS[4][2] },
    }));
    barChart(chart, rows, ["material coop", "verbal coop"], ["verbal conflict", "material conflict"], 180);
    body.replaceChildren(...d.events.slice().reverse().map((ev) => el("tr", { "data-id": ev.id, onclick: () => showEvent(ev) },
      el("td", {}, shownDate(ev)), el("td", {}, dot(ev.quad_class), ev.event_type), el("td", {}, dyadText(ev)),
      el("td", {}, ev.evidence.text))));
    if (!d.events.length) body.append(el("tr", {}, el("td", { colspan: 4, class: "empty" }, "no events between them")));
  } catch (err) {
    fail(chart, err);
    body.replaceChildren();
  }
}

// --- wiring ----------------------------------------------------------------------------------------------------------
function readFilters() {
  const f = document.getElementById("filters");
  const out = {};
  for (const name of ["country", "actor", "type", "since", "until", "text"]) {
    const v = f.elements[name].value.trim();
    if (v) out[name] = name === "country" || name === "type" ? v.toUpperCase() : v;
  }
  if (f.elements.canonical.checked) out.canonical = true;
  return out;
}

function refresh() {
  state.filters = readFilters();
  state.offset = 0;
  loadMap();
  loadTimeline();
  loadEvents();
  loadTopDyads();
}

document.addEventListener("DOMContentLoaded", async () => {
  const filters = document.getElementById("filters");
  filters.addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
  filters.addEventListener("reset", () => setTimeout(refresh, 0));
  document.getElementById("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE); loadEvents(); });
  document.getElementById("next").addEventListener("click", () => { state.offset += PAGE; loadEvents(); });
  document.getElementById("dyad-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = e.target;
    showDyad(f.a.value.trim().toUpperCase(), f.b.value.trim().toUpperCase());
  });
  let resize;
  window.addEventListener("resize", () => { clearTimeout(resize); resize = setTimeout(loadTimeline, 200); });
  loadSummary();
  await initMap();
  refresh();
});
