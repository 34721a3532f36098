/**
 * K-means cluster profiles on the original RFM scale, readable cluster names, and the cross-tab of
 * rule segments x clusters.
 */
import type { RfmValues } from "./kmeans.js";

export interface ClusterProfile {
  readonly cluster: number;
  /** Readable, unique name from the profile relative to the overall means ({@link nameClusters}). */
  readonly name: string;
  readonly size: number;
  /** size / n. */
  readonly share: number;
  /** Means on the original scale (days, orders, currency); NaN for an empty cluster. */
  readonly meanRecencyDays: number;
  readonly meanFrequency: number;
  readonly meanMonetary: number;
  /** Σ monetary of the cluster's customers. */
  readonly revenue: number;
  /** revenue / total revenue (0 when the total is 0). */
  readonly revenueShare: number;
}

/** The overall means the names are relative to. */
export interface OverallMeans {
  readonly meanRecencyDays: number;
  readonly meanFrequency: number;
  readonly meanMonetary: number;
}

/** How far a cluster's mean must be from the overall mean to earn a word: 25% above or 20% below (symmetric in log terms). */
export const NAME_RATIO = 1.25;

/** Mean frequency below which a cluster is "one-off": nearly all of it bought once. */
export const ONE_OFF_FREQUENCY = 1.1;

/**
 * The base name of a profile against the overall means: a word for each dimension on which the cluster
 * stands out, joined by ", ", so that a name never claims what the numbers do not show.
 * - recency: "recent" when mean recency < overall / 1.25, "lapsed" when > overall x 1.25;
 * - frequency: "one-off" when mean frequency < 1.1, else "repeat" when > overall x 1.25,
 *   "infrequent" when < overall / 1.25;
 * - spend: "high spend" when mean monetary > overall x 1.25, "low spend" when < overall / 1.25.
 * "typical" when it stands out on none; "empty" for an empty cluster.
 * E.g. "one-off", "repeat, high spend", "lapsed, one-off, low spend".
 */
export function clusterBaseName(profile: OverallMeans & { readonly size: number }, overall: OverallMeans): string {
  if (profile.size === 0) return "empty";
  const above = (x: number, mean: number): boolean => x > mean * NAME_RATIO;
  const below = (x: number, mean: number): boolean => x < mean / NAME_RATIO;
  const words: string[] = [];
  if (below(profile.meanRecencyDays, overall.meanRecencyDays)) words.push("recent");
  else if (above(profile.meanRecencyDays, overall.meanRecencyDays)) words.push("lapsed");
  if (profile.meanFrequency < ONE_OFF_FREQUENCY) words.push("one-off");
  else if (above(profile.meanFrequency, overall.meanFrequency)) words.push("repeat");
  else if (below(profile.meanFrequency, overall.meanFrequency)) words.push("infrequent");
  if (above(profile.meanMonetary, overall.meanMonetary)) words.push("high spend");
  else if (below(profile.meanMonetary, overall.meanMonetary)) words.push("low spend");
  return words.length === 0 ? "typical" : words.join(", ");
}

/**
 * Unique names: base names that occur once are kept; when several clusters share a base name, each
 * gets " (1)", " (2)", ... in order of decreasing mean monetary (ties -> lower cluster index), so the
 * numbering is deterministic and "(1)" is the higher-spending one.
 */
export function nameClusters(
  profiles: readonly (OverallMeans & { readonly size: number; readonly cluster: number })[],
  overall: OverallMeans,
): string[] {
  const base = profiles.map((p) => clusterBaseName(p, overall));
  const names = [...base];
  const groups = new Map<string, number[]>();
  base.forEach((b, i) => groups.set(b, [...(groups.get(b) ?? []), i]));
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const monetary = (i: number): number => {
      const v = profiles[i]!.meanMonetary;
      return Number.isNaN(v) ? -Infinity : v;
    };
    members
      .sort((a, b) => monetary(b) - monetary(a) || profiles[a]!.cluster - profiles[b]!.cluster)
      .forEach((i, rank) => (names[i] = `${base[i]!} (${rank + 1})`));
  }
  return names;
}

/**
 * One profile per cluster 0..k-1 (k = max label + 1 unless given), from the customers' RFM rows and
 * their cluster assignments (same order). Throws RangeError on mismatched lengths or a bad label.
 */
export function profileClusters(rows: readonly RfmValues[], assignments: readonly number[], k?: number): ClusterProfile[] {
  if (rows.length !== assignments.length) throw new RangeError(`profileClusters: ${rows.length} rows but ${assignments.length} assignments`);
  if (rows.length === 0) throw new RangeError("profileClusters: no rows");
  const kk = k ?? Math.max(...assignments) + 1;
  const acc = Array.from({ length: kk }, () => ({ size: 0, r: 0, f: 0, m: 0 }));
  let totalR = 0;
  let totalF = 0;
  let totalM = 0;
  rows.forEach((row, i) => {
    const c = assignments[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= kk) throw new RangeError(`profileClusters: row ${i}: cluster ${c} is not in 0..${kk - 1}`);
    const a = acc[c]!;
    a.size++;
    a.r += row.recencyDays;
    a.f += row.frequency;
    a.m += row.monetary;
    totalR += row.recencyDays;
    totalF += row.frequency;
    totalM += row.monetary;
  });
  const n = rows.length;
  const overall: OverallMeans = { meanRecencyDays: totalR / n, meanFrequency: totalF / n, meanMonetary: totalM / n };
  const partial = acc.map((a, cluster) => ({
    cluster,
    size: a.size,
    share: a.size / n,
    meanRecencyDays: a.size === 0 ? NaN : a.r / a.size,
    meanFrequency: a.size === 0 ? NaN : a.f / a.size,
    meanMonetary: a.size === 0 ? NaN : a.m / a.size,
    revenue: a.m,
    revenueShare: totalM === 0 ? 0 : a.m / totalM,
  }));
  const names = nameClusters(partial, overall);
  return partial.map(({ cluster, ...rest }, i) => ({ cluster, name: names[i]!, ...rest }));
}

export interface CrossTab {
  /** Row labels: the given order's segments that occur or are listed, then any others sorted. */
  readonly segments: string[];
  /** Column labels: clusters ascending. */
  readonly clusters: number[];
  /** counts[s][c]: customers in segments[s] and clusters[c]. */
  readonly counts: number[][];
  readonly total: number;
}

/**
 * Counts of customers per (rule segment, cluster). `segmentOrder` (e.g. the segment map's order) fixes
 * the row order and keeps listed segments with no customers as zero rows; unlisted segments follow, sorted.
 * Σ counts = n.
 */
export function crossTab(segments: readonly string[], clusters: readonly number[], segmentOrder: readonly string[] = []): CrossTab {
  if (segments.length !== clusters.length) throw new RangeError(`crossTab: ${segments.length} segments but ${clusters.length} clusters`);
  const listed = new Set(segmentOrder);
  const others = [...new Set(segments)].filter((s) => !listed.has(s)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rowLabels = [...new Set(segmentOrder), ...others];
  const colLabels = [...new Set(clusters)].sort((a, b) => a - b);
  const rowOf = new Map(rowLabels.map((s, i) => [s, i]));
  const colOf = new Map(colLabels.map((c, i) => [c, i]));
  const counts = rowLabels.map(() => new Array<number>(colLabels.length).fill(0));
  segments.forEach((s, i) => {
    counts[rowOf.get(s)!]![colOf.get(clusters[i]!)!]!++;
  });
  return { segments: rowLabels, clusters: colLabels, counts, total: segments.length };
}
