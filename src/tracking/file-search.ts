/**
 * searchRuns for the local file store: MLflow's filter and order_by syntax (mlflow/utils/search_utils.py),
 * the subset that runs can be filtered and sorted on here.
 *
 * Filter: comparisons joined by `AND` (case-insensitive), each `<entity>.<key> <op> <value>`:
 * - `metrics.<key>` (also `metric.`) with `= != < <= > >=` and a number;
 * - `params.<key>` / `tags.<key>` (also `param.`, `parameter(s).`, `tag.`) with `= != LIKE ILIKE` and a
 *   quoted string ('...' or "...");
 * - `attributes.<name>` (also `attribute.`, `attr.`, `run.`) for `status`, `run_name`, `run_id`, `user_id`,
 *   `artifact_uri`, `lifecycle_stage` (strings: `= != LIKE ILIKE`) and `start_time`, `end_time` (numbers).
 * Keys may be bare (`tags.mlflow.runName`: everything after the first dot), or quoted with backticks or
 * double quotes (`tags.\`my key\``). A run missing the key does not match. Anything else (OR, IN,
 * parentheses, datasets) raises a TrackingError INVALID_PARAMETER_VALUE naming what is not supported.
 *
 * Order: `<entity>.<key> [ASC|DESC]` for the same entities (a bare attribute name is also accepted);
 * runs lacking the key sort last; the base order is MLflow's default, start_time DESC then run_id ASC.
 */
import { ErrorCodes, TrackingError } from "./errors.js";
import type { Run } from "./types.js";

type Entity = "metrics" | "params" | "tags" | "attributes";
type Op = "=" | "!=" | "<" | "<=" | ">" | ">=" | "LIKE" | "ILIKE";

interface Comparison {
  entity: Entity;
  key: string;
  op: Op;
  value: string | number;
}

const ENTITY_ALIASES: Record<string, Entity> = {
  metric: "metrics",
  metrics: "metrics",
  param: "params",
  params: "params",
  parameter: "params",
  parameters: "params",
  tag: "tags",
  tags: "tags",
  attribute: "attributes",
  attributes: "attributes",
  attr: "attributes",
  run: "attributes",
};

const STRING_ATTRIBUTES = new Set(["status", "run_name", "run_id", "user_id", "artifact_uri", "lifecycle_stage"]);
const NUMERIC_ATTRIBUTES = new Set(["start_time", "end_time"]);
const ENDPOINT = "file-store:searchRuns";

function unsupported(message: string): TrackingError {
  return new TrackingError(`${message} (local file store search supports: ${SUPPORTED})`, {
    endpoint: ENDPOINT,
    errorCode: ErrorCodes.INVALID_PARAMETER_VALUE,
  });
}

const SUPPORTED =
  "comparisons joined by AND on metrics.<key> (= != < <= > >= number), params.<key> / tags.<key> (= != LIKE ILIKE 'string'), " +
  "attributes.status|run_name|run_id|user_id|artifact_uri|lifecycle_stage (= != LIKE ILIKE 'string'), attributes.start_time|end_time (numbers)";

