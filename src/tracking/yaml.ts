/**
 * The tiny YAML the file store needs: a flat mapping of scalars written the way MLflow's `write_yaml`
 * writes it (PyYAML `safe_dump`, `default_flow_style=False`, `sort_keys=True`, `allow_unicode=True`), and
 * a reader for such files (including ones written by MLflow itself).
 *
 * Writer rules, after PyYAML's emitter: keys sorted; `null`, integers, `true`/`false` and `[]` plain; a
 * string plain unless YAML 1.1 would read it as another type (`'0'`, `'yes'`, `'null'`, `'1.5'`) or it has
 * indicator characters; otherwise single-quoted (`'it''s'`, `''`), or double-quoted with escapes when it
 * holds line breaks or non-printable characters. PyYAML also folds long lines at 80 columns; that changes
 * only layout, not what is read, and is not done here.
 */

export type YamlScalar = string | number | boolean | null;
export type YamlValue = YamlScalar | readonly [];

// PyYAML's implicit resolvers for YAML 1.1 (yaml/resolver.py); a plain string matching one must be quoted.
const IMPLICIT: readonly RegExp[] = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/,
  /^(?:<<|=)$/,
];

/** PyYAML's notion of printable (with allow_unicode). */
function isPrintable(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return (
    (c >= 0x20 && c <= 0x7e) ||
    c === 0x85 ||
    (c >= 0xa0 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff) ||
    (c >= 0x10000 && c <= 0x10ffff)
  );
}

const LINE_BREAKS = new Set(["\n", "\r", "\x85", "\u2028", "\u2029"]);

function canBePlain(s: string): boolean {
  if (s === "" || IMPLICIT.some((re) => re.test(s))) return false;
  if (/^\s|\s$/.test(s)) return false;
  // `-`, `?`, `:` may start a plain scalar when a non-space follows (PyYAML's analyze_scalar).
  if (/^[,[\]{}#&*!|>'"%@`]/.test(s) || /^[-?:](\s|$)/.test(s)) return false;
  if (s.includes(": ") || s.includes(" #") || s.endsWith(":")) return false;
  if (s.startsWith("---") || s.startsWith("...")) return false;
  for (const ch of s) if (!isPrintable(ch) || LINE_BREAKS.has(ch)) return false;
  return true;
}

function canBeSingleQuoted(s: string): boolean {
  for (const ch of s) if (!isPrintable(ch) || LINE_BREAKS.has(ch)) return false;
  return true;
}

const ESCAPES: Record<string, string> = {
  "\0": "\\0",
  "\x07": "\\a",
  "\b": "\\b",
  "\t": "\\t",
  "\n": "\\n",
  "\v": "\\v",
  "\f": "\\f",
  "\r": "\\r",
  "\x1b": "\\e",
  '"': '\\"',
  "\\": "\\\\",
  "\x85": "\\N",
  "\u2028": "\\L",
  "\u2029": "\\P",
};

function doubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const escape = ESCAPES[ch];
    if (escape !== undefined) out += escape;
    else if (isPrintable(ch)) out += ch;
    else {
      const c = ch.codePointAt(0)!;
      out += c <= 0xff ? `\\x${c.toString(16).padStart(2, "0")}` : c <= 0xffff ? `\\u${c.toString(16).padStart(4, "0")}` : `\\U${c.toString(16).padStart(8, "0")}`;
    }
  }
  return `${out}"`;
}

export function formatYamlScalar(value: YamlValue): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "[]";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new Error(`yaml.ts writes integers only, got ${value}`);
    return String(value);
  }
  const s = value as string;
  if (canBePlain(s)) return s;
  if (canBeSingleQuoted(s)) return `'${s.replace(/'/g, "''")}'`;
  return doubleQuoted(s);
}

/** A flat mapping as MLflow's write_yaml emits it: sorted keys, one `key: value` line each. */
export function writeYamlMapping(data: Record<string, YamlValue>): string {
  return Object.keys(data)
    .sort()
    .map((key) => `${formatYamlScalar(key)}: ${formatYamlScalar(data[key]!)}\n`)
    .join("");
}

