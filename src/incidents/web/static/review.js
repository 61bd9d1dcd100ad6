// The review page (the workbench's "Draft a report" view, ?view=review): an article in, a draft
// report out (POST /api/draft), each candidate action reviewed beside its highlighted sentence,
// then the report file of what was kept, written by the server (POST /api/draft/report-file),
// downloaded or loaded (POST /api/reports, behind the server's token). Every text of the article
// and the draft goes in as text (dom.js), never as HTML.

import { Problem } from "./api.js";
import { button, clear, el } from "./dom.js";

// The fields the page lets you edit (the others are shown as drafted, and kept). A place written
// as a structure ({name: ..., qualifier: ...}) is edited by its name.
const EDITABLE = ["count", "side", "actor", "place", "area", "occurred"];
// A comment names the field it is about by its first word ("occurred: 'on Saturday' read as ..."),
// "date" being the occurred field.
const COMMENT_FIELDS = { date: "occurred" };
// Below this an action is marked for a closer look (the rules start at 0.9 and take off for
// every guess).
const WEAK = 0.7;
const $ = (id) => document.getElementById(id);

let draft = null; // the last draft (the server's answer)
let reviews = []; // per candidate: { dropped, kind, values: {field: text} }
let started = false;

async function post(path, body, headers = {}) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  if (!response.ok) {
    const document = await response.json().catch(() => ({ title: response.statusText, status: response.status }));
    throw new Problem(document);
  }
  return response;
}

function problemText(error) {
  const document = error instanceof Problem ? error.document : { detail: error.message };
  return [document.parameter ? `${document.parameter}: ` : "", document.detail || document.title || "request failed"].join("");
}

function showDraftProblem(error) {
  const box = $("draft-problem");
  box.hidden = error === null;
  if (error !== null) clear(box, el("strong", {}, "Could not draft: "), problemText(error));
}

// --- The article, in ----------------------------------------------------------------------------

function metadataFromForm() {
  const value = (id) => $(id).value.trim() || null;
  return { outlet: value("meta-outlet"), url: value("meta-url"), published: value("meta-published"), title: value("meta-title") };
}

async function openFile(event) {
  const [file] = event.target.files;
  if (!file) return;
  $("article-input").value = await file.text();
  $("article-kind").value = /\.html?$/i.test(file.name) ? "html" : "text";
}

async function submitDraft(event) {
  event.preventDefault();
  const kind = $("article-kind").value;
  const body = { text: $("article-input").value, html: kind === "" ? null : kind === "html", ...metadataFromForm() };
  document.body.dataset.drafting = "";
  $("draft-button").disabled = true;
  try {
    const answer = await (await post("/api/draft", body)).json();
    showDraftProblem(null);
    showDraft(answer);
  } catch (error) {
    showDraftProblem(error);
  } finally {
    $("draft-button").disabled = false;
    delete document.body.dataset.drafting;
  }
}

// What the source still needs before the file loads, and whether the draft's dates still hold.
function showMetadataHint() {
  const hint = $("metadata-hint");
  if (draft === null) return;
  const given = metadataFromForm();
  const parts = [];
  const missing = draft.missing.filter((field) => !given[field]);
  if (missing.length) parts.push(`Required to load, not found in the article: ${missing.join(", ")}. Fill ${missing.length === 1 ? "it" : "them"} in above.`);
  if ((given.published || null) !== (draft.metadata.published || null)) parts.push("Published changed since the draft: Draft again, so that its relative dates resolve against it.");
  hint.hidden = parts.length === 0;
  hint.textContent = parts.join(" ");
}

// --- The draft ----------------------------------------------------------------------------------

function scalarText(value) {
  return value === null || value === undefined ? "" : String(value);
}

function scalar(value) {
  return value === null || value === undefined || typeof value === "string" || typeof value === "number";
}

function named(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) && typeof value.name === "string";
}

function editable(value) {
  return scalar(value) || named(value);
}

function editedText(value) {
  return named(value) ? value.name : scalarText(value);
}

// A field's value as edited: a count in digits is a number, a named place keeps its other parts.
function editedValue(field, original, text) {
  if (named(original)) return { ...original, name: text };
  return field === "count" && /^\d+$/.test(text) ? Number(text) : text;
}

