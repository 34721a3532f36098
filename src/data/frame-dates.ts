import pl from "nodejs-polars";

/**
 * Earliest and latest value of a Date or Datetime column as JS Dates.
 * (Series.min()/max() return raw integers for temporal columns; a select returns Dates.)
 */
export function dateExtent(frame: pl.DataFrame, column: string): { readonly min: Date; readonly max: Date } {
  const row = frame.select(pl.col(column).min().alias("min"), pl.col(column).max().alias("max")).toRecords()[0]!;
  const min: unknown = row["min"];
  const max: unknown = row["max"];
  if (!(min instanceof Date) || !(max instanceof Date)) throw new Error(`column '${column}' has no dates`);
  return { min, max };
}

/** `YYYY-MM-DD HH:MM:SS`, the Olist timestamp format (UTC fields of the Date, which holds naive local time). */
export function formatOlistTimestamp(date: Date): string {
  return date.toISOString().replace("T", " ").slice(0, 19);
}
