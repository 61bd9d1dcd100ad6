// The panel beside the page: the actions behind a number, an area or a phase (explain, history),
// each with its outlet, date span, quote, source link, corrections and why it counts or not.

import { api } from "./api.js";
import { spanText } from "./dates.js";
import { button, clear, el, estimate, sourceLink } from "./dom.js";

const STANDING_TITLES = {
  counted: "Counted",
  uncertain: "Uncertain: not counted, not excluded",
  excluded: "Excluded",
};

const panel = () => document.getElementById("detail");
const body = () => document.getElementById("detail-body");
let returnFocus = null;

export function openPanel(title) {
  const aside = panel();
  if (aside.hidden) returnFocus = document.activeElement;
  aside.hidden = false;
  document.body.classList.add("with-detail");
  const heading = document.getElementById("detail-title");
  heading.textContent = title;
  clear(body(), el("p", { class: "muted" }, "Loading…"));
  heading.focus();
}

export function closePanel() {
  panel().hidden = true;
  document.body.classList.remove("with-detail");
  if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
  returnFocus = null;
}

function text(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") {
    return Object.entries(value)
      .map(([name, item]) => `${name}: ${typeof item === "object" ? JSON.stringify(item) : item}`)
      .join(", ");
  }
  return String(value);
}

function sourceLine(row) {
  return el(
    "p",
    { class: "source-line" },
    el("strong", {}, row.source || "unknown outlet"),
    row.published ? ` · published ${spanText(row.published)}` : "",
    " · ",
    sourceLink(row.url) || el("span", { class: "muted" }, "no url"),
  );
}

function historyButton(ref, viewpoint) {
  const holder = el("div", { class: "history" });
  const show = button("Its history", async () => {
    show.disabled = true;
    try {
      const document = await api("history", { ...viewpoint, subject: ref });
      clear(holder, historyList(document.rows));
    } catch (error) {
      clear(holder, el("p", { class: "problem-inline" }, error.message));
    }
  }, { class: "link-button" });
  holder.append(show);
  return holder;
}

export function historyList(rows) {
  return el(
    "ol",
    { class: "history-list" },
    rows.map((row) =>
      el(
        "li",
        {},
        el("p", {}, el("strong", {}, row.event), ` #${row.position} · ${row.what || ""} · `, el("em", {}, row.standing)),
        row.why ? el("p", {}, "why: ", row.why) : null,
        row.note ? el("p", { class: "muted" }, row.note) : null,
        row.quote ? el("blockquote", {}, row.quote) : null,
        sourceLine(row),
      ),
    ),
  );
}

function actionCard(row, viewpoint) {
  return el(
    "li",
    { class: `action standing-${row.standing}` },
    el(
      "p",
      { class: "action-head" },
      el("span", { class: "figure" }, estimate(row.best, row.low, row.high)),
      " ",
      el("span", {}, row.summary),
    ),
    el("p", { class: "muted" }, `occurred ${spanText(row.occurred)}`, row.precision && row.precision !== "day" ? ` (${row.precision}: the report gives no single day)` : ""),
    row.reason ? el("p", { class: "reason" }, "why: ", row.reason) : null,
    row.quote ? el("blockquote", {}, row.quote) : null,
    sourceLine(row),
    row.corrections && row.corrections.length
      ? el("div", { class: "corrections" }, el("p", {}, "corrections applied:"), el("ul", {}, row.corrections.map((item) => el("li", {}, text(item)))))
      : null,
    el("p", { class: "ref muted" }, `${row.report}/${row.id}`),
    historyButton(`${row.report}/${row.id}`, viewpoint),
  );
}

export async function showExplain(metric, side, viewpoint) {
  openPanel(`${side} ${metric}: the actions behind it`);
  try {
    const document = await api("explain", { ...viewpoint, metric, side });
    const total = document.query.total;
    const groups = ["counted", "uncertain", "excluded"].map((standing) => {
      const rows = document.rows.filter((row) => row.standing === standing);
      if (!rows.length) return null;
      return el("section", { class: "standing" }, el("h3", {}, `${STANDING_TITLES[standing]} (${rows.length})`), el("ol", { class: "actions" }, rows.map((row) => actionCard(row, viewpoint))));
    });
    clear(
      body(),
      el("p", { class: "lead" }, `Total ${estimate(total.best, total.low, total.high)} from ${document.rows.filter((row) => row.standing === "counted").length} counted action(s).`),
      groups,
      document.rows.length ? null : el("p", { class: "muted" }, "No action behind it from this viewpoint."),
    );
  } catch (error) {
    clear(body(), el("p", { class: "problem-inline" }, error.message));
  }
}

export async function showArea(area, viewpoint) {
  openPanel(`${area}: every reported status`);
  try {
    const document = await api(`areas/${encodeURIComponent(area)}/history`, viewpoint);
    clear(
      body(),
      el(
        "ol",
        { class: "actions" },
        document.rows.map((row) =>
          el(
            "li",
            { class: `action standing-${row.standing}` },
            el("p", { class: "action-head" }, el("span", { class: `chip status-${row.status}` }, row.status), " ", row.written !== row.area ? `written “${row.written}”` : ""),
            el("p", { class: "muted" }, `occurred ${spanText(row.occurred)} · ${row.standing}`),
            row.quote ? el("blockquote", {}, row.quote) : null,
            sourceLine(row),
          ),
        ),
      ),
      document.rows.length ? null : el("p", { class: "muted" }, "No status reported from this viewpoint."),
    );
  } catch (error) {
    clear(body(), el("p", { class: "problem-inline" }, error.message));
  }
}

// A phase (or the operation's launch): the action as its report states it, and its history.
export function showAction(action, report, viewpoint) {
  const title = action.type === "phase_launched" ? `${action.operation}: phase ${action.phase}` : `${action.operation}: launched`;
  openPanel(title);
  const regions = (action.regions || []).map((region) => [region.qualifier, region.name].filter(Boolean).join(" "));
  const row = { ...report.source, source: report.source.outlet };
  clear(
    body(),
    el(
      "div",
      { class: "action" },
      el("p", { class: "muted" }, `occurred ${spanText(action.occurred)}`),
      action.aim ? el("p", {}, "aim: ", action.aim) : null,
      regions.length ? el("p", {}, "regions: ", regions.join(", ")) : null,
      action.forces && action.forces.length ? el("p", {}, "forces: ", action.forces.join(", ")) : null,
      action.quote ? el("blockquote", {}, action.quote) : null,
      sourceLine(row),
      el("p", { class: "ref muted" }, `${report.id}/${action.id}`),
      historyButton(`${report.id}/${action.id}`, viewpoint),
    ),
  );
}
