// The workbench: the log at any point in time. The view (the three clocks and what is open) lives
// in the URL's query, so a view can be shared; the page follows the log (it asks the store's
// position every few seconds and reloads the view when new events are recorded).

import { api, query, Problem } from "./api.js";
import { chartRows, drawChart, SERIES_COLOURS } from "./chart.js";
import { dayNumber, dayText, span, spanText } from "./dates.js";
import { closePanel, showAction, showArea, showExplain } from "./detail.js";
import { button, clear, el, estimate, number, sourceLink } from "./dom.js";
import { createMap, resizeMap, showAreas } from "./map.js";
import { startReview } from "./review.js";

const FOLLOW_SECONDS = Number(new URLSearchParams(location.search).get("follow")) || 3;
const CLOCKS = ["as_of", "known_at", "recorded_at"];
// The page's views: the log at a point in time (the default), and the review of a draft report.
const VIEWS = ["log", "review"];
// Which areas the areas card lists and maps (the API's own filter, `/api/areas?province=&status=`,
// which the card's download asks for): one province, any of the statuses (none ticked: every one).
const FILTERS = ["province", "status"];
const STATUSES = ["threatened", "clearing", "cleared"];
const $ = (id) => document.getElementById(id);

const state = { view: "log", as_of: null, known_at: null, recorded_at: null, open: null, province: null, status: null };
let bounds = { start: dayNumber("2019-01-01"), end: dayNumber("2019-12-31") };
let position = null;
let pending = null;
let generation = 0;

function readUrl() {
  const params = new URLSearchParams(location.search);
  for (const name of [...CLOCKS, "open", ...FILTERS]) state[name] = params.get(name) || null;
  state.status = statusesOf(state.status).join(",") || null; // (a hand-written address: known statuses only)
  state.view = VIEWS.includes(params.get("view")) ? params.get("view") : "log";
}

function writeUrl() {
  const params = { view: state.view === "log" ? null : state.view };
  for (const name of [...CLOCKS, "open", ...FILTERS]) params[name] = state[name];
  const follow = new URLSearchParams(location.search).get("follow");
  if (follow) params.follow = follow;
  history.replaceState(null, "", `${location.pathname}${query(params)}`);
}

function viewpoint() {
  return { as_of: state.as_of, known_at: state.known_at, recorded_at: state.recorded_at };
}

function showProblem(error) {
  const box = $("problem");
  if (error === null) {
    box.hidden = true;
    return;
  }
  const document = error instanceof Problem ? error.document : { detail: error.message };
  clear(box, el("strong", {}, document.parameter ? `${document.parameter.replace("_", " ")}: ` : "error: "), document.detail || document.title);
  box.hidden = false;
}

// --- The clocks -------------------------------------------------------------------------------

function setBounds(exportDocument) {
  const days = [];
  for (const report of exportDocument.reports) {
    const published = span(report.source.published);
    if (published) days.push(published.start, published.end);
    for (const action of report.actions) {
      const occurred = span(action.occurred);
      if (occurred) days.push(occurred.start, occurred.end);
    }
  }
  // (a loop, not Math.min(...days): an argument list of a large log's days overflows the stack)
  let [first, last] = [Infinity, -Infinity];
  for (const day of days) {
    if (day < first) first = day;
    if (day > last) last = day;
  }
  if (days.length) bounds = { start: first - 3, end: last + 3 };
  const slider = $("as-of-slider");
  slider.min = bounds.start;
  slider.max = bounds.end;
  $("as-of-date").min = dayText(bounds.start);
  $("as-of-date").max = dayText(bounds.end);
}

function showClocks() {
  const slider = $("as-of-slider");
  slider.value = state.as_of ? Math.min(Math.max(dayNumber(state.as_of), bounds.start), bounds.end) : bounds.end;
  const said = state.as_of ? spanText(state.as_of) : "now";
  $("as-of-value").textContent = said;
  slider.setAttribute("aria-valuetext", said);
  $("as-of-date").value = state.as_of && /^\d{4}-\d{2}-\d{2}$/.test(state.as_of) ? state.as_of : "";
  $("known-at").value = state.known_at && /^\d{4}-\d{2}-\d{2}$/.test(state.known_at) ? state.known_at : "";
  if (document.activeElement !== $("recorded-at")) $("recorded-at").value = state.recorded_at || "";
  const parts = [state.as_of ? `as of ${spanText(state.as_of)}` : "as of now"];
  if (state.known_at) parts.push(`known at ${spanText(state.known_at)}`);
  if (state.recorded_at) parts.push(`recorded at ${state.recorded_at}`);
  $("viewpoint-said").textContent = parts.join(", ");
  showDownloads();
}

