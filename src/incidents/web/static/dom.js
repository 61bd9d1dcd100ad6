// Building the page's elements from data. Every text from the store goes in as a text node
// (never as HTML), and a link is made only for an http(s) url: anything else is shown as text.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

// The url as a URL if it is http or https, else null (javascript:, data:, urn: and the rest).
export function webUrl(text) {
  if (typeof text !== "string") return null;
  let url;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  return url.protocol === "http:" || url.protocol === "https:" ? url : null;
}

// A link to a source: an http(s) url opens in a new tab; any other is its text, not a link.
export function sourceLink(text, label) {
  const url = webUrl(text);
  if (url === null) {
    return text ? el("span", { class: "url-text", title: "not a web address: shown, not linked" }, text) : null;
  }
  return el("a", { href: url.href, target: "_blank", rel: "noopener noreferrer nofollow", class: "source-link" }, label || url.host + url.pathname);
}

export function button(label, onclick, attributes = {}) {
  return el("button", { type: "button", onclick, ...attributes }, label);
}

export function number(value) {
  return value === null || value === undefined ? "–" : Number(value).toLocaleString("en");
}

// An estimate: 5, or 14,000–18,000 where its bounds differ.
export function estimate(best, low, high) {
  if (low !== null && low !== undefined && high !== null && high !== undefined && low !== high) {
    return best === null || best === undefined ? `${number(low)}–${number(high)}` : `${number(best)} (${number(low)}–${number(high)})`;
  }
  return number(best ?? low ?? high);
}