type Token = { kind: "ident" | "quotedKey" | "string" | "number" | "op" | "and" | "other"; text: string };

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const ch = filter[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === "`") {
      let j = i + 1;
      let text = "";
      for (;;) {
        if (j >= filter.length) throw unsupported(`Unterminated quote in filter '${filter}'`);
        const c = filter[j]!;
        if (c === ch) {
          if (filter[j + 1] === ch && ch !== "`") {
            text += ch;
            j += 2;
            continue;
          }
          break;
        }
        if (c === "\\" && j + 1 < filter.length) {
          text += filter[j + 1]!;
          j += 2;
          continue;
        }
        text += c;
        j++;
      }
      // After an entity prefix ("tags.") a quoted token is a key; elsewhere a single-quoted or double-quoted token is a value.
      const prev = tokens[tokens.length - 1];
      const isKey = ch === "`" || (prev?.kind === "ident" && prev.text.endsWith("."));
      tokens.push({ kind: isKey ? "quotedKey" : "string", text });
      i = j + 1;
      continue;
    }
    const op = /^(<=|>=|!=|<>|==|=|<|>)/.exec(filter.slice(i));
    if (op !== null) {
      tokens.push({ kind: "op", text: op[1] === "<>" ? "!=" : op[1] === "==" ? "=" : op[1]! });
      i += op[1]!.length;
      continue;
    }
    const num = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(filter.slice(i));
    const prev = tokens[tokens.length - 1];
    if (num !== null && prev?.kind === "op") {
      tokens.push({ kind: "number", text: num[0] });
      i += num[0].length;
      continue;
    }
    const word = /^[\p{L}\p{N}_.\-/:]+/u.exec(filter.slice(i));
    if (word !== null) {
      const upper = word[0].toUpperCase();
      if (upper === "AND") tokens.push({ kind: "and", text: "AND" });
      else if (upper === "LIKE" || upper === "ILIKE") tokens.push({ kind: "op", text: upper });
      else if (upper === "OR" || upper === "IN" || upper === "NOT" || upper === "IS") tokens.push({ kind: "other", text: upper });
      else tokens.push({ kind: "ident", text: word[0] });
      i += word[0].length;
      continue;
    }
    tokens.push({ kind: "other", text: ch });
    i++;
  }
  return tokens;
}

function parseIdentifier(tokens: Token[], at: number, context: string): { entity: Entity; key: string; next: number } {
  const first = tokens[at];
  if (first?.kind !== "ident") throw unsupported(`Expected <entity>.<key> in '${context}'`);
  const dot = first.text.indexOf(".");
  const prefix = dot === -1 ? first.text : first.text.slice(0, dot);
  const entity = ENTITY_ALIASES[prefix.toLowerCase()];
  if (entity === undefined || dot === -1) {
    if (dot === -1 && (STRING_ATTRIBUTES.has(first.text) || NUMERIC_ATTRIBUTES.has(first.text))) {
      return { entity: "attributes", key: first.text, next: at + 1 };
    }
    throw unsupported(`Unsupported identifier '${first.text}' in '${context}'`);
  }
  let key = first.text.slice(dot + 1);
  let next = at + 1;
  if (key === "" && tokens[next]?.kind === "quotedKey") {
    key = tokens[next]!.text;
    next++;
  }
  if (key === "") throw unsupported(`Missing key after '${first.text}' in '${context}'`);
  if (entity === "attributes" && !STRING_ATTRIBUTES.has(key) && !NUMERIC_ATTRIBUTES.has(key)) {
    throw unsupported(`Unsupported attribute '${key}' in '${context}'`);
  }
  return { entity, key, next };
}

export function parseFilter(filter: string | undefined): Comparison[] {
  if (filter === undefined || filter.trim() === "") return [];
  const tokens = tokenize(filter);
  const comparisons: Comparison[] = [];
  let i = 0;
  for (;;) {
    const { entity, key, next } = parseIdentifier(tokens, i, filter);
    const op = tokens[next];
    const value = tokens[next + 1];
    if (op?.kind !== "op") throw unsupported(`Expected a comparison operator after '${entity}.${key}' in '${filter}'`);
    if (value === undefined || (value.kind !== "string" && value.kind !== "number")) {
      throw unsupported(`Expected a value after '${entity}.${key} ${op.text}' in '${filter}'`);
    }
    const numeric = entity === "metrics" || (entity === "attributes" && NUMERIC_ATTRIBUTES.has(key));
    if (numeric) {
      if (value.kind !== "number" || op.text === "LIKE" || op.text === "ILIKE") {
        throw unsupported(`'${entity}.${key}' compares with numbers using = != < <= > >=, in '${filter}'`);
      }
      comparisons.push({ entity, key, op: op.text as Op, value: Number(value.text) });
    } else {
      if (value.kind !== "string" || !["=", "!=", "LIKE", "ILIKE"].includes(op.text)) {
        throw unsupported(`'${entity}.${key}' compares with a quoted string using = != LIKE ILIKE, in '${filter}'`);
      }
      comparisons.push({ entity, key, op: op.text as Op, value: value.text });
    }
    i = next + 2;
    if (i >= tokens.length) break;
    if (tokens[i]!.kind !== "and") throw unsupported(`Unsupported '${tokens[i]!.text}' in '${filter}'`);
    i++;
  }
  return comparisons;
}