function change(name, value, { soon = false } = {}) {
  state[name] = value || null;
  showClocks();
  writeUrl();
  clearTimeout(pending);
  document.body.dataset.busy = "";
  pending = setTimeout(render, soon ? 120 : 0);
}

function wireClocks() {
  $("as-of-slider").addEventListener("input", (event) => change("as_of", dayText(Number(event.target.value)), { soon: true }));
  $("as-of-date").addEventListener("change", (event) => change("as_of", event.target.value));
  $("as-of-now").addEventListener("click", () => change("as_of", null));
  $("known-at").addEventListener("change", (event) => change("known_at", event.target.value));
  $("known-at-now").addEventListener("click", () => change("known_at", null));
  $("recorded-at").addEventListener("change", (event) => change("recorded_at", event.target.value.trim()));
  $("recorded-at-now").addEventListener("click", () => change("recorded_at", null));
  $("clocks").addEventListener("submit", (event) => event.preventDefault());
  $("detail-close").addEventListener("click", () => {
    state.open = null;
    writeUrl();
    closePanel();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !$("detail").hidden) {
      state.open = null;
      writeUrl();
      closePanel();
    }
  });
}

// Each download is the answer on the page: the areas as the card lists them (its filter too).
const DOWNLOADS = [
  ["Export (JSON bundle)", "export", () => ({ format: "json" }), "export.json"],
  ["Totals", "totals", () => ({}), "totals.json"],
  ["Areas", "areas", () => ({ province: state.province, status: state.status }), "areas.json"],
  ["Claims", "claims", () => ({}), "claims.json"],
  ["Conflicts", "conflicts", () => ({}), "conflicts.json"],
];

function showDownloads() {
  clear(
    $("downloads"),
    DOWNLOADS.map(([label, path, params, file]) =>
      el("a", { class: "download", href: `/api/${path}${query({ ...params(), ...viewpoint() })}`, download: file }, label),
    ),
  );
}

// --- Opening what is behind a figure ----------------------------------------------------------

let phaseActions = new Map();

function open(what) {
  state.open = what;
  writeUrl();
  showOpen();
}

function showOpen() {
  if (!state.open) return;
  const [kind, ...rest] = state.open.split(":");
  const subject = rest.join(":");
  if (kind === "explain") {
    const [metric, ...side] = subject.split(":");
    showExplain(metric, side.join(":"), viewpoint());
  } else if (kind === "area") {
    showArea(subject, viewpoint());
  } else if (kind === "phase" && phaseActions.has(subject)) {
    const { action, report } = phaseActions.get(subject);
    showAction(action, report, viewpoint());
  }
}

// --- The sections -----------------------------------------------------------------------------

function figureButton(label, metric, side, attributes = {}) {
  return button(label, () => open(`explain:${metric}:${side}`), { class: "figure-button", title: `The actions behind ${side} ${metric}`, ...attributes });
}

// At most STORY_ITEMS of a list for the story's sentence, and how many more there are (and where).
const STORY_ITEMS = 8;
function firstOf(items, more) {
  const shown = items.slice(0, STORY_ITEMS).join(", ");
  return items.length > STORY_ITEMS ? `${shown} and ${number(items.length - STORY_ITEMS)} more ${more}` : shown;
}

