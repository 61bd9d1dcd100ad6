// Days as the store writes them (2019-08-28; a span 2019-07-21/2019-07-31), as day numbers.

const DAY = 86400000;

export function dayNumber(text) {
  const [year, month = "01", day = "01"] = text.split("-");
  return Math.round(Date.UTC(Number(year), Number(month) - 1, Number(day)) / DAY);
}

export function dayText(number) {
  return new Date(number * DAY).toISOString().slice(0, 10);
}

function lastDay(text) {
  const parts = text.split("-");
  if (parts.length === 3) return dayNumber(text);
  if (parts.length === 2) {
    const [year, month] = parts.map(Number);
    return Math.round(Date.UTC(year, month, 0) / DAY);
  }
  return dayNumber(`${text}-12-31`);
}

// A span's first and last day: "2019-07-21/2019-07-31", "2019-08-24", "2019-08", "2019".
// Or as an export writes an imprecise one: {from, to, precision}.
export function span(text) {
  if (!text) return null;
  if (typeof text === "object") return { start: dayNumber(text.from), end: lastDay(text.to) };
  const [start, end = start] = text.split("/");
  return { start: dayNumber(start), end: lastDay(end) };
}

// A span for people: 24 Aug 2019, or 21–31 Jul 2019 when the day is not known.
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
function parts(number) {
  const date = new Date(number * DAY);
  return { day: date.getUTCDate(), month: MONTHS[date.getUTCMonth()], year: date.getUTCFullYear() };
}

export function spanText(text) {
  const found = span(text);
  if (found === null) return "";
  const a = parts(found.start);
  const b = parts(found.end);
  if (found.start === found.end) return `${a.day} ${a.month} ${a.year}`;
  if (a.year === b.year && a.month === b.month) return `${a.day}–${b.day} ${a.month} ${a.year}`;
  if (a.year === b.year) return `${a.day} ${a.month} – ${b.day} ${b.month} ${a.year}`;
  return `${a.day} ${a.month} ${a.year} – ${b.day} ${b.month} ${b.year}`;
}
