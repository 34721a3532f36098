/** Text made safe inside HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * `href` for a link to a report file: relative paths and http(s)/file URLs pass (HTML-escaped); anything
 * with another scheme (`javascript:`, `data:` ...) gives undefined so no link is written.
 */
export function safeHref(target: string): string | undefined {
  const trimmed = target.trim();
  if (trimmed === "") return undefined;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(trimmed);
  if (scheme && !["http", "https", "file"].includes(scheme[1]!.toLowerCase())) return undefined;
  // Spaces and other characters that would break a URL are percent-encoded; existing %xx stay as they are.
  return escapeHtml(encodeURI(trimmed).replace(/%25([0-9A-Fa-f]{2})/g, "%$1"));
}