function attributeValue(run: Run, key: string): string | number | undefined {
  const info = run.info;
  switch (key) {
    case "status":
      return info.status;
    case "run_name":
      return info.runName;
    case "run_id":
      return info.runId;
    case "user_id":
      return info.userId;
    case "artifact_uri":
      return info.artifactUri;
    case "lifecycle_stage":
      return info.lifecycleStage;
    case "start_time":
      return info.startTime;
    case "end_time":
      return info.endTime;
    default:
      return undefined;
  }
}

function valueOf(run: Run, entity: Entity, key: string): string | number | undefined {
  if (entity === "metrics") return run.data.metrics[key];
  if (entity === "params") return run.data.params[key];
  if (entity === "tags") return run.data.tags[key];
  return attributeValue(run, key);
}

function likeRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const body = pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/%/g, ".*").replace(/_/g, ".");
  return new RegExp(`^${body}$`, caseInsensitive ? "is" : "s");
}

function matches(run: Run, c: Comparison): boolean {
  const actual = valueOf(run, c.entity, c.key);
  if (actual === undefined) return false;
  switch (c.op) {
    case "=":
      return actual === c.value;
    case "!=":
      return actual !== c.value;
    case "<":
      return (actual as number) < (c.value as number);
    case "<=":
      return (actual as number) <= (c.value as number);
    case ">":
      return (actual as number) > (c.value as number);
    case ">=":
      return (actual as number) >= (c.value as number);
    case "LIKE":
      return likeRegExp(String(c.value), false).test(String(actual));
    case "ILIKE":
      return likeRegExp(String(c.value), true).test(String(actual));
  }
}

export function filterRuns(runs: Run[], filter: string | undefined): Run[] {
  const comparisons = parseFilter(filter);
  return runs.filter((run) => comparisons.every((c) => matches(run, c)));
}

interface OrderClause {
  entity: Entity;
  key: string;
  descending: boolean;
}

export function parseOrderBy(orderBy: readonly string[] | undefined): OrderClause[] {
  return (orderBy ?? []).map((clause) => {
    const tokens = tokenize(clause);
    const { entity, key, next } = parseIdentifier(tokens, 0, clause);
    let descending = false;
    const direction = tokens[next];
    if (direction !== undefined) {
      const upper = direction.text.toUpperCase();
      if (direction.kind !== "ident" || (upper !== "ASC" && upper !== "DESC") || tokens.length > next + 1) {
        throw unsupported(`Invalid order_by clause '${clause}': use '<entity>.<key> [ASC|DESC]'`);
      }
      descending = upper === "DESC";
    }
    return { entity, key, descending };
  });
}

function compareValues(a: string | number | undefined, b: string | number | undefined, descending: boolean): number {
  const aMissing = a === undefined || (typeof a === "number" && Number.isNaN(a));
  const bMissing = b === undefined || (typeof b === "number" && Number.isNaN(b));
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  const order = a! < b! ? -1 : a! > b! ? 1 : 0;
  return descending ? -order : order;
}

export function sortRuns(runs: Run[], orderBy: readonly string[] | undefined): Run[] {
  const clauses = parseOrderBy(orderBy);
  return [...runs].sort((x, y) => {
    for (const c of clauses) {
      const d = compareValues(valueOf(x, c.entity, c.key), valueOf(y, c.entity, c.key), c.descending);
      if (d !== 0) return d;
    }
    const byStart = compareValues(x.info.startTime, y.info.startTime, true);
    if (byStart !== 0) return byStart;
    return compareValues(x.info.runId, y.info.runId, false);
  });
}
