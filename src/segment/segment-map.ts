import { DEFAULT_SEGMENT_MAP, SEGMENT_CONFIG_DEFAULT, referenceDateOf, rulePattern, type SegmentConfig, type SegmentRule } from "./config.js";
import type { RfmRow } from "./rfm.js";
import { checkThresholds, SCORE_BINS, scoreRfm, type RfmScoredRow } from "./scores.js";

export interface SegmentedRow extends RfmScoredRow {
  readonly segment: string;
}

/** One (R, F) pair the map does not assign to exactly one segment. */
export interface SegmentMapProblem {
  readonly r: number;
  readonly f: number;
  /** The rules matching the pair: none (a gap) or several (an overlap), as `Segment pattern`. */
  readonly matches: readonly string[];
}

/** Raised for a segment map that is malformed or does not cover each (R, F) pair exactly once. */
export class SegmentMapError extends Error {
  readonly problems: readonly SegmentMapProblem[];
  constructor(message: string, problems: readonly SegmentMapProblem[] = []) {
    super(message);
    this.name = "SegmentMapError";
    this.problems = problems;
  }
}

/**
 * The rule for a regex-style pattern on the "RF" score string: two parts, each a digit `d` or a class
 * `[a-b]`. `ruleFromPattern("[1-2][3-4]", "At Risk")` = `{ segment: "At Risk", r: [1, 2], f: [3, 4] }`.
 */
export function ruleFromPattern(pattern: string, segment: string): SegmentRule {
  const match = /^(?:(\d)|\[(\d)-(\d)\])(?:(\d)|\[(\d)-(\d)\])$/.exec(pattern.trim());
  if (match === null) throw new SegmentMapError(`segment map: pattern ${JSON.stringify(pattern)} for ${JSON.stringify(segment)} is not of the form 5[4-5]`);
  const [, r, rLo, rHi, f, fLo, fHi] = match;
  const range = (single: string | undefined, lo: string | undefined, hi: string | undefined): [number, number] =>
    single !== undefined ? [Number(single), Number(single)] : [Number(lo), Number(hi)];
  return { segment, r: range(r, rLo, rHi), f: range(f, fLo, fHi) };
}

function checkRule(rule: SegmentRule, index: number): void {
  const where = `segment map rule ${index + 1}`;
  if (typeof rule.segment !== "string" || rule.segment.trim() === "") throw new SegmentMapError(`${where}: segment name is empty`);
  for (const axis of ["r", "f"] as const) {
    const range = rule[axis];
    const ok =
      Array.isArray(range) &&
      range.length === 2 &&
      range.every((v) => Number.isInteger(v) && v >= 1 && v <= SCORE_BINS) &&
      range[0] <= range[1];
    if (!ok) {
      throw new SegmentMapError(`${where} (${rule.segment}): ${axis.toUpperCase()} range ${JSON.stringify(range)} must be [lo, hi] with integers 1 <= lo <= hi <= ${SCORE_BINS}`);
    }
  }
}

/**
 * Checks the map and returns its lookup (R, F) -> segment. Each rule must have a name and ranges within
 * 1..5, and each of the 25 (R, F) pairs must match exactly one rule; otherwise throws SegmentMapError
 * naming every pair that matches no rule or several (with the matching rules).
 */
