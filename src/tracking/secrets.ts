/**
 * Keeping credentials out of every message, description and file: tracking URIs are shown without
 * user-info, query or fragment, and any text that may echo a secret (a server's error body) is redacted.
 */

/** `https://user:pw@host:5000/base?x=1#f` -> `https://host:5000/base`. Non-URLs are returned unchanged. */
export function displayUri(uri: string): string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return uri;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return uri;
  const path = url.pathname === "/" ? "" : url.pathname.replace(/\/+$/, "");
  return `${url.protocol}//${url.host}${path}`;
}

/** Replaces each secret (and its URL-encoded and Basic-auth forms) in `text` with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    // Very short strings would mangle ordinary words and are not plausible secrets.
    if (secret.length < 3) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join("***");
  }
  return out;
}

/** The secrets a set of credentials implies, including the base64 of `user:password` as sent in Basic auth. */
export function secretsOf(credentials: { token?: string; username?: string; password?: string }): string[] {
  const secrets: string[] = [];
  if (credentials.token) secrets.push(credentials.token);
  if (credentials.password) {
    secrets.push(credentials.password);
    secrets.push(Buffer.from(`${credentials.username ?? ""}:${credentials.password}`).toString("base64"));
  }
  return secrets;
}

/**
 * A value with a URL's password masked: `postgresql://user:pw@host/db` -> `postgresql://user:***@host/db`.
 * Params and tags go to a shared server; a database URL given as a notebook parameter must not carry its
 * password there.
 */
export function maskUrlPasswords(value: string): string {
  return value.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]+):[^\s/@]+@/gi, "$1:***@");
}
