// Running totals over time (Vega-Lite, rendered by Vega with its expression interpreter: no eval,
// so the page's Content-Security-Policy holds). Data: the replay rows of the view's reported and
// recorded clocks, over the whole story; the as-of date is a dashed rule.

import { span, dayText } from "./dates.js";

export const SERIES_COLOURS = ["#b2182b", "#2166ac", "#1b7837", "#762a83", "#e08214", "#4d4d4d", "#35978f", "#c51b7d"];

// One point per counted action: the running total of its metric and side after it, at the last
// day it can have happened, with the first day of its span (a bar when they differ).
export function chartRows(replayRows) {
  const rows = [];
  for (const row of replayRows) {
    if (!row.metric || row.running_best === null) continue;
    const days = span(row.occurred);
    rows.push({
      series: `${row.side} ${row.metric}`,
      start: dayText(days.start),
      end: dayText(days.end),
      exact: days.start === days.end,
      total: row.running_best,
      summary: row.summary,
      source: row.source,
      occurred: row.occurred,
    });
  }
  return rows;
}

export function seriesOf(rows) {
  return [...new Set(rows.map((row) => row.series))];
}

function spec(rows, series, asOf, domain, width, launches) {
  const colour = { field: "series", type: "nominal", scale: { domain: series, range: SERIES_COLOURS }, legend: null };
  const x = { type: "temporal", scale: { type: "utc", domain }, axis: { title: null, format: "%d %b", grid: true, tickCount: 8 } };
  const layers = [
    {
      mark: { type: "line", interpolate: "step-after", strokeWidth: 2 },
      encoding: { x: { field: "end", ...x }, y: { field: "total", type: "quantitative", axis: { title: "running total", tickMinStep: 1 } }, color: colour },
    },
    {
      transform: [{ filter: "!datum.exact" }],
      mark: { type: "rule", strokeWidth: 7, opacity: 0.3, strokeCap: "round" },
      encoding: { x: { field: "start", ...x }, x2: { field: "end" }, y: { field: "total", type: "quantitative" }, color: colour },
    },
    {
      mark: { type: "point", filled: true, size: 50 },
      encoding: {
        x: { field: "end", ...x },
        y: { field: "total", type: "quantitative" },
        color: colour,
        tooltip: [
          { field: "series", title: "total" },
          { field: "total", title: "running" },
          { field: "occurred", title: "occurred" },
          { field: "summary", title: "action" },
          { field: "source", title: "source" },
        ],
      },
    },
  ];
  if (launches.length) {
    // The operation's and its phases' launches (their first day), labelled: the story's chapters.
    layers.push(
      {
        data: { values: launches },
        mark: { type: "rule", color: "#9a9384", strokeDash: [2, 3] },
        encoding: { x: { field: "day", ...x } },
      },
      {
        data: { values: launches },
        mark: { type: "text", align: "left", baseline: "top", dx: 3, dy: 2, color: "#6b665d", fontSize: 10 },
        encoding: { x: { field: "day", ...x }, y: { value: 0 }, text: { field: "label" } },
      },
    );
  }
  if (asOf) {
    layers.push({
      data: { values: [{ day: asOf }] },
      mark: { type: "rule", strokeDash: [5, 4], color: "#333", strokeWidth: 1.5 },
      encoding: { x: { field: "day", ...x } },
    });
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    width,
    height: 220,
    autosize: { type: "fit", contains: "padding" },
    data: { values: rows },
    layer: layers,
    config: { view: { stroke: null }, font: "system-ui, sans-serif", axis: { labelFontSize: 11 } },
  };
}

let view = null;

export async function drawChart(container, rows, asOf, bounds, launches = []) {
  if (view !== null) view.finalize();
  const series = seriesOf(rows);
  const domain = [bounds.start * 86400000, bounds.end * 86400000];
  const width = Math.max(260, container.clientWidth - 8);
  const compiled = window.vegaLite.compile(spec(rows, series, asOf, domain, width, launches), { logger: window.vega.logger(window.vega.Error) }).spec;
  const runtime = window.vega.parse(compiled, null, { ast: true });
  view = new window.vega.View(runtime, { expr: window.vega.expressionInterpreter, renderer: "canvas", container, hover: true });
  await view.runAsync();
  return series;
}