export function compileSegmentMap(map: readonly SegmentRule[]): (r: number, f: number) => string {
  if (!Array.isArray(map) || map.length === 0) throw new SegmentMapError("segment map: no rules");
  map.forEach(checkRule);
  const grid: string[] = [];
  const problems: SegmentMapProblem[] = [];
  for (let r = 1; r <= SCORE_BINS; r++) {
    for (let f = 1; f <= SCORE_BINS; f++) {
      const hits = map.filter((rule) => rule.r[0] <= r && r <= rule.r[1] && rule.f[0] <= f && f <= rule.f[1]);
      if (hits.length === 1) grid.push(hits[0]!.segment);
      else {
        problems.push({ r, f, matches: hits.map((rule) => `${rule.segment} ${rulePattern(rule)}`) });
        grid.push("");
      }
    }
  }
  if (problems.length > 0) {
    const described = problems.map((p) =>
      p.matches.length === 0 ? `(R=${p.r}, F=${p.f}) matches no rule` : `(R=${p.r}, F=${p.f}) matches ${p.matches.length} rules: ${p.matches.join(", ")}`,
    );
    throw new SegmentMapError(`segment map must assign each (R, F) pair to exactly one segment: ${described.join("; ")}`, problems);
  }
  return (r, f) => {
    if (!Number.isInteger(r) || !Number.isInteger(f) || r < 1 || r > SCORE_BINS || f < 1 || f > SCORE_BINS) {
      throw new RangeError(`segment lookup: scores (R=${r}, F=${f}) are not integers 1..${SCORE_BINS}`);
    }
    return grid[(r - 1) * SCORE_BINS + (f - 1)]!;
  };
}

/** Throws SegmentMapError unless each (R, F) pair maps to exactly one segment (see compileSegmentMap). */
export function validateSegmentMap(map: readonly SegmentRule[]): void {
  compileSegmentMap(map);
}

/** The segments of a map, each once, in the order of their first rule (the report order). */
export function segmentNames(map: readonly SegmentRule[] = DEFAULT_SEGMENT_MAP): string[] {
  return [...new Set(map.map((rule) => rule.segment))];
}

/** Adds each scored row's segment by the map (validated first). Keeps the input order. */
export function assignSegments(rows: readonly RfmScoredRow[], map: readonly SegmentRule[] = DEFAULT_SEGMENT_MAP): SegmentedRow[] {
  const lookup = compileSegmentMap(map);
  // field by field, not a spread: one object shape, and far less garbage for 1M rows
  return rows.map(({ customerUniqueId, recencyDays, frequency, monetary, r, f, m, rf }): SegmentedRow => ({ customerUniqueId, recencyDays, frequency, monetary, r, f, m, rf, segment: lookup(r, f) }));
}

/** RFM rows -> scores (from behaviour, by the config's thresholds) -> segments, by the config's map. */
export function segmentCustomers(rows: readonly RfmRow[], config: SegmentConfig = SEGMENT_CONFIG_DEFAULT): SegmentedRow[] {
  return assignSegments(scoreRfm(rows, config.thresholds).rows, config.segmentMap);
}

/**
 * The default config with overrides, validated: the map covers each (R, F) pair once, the reference
 * date parses, the fixed method fields are the implemented ones, and every at-risk segment is a segment of the map. Throws SegmentMapError / RangeError.
 */
export function segmentConfig(overrides: Partial<SegmentConfig> = {}): SegmentConfig {
  const config: SegmentConfig = { ...SEGMENT_CONFIG_DEFAULT, ...overrides };
  // These name the one method implemented; a different value (e.g. from an experiments/*.json) is an error.
  for (const key of ["customerKey", "orderStatus", "recency", "frequency", "monetary", "scoring"] as const) {
    if (config[key] !== SEGMENT_CONFIG_DEFAULT[key]) {
      throw new RangeError(`segment config: ${key} ${JSON.stringify(config[key])} is not supported; only ${JSON.stringify(SEGMENT_CONFIG_DEFAULT[key])} is implemented`);
    }
  }
  validateSegmentMap(config.segmentMap);
  checkThresholds(config.thresholds);
  referenceDateOf(config.referenceDate);
  const names = new Set(segmentNames(config.segmentMap));
  const unknown = config.atRiskSegments.filter((s) => !names.has(s));
  if (unknown.length > 0) {
    throw new SegmentMapError(`segment config: atRiskSegments ${JSON.stringify(unknown)} are not segments of the map (${[...names].join(", ")})`);
  }
  return config;
}
