/** Where a daily series is fit for forecasting: cutting off the trailing days where the data runs out. */

import { median } from "../stats/descriptive.js";

export interface DailySeries {
  readonly ds: readonly Date[];
  readonly y: readonly number[];
  /** Orders per day, when known (used to find where the data trails off). */
  readonly orders?: readonly number[];
}

/**
 * Drops the trailing days where the data trails off (Olist's last weeks hold a handful of late orders, most
 * of them canceled): the series ends on the last day whose activity (orders, else y) is at least `minShare`
 * of the median activity of the `window` days before it. Returns the kept series and how many days it cut.
 */
export function trimTrailingTail(series: DailySeries, options: { minShare?: number; window?: number } = {}): DailySeries & { readonly droppedDays: number } {
  const minShare = options.minShare ?? 0.1;
  const window = options.window ?? 90;
  const activity = series.orders ?? series.y;
  let end = activity.length - 1;
  while (end >= window) {
    const reference = median(activity.slice(end - window, end));
    if (reference > 0 && activity[end]! >= minShare * reference) break;
    end--;
  }
  const keep = end + 1;
  return {
    ds: series.ds.slice(0, keep),
    y: series.y.slice(0, keep),
    ...(series.orders ? { orders: series.orders.slice(0, keep) } : {}),
    droppedDays: activity.length - keep,
  };
}