// One sentence of what the view says, from its own answers: the first thing a reader sees.
function showStory(totals, areas, claims, exported) {
  const parts = [];
  const counted = totals.rows.filter((row) => row.metric !== "materiel");
  if (counted.length) {
    parts.push(firstOf(counted.map((row) => `${row.side} ${row.metric} ${estimate(row.best, row.low, row.high)}`), "figures, in the totals below"));
  } else {
    parts.push("nothing counted yet");
  }
  const claimed = claims.rows.map((row) => `${row.side} ${row.metric} ${estimate(row.claimed, row.claimed_low, row.claimed_high)} claimed (${estimate(row.remainder, null, null)} not itemised)`);
  if (claimed.length) parts.push(firstOf(claimed, "claims, in the claims below"));
  const statuses = {};
  for (const row of areas.rows) statuses[row.status] = (statuses[row.status] || 0) + 1;
  const areaText = Object.entries(statuses).map(([status, count]) => `${count} ${status}`).join(", ");
  parts.push(areaText ? `areas: ${areaText}` : "no area status yet");
  let latest = null;
  for (const report of exported.reports) {
    for (const action of report.actions) {
      if (action.type !== "phase_launched" && action.type !== "operation_launched") continue;
      const days = span(action.occurred);
      if (latest === null || days.start > latest.days.start) latest = { action, days };
    }
  }
  if (latest) {
    const what = latest.action.type === "phase_launched" ? `phase ${latest.action.phase} of ${latest.action.operation}` : latest.action.operation;
    parts.push(`latest: ${what} launched ${spanText(latest.action.occurred)}`);
  }
  const reports = exported.reports.length;
  clear(
    $("story"),
    el("strong", {}, state.as_of ? `As of ${spanText(state.as_of)}` : "Now"),
    state.known_at ? ` (known at ${spanText(state.known_at)})` : "",
    `: ${parts.join("; ")}. `,
    el("span", { class: "muted" }, `From ${reports} report${reports === 1 ? "" : "s"}.`),
  );
}

function showTotals(document, strength) {
  const tiles = document.rows.map((row) =>
    el(
      "div",
      { class: "tile", dataset: { metric: row.metric, side: row.side } },
      figureButton(estimate(row.best, row.low, row.high), row.metric, row.side, { "aria-label": `${row.side} ${row.metric}: ${row.best}, show the actions behind it` }),
      el("span", { class: "tile-label" }, `${row.side} ${row.metric}`),
      el("span", { class: "tile-note muted" }, `${row.events} action${row.events === 1 ? "" : "s"}`),
    ),
  );
  clear($("totals"), tiles.length ? tiles : el("p", { class: "muted" }, "Nothing counted from this viewpoint."));
  clear(
    $("totals-uncertain"),
    document.uncertain.length
      ? el("details", { class: "uncertain" }, el("summary", {}, `${document.uncertain.length} action(s) uncertain at this date: not counted`), el("ul", {}, document.uncertain.map((row) => el("li", {}, row.summary, " — ", el("span", { class: "muted" }, row.reason)))))
      : null,
  );
  clear(
    $("strength"),
    strength.rows.length
      ? el("p", { class: "muted" }, "Strength: ", strength.rows.map((row, index) => [index ? "; " : "", `${row.side} ${estimate(row.best, row.low, row.high)} in ${row.region || "?"} (${row.estimator || row.source}, ${spanText(row.occurred)})`]))
      : null,
  );
}

function launchesOf(exportDocument) {
  const seen = new Set();
  const launches = [];
  for (const report of exportDocument.reports) {
    for (const action of report.actions) {
      if (action.type !== "operation_launched" && action.type !== "phase_launched") continue;
      const label = action.type === "phase_launched" ? `phase ${action.phase}` : "launch";
      const day = dayText(span(action.occurred).start);
      if (seen.has(`${label} ${day}`)) continue;
      seen.add(`${label} ${day}`);
      launches.push({ day, label });
    }
  }
  return launches;
}

async function showChart(replay, exportDocument) {
  const rows = chartRows(replay.rows);
  const container = $("chart");
  if (!rows.length) {
    clear(container, el("p", { class: "muted" }, "No counted action from these clocks."));
    clear($("chart-legend"));
    return;
  }
  container.replaceChildren();
  const asOf = state.as_of ? dayText(dayNumber(state.as_of)) : null;
  const series = await drawChart(container, rows, asOf, bounds, launchesOf(exportDocument));
  clear(
    $("chart-legend"),
    series.map((name, index) => {
      const [side, metric] = [name.slice(0, name.lastIndexOf(" ")), name.slice(name.lastIndexOf(" ") + 1)];
      return el("li", {}, el("span", { class: `swatch series-${index % SERIES_COLOURS.length}` }), button(name, () => open(`explain:${metric}:${side}`), { class: "link-button" }));
    }),
  );
}

function statusChip(status) {
  return el("span", { class: `chip status-${status}` }, status);
}

function areaButton(row) {
  return button(row.area, () => open(`area:${row.area}`), { class: "link-button", title: row.written.join(", ") });
}

// --- Which areas: the areas card's filter -------------------------------------------------------

function statusesOf(text) {
  const named = (text || "").split(",");
  return STATUSES.filter((status) => named.includes(status));
}

function keptBy(province, statuses) {
  return (row) => (!province || row.province === province) && (!statuses.length || statuses.includes(row.status));
}