function resolvePlain(text: string): YamlScalar {
  if (/^(?:~|null|Null|NULL|)$/.test(text)) return null;
  if (/^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/.test(text)) return true;
  if (/^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/.test(text)) return false;
  if (/^[-+]?(?:0|[1-9][0-9_]*)$/.test(text)) return Number(text.replace(/_/g, ""));
  if (IMPLICIT[1]!.test(text)) {
    const t = text.replace(/_/g, "").toLowerCase();
    if (t.endsWith(".nan")) return NaN;
    if (t.endsWith(".inf")) return t.startsWith("-") ? -Infinity : Infinity;
    const n = Number(t);
    if (!Number.isNaN(n)) return n;
  }
  return text;
}

/** YAML line folding: single breaks become spaces, each extra empty line a newline. */
function fold(lines: string[]): string {
  let out = lines[0] ?? "";
  let empties = 0;
  for (const line of lines.slice(1)) {
    if (line === "") {
      empties++;
      continue;
    }
    out += empties > 0 ? "\n".repeat(empties) : " ";
    out += line;
    empties = 0;
  }
  return out;
}

function unescapeDouble(body: string): string {
  const simple: Record<string, string> = {
    "0": "\0", a: "\x07", b: "\b", t: "\t", "\t": "\t", n: "\n", v: "\v", f: "\f", r: "\r", e: "\x1b",
    " ": " ", '"': '"', "/": "/", "\\": "\\", N: "\x85", _: "\xa0", L: "\u2028", P: "\u2029",
  };
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_m, code: string) => {
    if (code.length > 1) return String.fromCodePoint(parseInt(code.slice(1), 16));
    const r = simple[code];
    if (r === undefined) throw new Error(`unknown escape \\${code}`);
    return r;
  });
}

/** Parses one scalar whose source lines (continuations already trimmed) are given. */
function parseScalar(lines: string[]): YamlValue {
  const first = lines[0]!;
  if (first.startsWith("'")) {
    const text = fold(lines.map((l, i) => (i === 0 ? l : l.trim())));
    if (!text.endsWith("'") || text.length < 2) throw new Error(`unterminated single-quoted scalar: ${first}`);
    return text.slice(1, -1).replace(/''/g, "'");
  }
  if (first.startsWith('"')) {
    // A trailing backslash joins lines without a space (escaped line break).
    let joined = "";
    lines.forEach((line, i) => {
      const part = i === 0 ? line : line.trim();
      if (i === 0) joined = part;
      else if (joined.endsWith("\\") && !joined.endsWith("\\\\")) joined = joined.slice(0, -1) + part;
      else joined += (part === "" ? "\n" : joined.endsWith("\n") ? "" : " ") + part;
    });
    if (!joined.endsWith('"') || joined.length < 2) throw new Error(`unterminated double-quoted scalar: ${first}`);
    return unescapeDouble(joined.slice(1, -1));
  }
  if (first === "[]" && lines.length === 1) return [];
  const text = fold(lines.map((l) => l.trim())).replace(/\s+#.*$/, "");
  return resolvePlain(text);
}

/**
 * Reads a top-level mapping of scalars. Keys whose value is a nested block (e.g. a non-empty `tags:` list in
 * old files) are returned as `null`; comments and document markers are skipped.
 */
export function readYamlMapping(text: string): Record<string, YamlValue> {
  const out: Record<string, YamlValue> = {};
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  let key: string | undefined;
  let valueLines: string[] = [];
  let inBlock = false;
  const finish = () => {
    if (key === undefined) return;
    while (valueLines.length > 1 && valueLines[valueLines.length - 1]!.trim() === "") valueLines.pop();
    out[key] = inBlock || valueLines.length === 0 ? null : parseScalar(valueLines);
    key = undefined;
    valueLines = [];
    inBlock = false;
  };
  for (const line of lines) {
    if (line.startsWith("#") || line === "---" || line === "...") continue;
    const indented = /^[ \t]/.test(line) || line === "";
    if (key !== undefined && (indented || (line.startsWith("- ") && valueLines.length === 0) || line === "-")) {
      if (valueLines.length === 0) inBlock = inBlock || line.trim() !== "";
      else valueLines.push(line);
      continue;
    }
    if (line.trim() === "") continue;
    finish();
    const match = /^('(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|[^:#'"][^:]*?|[^:#'"][^]*?):(?:[ \t]+(.*))?$/.exec(line);
    if (match === null) throw new Error(`not a "key: value" line: ${line}`);
    const rawKey = match[1]!;
    key = String(parseScalar([rawKey]));
    const rest = match[2]?.trimEnd() ?? "";
    if (rest !== "" && !rest.startsWith("#")) valueLines = [rest];
  }
  finish();
  return out;
}