// The fields a card shows: the editable ones it was drafted with, when it occurred, and for a
// counted kind count, side, actor and place (given or not).
function shownFields(candidate) {
  const counted = "count" in candidate.fields;
  return EDITABLE.filter((field) => field in candidate.fields || field === "occurred" || (counted && field !== "area"));
}

function showDraft(answer) {
  draft = answer;
  reviews = answer.candidates.map((candidate) => ({
    dropped: false,
    kind: candidate.kind,
    values: Object.fromEntries(shownFields(candidate).filter((field) => editable(candidate.fields[field])).map((field) => [field, editedText(candidate.fields[field])])),
  }));
  for (const [field, id] of [["outlet", "meta-outlet"], ["url", "meta-url"], ["published", "meta-published"], ["title", "meta-title"]]) {
    if (!$(id).value.trim() && answer.metadata[field]) $(id).value = scalarText(answer.metadata[field]);
  }
  clear($("draft-notes"), answer.notes.map((note) => el("li", {}, note)));
  showMetadataHint();
  showArticle();
  showActions();
  showMissed();
  showReportFile(answer.report_file);
  clear($("load-result"));
  showLoadProblems(null);
  $("save-report").disabled = false;
  $("load-report").disabled = false;
  document.body.dataset.drafted = String(Number(document.body.dataset.drafted || 0) + 1);
}

// The article's text with every candidate's sentence (and every missed one) marked: the text
// cut at every offset, each piece marked by the candidates that cover it.
function showArticle() {
  const text = draft.text;
  const cuts = new Set([0, text.length]);
  for (const part of [...draft.candidates, ...draft.missed]) cuts.add(part.start).add(part.end);
  const points = [...cuts].sort((a, b) => a - b);
  const pieces = [];
  for (let index = 0; index + 1 < points.length; index++) {
    const [start, end] = [points[index], points[index + 1]];
    const piece = text.slice(start, end);
    const covering = draft.candidates.flatMap((candidate, number) => (candidate.start <= start && end <= candidate.end ? [number] : []));
    const missed = draft.missed.some((sentence) => sentence.start <= start && end <= sentence.end);
    if (covering.length) {
      pieces.push(
        el("mark", { class: "hl", dataset: { candidates: covering.join(" ") }, title: covering.map((number) => `${number + 1}. ${draft.candidates[number].kind}`).join(", "), onclick: () => goToAction(covering[0]) }, piece),
      );
    } else if (missed) {
      pieces.push(el("mark", { class: "missed", title: "mentions numbers or actions but gave no action" }, piece));
    } else {
      pieces.push(piece);
    }
  }
  clear($("article-view"), text ? pieces : el("p", { class: "muted" }, "The article has no text."));
  showMarks();
}

function showMarks() {
  for (const mark of $("article-view").querySelectorAll("mark.hl")) {
    const covered = mark.dataset.candidates.split(" ").map(Number);
    mark.classList.toggle("dropped", covered.every((number) => reviews[number].dropped));
  }
}

function highlight(number, on) {
  for (const mark of $("article-view").querySelectorAll("mark.hl")) {
    if (mark.dataset.candidates.split(" ").includes(String(number))) mark.classList.toggle("active", on);
  }
}

function showInText(number) {
  highlight(number, true);
  const mark = [...$("article-view").querySelectorAll("mark.hl")].find((found) => found.dataset.candidates.split(" ").includes(String(number)));
  if (mark) mark.scrollIntoView({ block: "nearest" });
}

function goToAction(number) {
  const card = $("draft-actions").children[number];
  card.scrollIntoView({ block: "nearest" });
  card.querySelector("select").focus();
}

function guessed(candidate) {
  const fields = new Set();
  for (const comment of candidate.comments) {
    const first = comment.split(/[:\s]/, 1)[0].toLowerCase();
    fields.add(COMMENT_FIELDS[first] || first);
  }
  return fields;
}