let lastAreas = null; // the areas answer on the page, every area (the filter narrows what is shown)

function filterAreas(name, value) {
  state[name] = value || null;
  writeUrl();
  showDownloads();
  if (lastAreas) showAreaTables(lastAreas);
}

function wireAreaFilter() {
  $("area-province").addEventListener("change", (event) => filterAreas("province", event.target.value));
  for (const box of $("area-filter").querySelectorAll("input[name=status]")) {
    box.addEventListener("change", () => {
      const ticked = [...$("area-filter").querySelectorAll("input[name=status]:checked")].map((input) => input.value);
      filterAreas("status", statusesOf(ticked.join(",")).join(","));
    });
  }
  $("area-filter-clear").addEventListener("click", () => {
    state.province = null;
    filterAreas("status", null);
  });
  $("area-filter").addEventListener("submit", (event) => event.preventDefault());
}

// The provinces of the areas in the answer (and the one asked for, though none of its areas has a
// status from this viewpoint), as the filter's choices; the ticks as the address says.
function showAreaFilter(rows) {
  const provinces = new Set(rows.map((row) => row.province).filter(Boolean));
  if (state.province) provinces.add(state.province);
  const select = $("area-province");
  clear(
    select,
    el("option", { value: "" }, "every province"),
    [...provinces].sort((a, b) => a.localeCompare(b)).map((province) => el("option", { value: province }, province)),
  );
  select.value = state.province || "";
  const statuses = statusesOf(state.status);
  for (const box of $("area-filter").querySelectorAll("input[name=status]")) box.checked = statuses.includes(box.value);
  $("area-filter-clear").hidden = !state.province && !statuses.length;
}

function showAreaTables(document) {
  lastAreas = document;
  showAreaFilter(document.rows);
  const statuses = statusesOf(state.status);
  const rows = document.rows.filter(keptBy(state.province, statuses));
  const asked = [state.province, statuses.join(" or ")].filter(Boolean).join(", ");
  $("area-count").textContent = asked ? `${number(rows.length)} of ${number(document.rows.length)} areas (${asked}).` : "";
  const unplaced = showAreas(rows);
  const onMap = new Set(rows.filter((row) => !unplaced.includes(row)).map((row) => row.area));
  const tbody = $("areas-table").querySelector("tbody");
  clear(
    tbody,
    rows.map((row) =>
      el(
        "tr",
        { dataset: { area: row.area, status: row.status, placed: String(onMap.has(row.area)) } },
        el("th", { scope: "row" }, areaButton(row), onMap.has(row.area) ? el("span", { class: "muted small" }, ` ${row.district || row.province || ""}`) : el("span", { class: "muted small", title: "not in the gazetteer: not on the map" }, " (not on the map)")),
        el("td", {}, statusChip(row.status)),
        el("td", {}, spanText(row.since)),
        el("td", {}, row.source),
      ),
    ),
  );
  if (!document.rows.length) clear(tbody, el("tr", {}, el("td", { colspan: 4, class: "muted" }, "No area status reported by this date.")));
  else if (!rows.length) clear(tbody, el("tr", {}, el("td", { colspan: 4, class: "muted" }, `No area of ${asked} has a status by this date.`)));
  clear(
    $("unresolved"),
    unplaced.length
      ? el("p", { class: "muted small" }, `${unplaced.length} of ${rows.length} places are not in the gazetteer: they are listed here, marked “not on the map”, and never guessed onto it.`)
      : null,
  );
  document.uncertain.length && $("unresolved").append(el("p", { class: "muted" }, `${document.uncertain.length} status report(s) straddle this date: not yet in effect.`));
}

