/** `text` with every regular-expression metacharacter escaped, to match a path or message literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