function fieldText(value) {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function actionCard(candidate, number) {
  const review = reviews[number];
  const weak = candidate.confidence < WEAK;
  const guesses = guessed(candidate);
  const id = (field) => `draft-${number}-${field}`;
  const kind = el(
    "select",
    { id: id("kind"), "aria-label": `Action ${number + 1}: kind`, onchange: (event) => (review.kind = event.target.value) },
    [...new Set([candidate.kind, ...draft.kinds])].map((name) => el("option", { value: name, selected: name === review.kind }, name)),
  );
  const inputs = shownFields(candidate).map((field) => {
    const value = candidate.fields[field];
    const attributes = { type: "text", id: id(field), autocomplete: "off", spellcheck: "false", class: guesses.has(field) ? "guessed" : null };
    const input = editable(value)
      ? el("input", { ...attributes, value: review.values[field], oninput: (event) => (review.values[field] = event.target.value) })
      : el("input", { ...attributes, value: fieldText(value), readonly: true, title: "drafted as a structure: edit it in the saved file" });
    return [el("label", { for: id(field) }, field, guesses.has(field) ? el("span", { class: "guess-mark", title: "guessed: see the comments" }, " ?") : null), input];
  });
  const others = Object.entries(candidate.fields).filter(([field]) => !EDITABLE.includes(field) && !["id", "type", "quote"].includes(field));
  const drop = button("Drop", () => toggleDrop(number), { class: "drop", "aria-pressed": "false", "aria-label": `Drop action ${number + 1}` });
  return el(
    "li",
    {
      class: `draft-action${weak ? " weak" : ""}`,
      dataset: { key: candidate.key, number: String(number) },
      onfocusin: () => showInText(number),
      onfocusout: () => highlight(number, false),
      onmouseenter: () => highlight(number, true),
      onmouseleave: () => highlight(number, false),
    },
    el(
      "div",
      { class: "action-top" },
      el("label", { for: id("kind"), class: "action-number" }, `${number + 1}.`),
      kind,
      el("span", { class: `confidence${weak ? " weak" : ""}`, title: weak ? "low confidence: check it" : "confidence" }, `confidence ${candidate.confidence.toFixed(2)}`),
      button("Show in text", () => showInText(number), { class: "link-button" }),
      drop,
    ),
    el("blockquote", { class: "small quote", title: "the quote is the article's sentence: it is not edited" }, candidate.quote),
    el("div", { class: "action-fields" }, inputs),
    others.length
      ? el("p", { class: "muted small other-fields" }, others.map(([field, value], index) => [index ? "; " : "", el("strong", {}, field), guesses.has(field) ? el("span", { class: "guess-mark", title: "guessed: see the comments" }, " ?") : null, `: ${fieldText(value)}`]))
      : null,
    candidate.comments.length ? el("ul", { class: "comments small" }, candidate.comments.map((comment) => el("li", {}, comment))) : null,
    el("div", { class: "action-problems problem-inline small", role: "alert" }),
  );
}

function toggleDrop(number) {
  const review = reviews[number];
  review.dropped = !review.dropped;
  const card = $("draft-actions").children[number];
  card.classList.toggle("dropped", review.dropped);
  const drop = card.querySelector("button.drop");
  drop.textContent = review.dropped ? "Keep" : "Drop";
  drop.setAttribute("aria-pressed", String(review.dropped));
  drop.setAttribute("aria-label", `${review.dropped ? "Keep" : "Drop"} action ${number + 1}`);
  for (const input of card.querySelectorAll("select, input")) input.disabled = review.dropped;
  showMarks();
  showSummary();
}

function showSummary() {
  const kept = draft.candidates.filter((candidate, number) => !reviews[number].dropped);
  const dropped = draft.candidates.length - kept.length;
  const weak = kept.filter((candidate) => candidate.confidence < WEAK).length;
  const guesses = kept.reduce((sum, candidate) => sum + candidate.comments.length, 0);
  $("draft-summary").textContent = draft.candidates.length
    ? `${kept.length} action${kept.length === 1 ? "" : "s"} kept${dropped ? `, ${dropped} dropped` : ""}: ${weak} with confidence below ${WEAK} (amber), ${guesses} guessed field${guesses === 1 ? "" : "s"} (marked ?, explained under each action).`
    : "The rules found no action in this text: add them to the saved file by hand, if it states any.";
}

function showActions() {
  clear($("draft-actions"), draft.candidates.map(actionCard));
  showSummary();
}

function showMissed() {
  clear(
    $("draft-missed"),
    draft.missed.length
      ? draft.missed.map((sentence) => el("li", {}, el("blockquote", { class: "small" }, sentence.text), el("span", { class: "muted small" }, sentence.why)))
      : el("li", { class: "muted" }, "None: every sentence with numbers or actions gave an action."),
  );
}

function showReportFile(text) {
  $("report-text").textContent = text;
}

// --- The report file, out -----------------------------------------------------------------------

// The draft as reviewed: the candidates kept, with their edits, for the server to write.
function reviewed() {
  const metadata = { ...draft.metadata, ...metadataFromForm() };
  const candidates = [];
  draft.candidates.forEach((candidate, number) => {
    const review = reviews[number];
    if (review.dropped) return;
    const fields = { ...candidate.fields };
    for (const [field, text] of Object.entries(review.values)) {
      const value = text.trim();
      if (value === editedText(candidate.fields[field])) continue; // as drafted
      if (value === "") delete fields[field];
      else fields[field] = editedValue(field, candidate.fields[field], value);
    }
    candidates.push({ ...candidate, kind: review.kind, fields, number });
  });
  return { metadata, candidates };
}

async function reportFile({ metadata, candidates }) {
  const body = { text: draft.text, metadata, candidates: candidates.map(({ number, ...candidate }) => candidate), missed: draft.missed };
  const response = await post("/api/draft/report-file", body);
  const disposition = response.headers.get("content-disposition") || "";
  const name = (/filename="([^"]+)"/.exec(disposition) || [null, "draft.yaml"])[1];
  const text = await response.text();
  showReportFile(text);
  return { name, text };
}