// The phases of each operation, one row per operation and phase number (`/api/phases`): the
// launch's span (a bar as wide as the sources leave it), the run until its end (or the view's
// date while under way), regions, supervisor, every source with its link, and a conflicting claim
// marked on the row it disputes. The launch actions themselves come from the export, for the panel.
function showPhases(phases, exportDocument) {
  phaseActions = new Map();
  for (const report of exportDocument.reports) {
    for (const action of report.actions) {
      // the operation's launch too: a shared address may open it (open=phase:REPORT/ACTION)
      if (action.type === "phase_launched" || action.type === "operation_launched") phaseActions.set(`${report.id}/${action.id}`, { action, report });
    }
  }
  const width = bounds.end - bounds.start || 1;
  const place = (bar, start, end) => {
    bar.style.left = `${((start - bounds.start) / width) * 100}%`;
    bar.style.width = `max(6px, ${((end - start + 1) / width) * 100}%)`;
    return bar;
  };
  const today = state.as_of ? span(state.as_of).end : bounds.end;
  clear(
    $("phases"),
    phases.rows.length
      ? phases.rows.map((row) => {
          const label = `${row.operation || "?"}: phase ${row.phase ?? "?"}`;
          const ref = row.refs.find((candidate) => phaseActions.has(candidate)) || null;
          const bars = [];
          if (row.launched_start) {
            const launched = [dayNumber(row.launched_start), dayNumber(row.launched_end)];
            const runEnd = row.ended_start ? dayNumber(row.ended_start) - 1 : Math.max(today, launched[1]);
            if (runEnd > launched[1]) bars.push(place(el("span", { class: `run ${row.ended_start ? "ended" : "under-way"}` }), launched[1] + 1, runEnd));
            bars.push(place(el("span", { class: "bar launched", title: `launched ${spanText(row.launched)}` }), ...launched));
            if (row.ended_start) bars.push(place(el("span", { class: "bar ended", title: `ended ${spanText(row.ended)}` }), dayNumber(row.ended_start), dayNumber(row.ended_end)));
          }
          const when = [`launched ${row.launched ? spanText(row.launched) : "?"}`, row.ended ? `, ended ${spanText(row.ended)}` : ""];
          const heading = [el("strong", {}, label), ` ${when.join("")}`];
          const sources = row.sources.map((source, index) => el("li", {}, source, " ", sourceLink(row.source_urls[index])));
          return el(
            "li",
            { class: row.conflicts.length ? "phase-row conflict" : "phase-row", dataset: { operation: row.operation || "", phase: String(row.phase ?? ""), ref: ref || "", conflict: String(row.conflicts.length > 0) } },
            ref ? button(heading, () => open(`phase:${ref}`), { class: "phase-button", title: `The launch behind ${label}` }) : el("span", {}, heading),
            el("span", { class: "track", "aria-hidden": "true" }, bars),
            el(
              "p",
              { class: "phase-facts small" },
              el("span", { class: `chip phase-${row.status.replace(" ", "-")}` }, row.status),
              row.regions.length ? ` in ${row.regions.join(", ")}` : "",
              row.supervisor ? ` · under ${row.supervisor}` : "",
            ),
            el("ul", { class: "phase-sources small" }, sources),
            row.conflicts.length
              ? el("div", { class: "phase-conflict", role: "note" }, el("strong", {}, "Conflict: "), el("ul", {}, row.conflicts.map((note) => el("li", {}, note))))
              : null,
          );
        })
      : el("li", { class: "muted" }, "No phase launched by this date."),
    phases.uncertain.map((row) => el("li", { class: "muted small phase-uncertain" }, `Not yet in effect: ${row.summary} (${row.reason}, ${row.source})`)),
  );
}

function showClaims(document) {
  const tbody = $("claims-table").querySelector("tbody");
  clear(
    tbody,
    document.rows.length
      ? document.rows.map((row) =>
          [el(
            "tr",
            { class: "claim-row" },
            el("th", { scope: "row" }, `${row.side} ${row.metric}`, el("span", { class: "muted small" }, ` in ${row.scope || "?"}, as of ${spanText(row.as_of)}`)),
            el("td", { class: "num" }, estimate(row.claimed, row.claimed_low, row.claimed_high)),
            el("td", { class: "num" }, figureButton(estimate(row.itemised, row.itemised_low, row.itemised_high), row.metric, row.side)),
            el("td", { class: "num remainder" }, estimate(row.remainder, null, null), row.uncertain ? el("span", { class: "muted small" }, ` (${row.uncertain} uncertain)`) : ""),
            el("td", {}, row.claimant ? `${row.claimant}, ` : "", row.source),
          ),
          row.quote ? el("tr", { class: "quote-row" }, el("td", { colspan: 5 }, el("blockquote", { class: "small" }, row.quote))) : null],
        )
      : el("tr", {}, el("td", { colspan: 5, class: "muted" }, "No cumulative claim by this date.")),
  );
}

function showConflicts(document) {
  clear(
    $("conflicts"),
    document.rows.length
      ? el(
          "ul",
          { class: "conflict-list" },
          document.rows.map((row) =>
            el(
              "li",
              {},
              el("p", {}, el("strong", {}, row.kind), row.field ? ` of ${row.field}` : "", ": ", row.subject),
              el("ul", {}, row.values.map((value, index) => el("li", { class: row.refs[index] === row.used ? "used" : "" }, value, row.refs[index] === row.used ? " ← counts" : ""))),
              el("p", { class: "muted" }, row.rule),
            ),
          ),
        )
      : el("p", { class: "muted" }, "The sources agree: no conflicting figures and no likely duplicates from this viewpoint."),
  );
}

