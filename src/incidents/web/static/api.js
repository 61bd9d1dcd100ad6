// The JSON API (docs/web.md): every answer is the CLI's --format json document; errors are
// RFC 9457 problems naming the parameter at fault.

export class Problem extends Error {
  constructor(document) {
    super(document.detail || document.title || "request failed");
    this.document = document;
  }
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") search.set(name, value);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

export async function api(path, params = {}) {
  const response = await fetch(`/api/${path}${query(params)}`, { headers: { accept: "application/json" } });
  const document = await response.json().catch(() => ({ title: response.statusText, status: response.status }));
  if (!response.ok) throw new Problem(document);
  return document;
}