async function save() {
  showLoadProblems(null);
  const edited = reviewed();
  try {
    const { name, text } = await reportFile(edited);
    const link = el("a", { href: URL.createObjectURL(new Blob([text], { type: "application/yaml" })), download: name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    clear($("load-result"), `Saved ${name}.`);
  } catch (error) {
    showLoadProblems(error, numbers(edited));
  }
}

// The card number of each candidate sent, by its place in the report file's actions.
function numbers(edited) {
  return edited.candidates.map((candidate) => candidate.number);
}

// Problems of a load, as the command line prints them (file:line: actions[N].field: message),
// listed beside the draft and each on the action it names.
function showLoadProblems(error, sent = []) {
  const box = $("load-problems");
  for (const slot of $("draft-actions").querySelectorAll(".action-problems")) clear(slot);
  for (const card of $("draft-actions").children) card.classList.remove("has-problem");
  if (error === null) {
    box.hidden = true;
    return;
  }
  const lines = error instanceof Problem && Array.isArray(error.document.problems) ? error.document.problems : [problemText(error)];
  // A problem names an action by its place among those sent: actions[N] in the report file, or
  // candidates[N] in the reviewed draft.
  clear(box, el("strong", {}, "Not loaded (nothing was written):"), el("ul", {}, lines.map((line) => el("li", {}, line))));
  box.hidden = false;
  for (const line of lines) {
    const found = /(?:actions|candidates)\[(\d+)\]/.exec(line);
    const number = found ? sent[Number(found[1])] : undefined;
    if (number === undefined) continue;
    const card = $("draft-actions").children[number];
    card.classList.add("has-problem");
    card.querySelector(".action-problems").append(el("p", {}, line));
  }
}

async function load() {
  const token = $("load-token").value.trim();
  showLoadProblems(null);
  clear($("load-result"));
  const edited = reviewed();
  try {
    const file = await reportFile(edited);
    const response = await post(`/api/reports?name=${encodeURIComponent(file.name)}`, file.text, {
      "content-type": "application/yaml",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    });
    const answer = await response.json();
    const parts = answer.reports.map((report) => `${report.report}: ${report.outcome}, ${report.actions} action${report.actions === 1 ? "" : "s"}`);
    const flagged = answer.reports.flatMap((report) => report.flagged);
    clear(
      $("load-result"),
      el("strong", {}, "Loaded. "),
      parts.join("; "),
      ` (store position ${answer.position}). `,
      el("a", { href: "/", "data-view": "log", class: "view-link" }, "See it in the log"),
      flagged.length ? el("ul", { class: "small" }, flagged.map((note) => el("li", {}, note))) : null,
    );
    $("load-result").dataset.outcome = answer.reports.map((report) => report.outcome).join(" ");
  } catch (error) {
    delete $("load-result").dataset.outcome;
    showLoadProblems(error, numbers(edited));
  }
}

export function startReview() {
  if (started) return;
  started = true;
  $("article-file").addEventListener("change", openFile);
  $("draft-form").addEventListener("submit", submitDraft);
  for (const id of ["meta-outlet", "meta-url", "meta-published", "meta-title"]) $(id).addEventListener("input", showMetadataHint);
  $("save-report").addEventListener("click", save);
  $("load-report").addEventListener("click", load);
}