// --- Rendering a view -------------------------------------------------------------------------

// The chart's replay depends on the reported and recorded clocks and the log, not on the as-of
// date: asked once for them, not again at every step of the slider. Each step carries only its
// own running total (`running=own`): every total after every step is far too much on a large log.
let replayAsked = { key: null, answer: null };

function replayOf(timeline) {
  const key = JSON.stringify([timeline.known_at, timeline.recorded_at, position]);
  if (replayAsked.key !== key) {
    const answer = api("replay", { ...timeline, running: "own" });
    replayAsked = { key, answer };
    answer.catch(() => {
      if (replayAsked.answer === answer) replayAsked = { key: null, answer: null }; // (asked again next time)
    });
  }
  return replayAsked.answer;
}

async function render() {
  const mine = ++generation;
  document.body.dataset.busy = "";
  const view = viewpoint();
  const timeline = { known_at: view.known_at, recorded_at: view.recorded_at };
  try {
    const [totals, areas, claims, conflicts, strength, phases, exported, replay] = await Promise.all([
      api("totals", view),
      api("areas", view),
      api("claims", view),
      api("conflicts", view),
      api("strength", view),
      api("phases", view),
      api("export", { ...view, format: "json" }),
      replayOf(timeline),
    ]);
    if (mine !== generation) return;
    showProblem(null);
    showTotals(totals, strength);
    showAreaTables(areas);
    showPhases(phases, exported);
    showClaims(claims);
    showConflicts(conflicts);
    showStory(totals, areas, claims, exported);
    await showChart(replay, exported);
    if (state.open && !$("detail").hidden) showOpen();
    document.body.dataset.rendered = String(mine);
    delete document.body.dataset.busy;
    if (performance.getEntriesByName("rendered").length === 0) performance.mark("rendered"); // bench/web.py
  } catch (error) {
    if (mine !== generation) return;
    showProblem(error);
    document.body.dataset.rendered = String(mine);
    delete document.body.dataset.busy;
  }
}

async function refreshBounds() {
  setBounds(await api("export", { format: "json" }));
}

async function follow() {
  try {
    const { position: now } = await api("position");
    if (position !== null && now !== position) {
      $("live").textContent = state.recorded_at
        ? `New events recorded (position ${number(now)}); this view stops at recorded at ${state.recorded_at}.`
        : `New reports recorded: position ${number(now)}. Updated.`;
      position = now;
      await refreshBounds();
      showClocks();
      await render();
    } else {
      position = now;
      if (!$("live").textContent) $("live").textContent = `Following the log: position ${number(now)}.`;
    }
  } catch {
    $("live").textContent = "The server does not answer; retrying.";
  }
  setTimeout(follow, FOLLOW_SECONDS * 1000);
}

// --- The views ----------------------------------------------------------------------------------

let logStarted = false;

function showView() {
  document.body.dataset.view = state.view;
  for (const link of document.querySelectorAll(".views a")) {
    if (link.dataset.view === state.view) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (state.view === "review") {
    startReview();
  } else if (!logStarted) {
    logStarted = true;
    startLog();
  } else {
    resizeMap();
    render();
  }
}

// Every link to a view (the navigation, "See it in the log") switches in place: a draft under
// review stays as it is while the log is looked at.
function wireViews() {
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-view]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    if (state.view === link.dataset.view) return;
    state.view = link.dataset.view;
    writeUrl();
    showView();
  });
}

async function start() {
  readUrl();
  wireViews();
  showView();
}

async function startLog() {
  wireClocks();
  wireAreaFilter();
  try {
    position = (await api("position")).position; // (the log the first view shows: follow() watches it move)
    await refreshBounds();
  } catch (error) {
    showProblem(error);
  }
  showClocks();
  try {
    await createMap($("map"), (area) => open(`area:${area}`));
  } catch (error) {
    clear($("map"), el("p", { class: "muted" }, `The map could not be drawn: ${error.message}`));
  }
  await render();
  showOpen();
  follow();
  let resizing = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizing);
    resizing = setTimeout(() => {
      resizeMap();
      render();
    }, 200);
  });
}

start();
