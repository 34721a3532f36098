import pl from "nodejs-polars";
import { dateExtent } from "../data/frame-dates.js";
import { countsAsRevenue, MS_PER_DAY } from "./revenue.js";

/**
 * Daily revenue in Prophet's shape: `ds` (date), `y` (revenue, see REVENUE_DEFINITION) and `orders`
 * (revenue-bearing orders). Every calendar day from the first to the last purchase has a row; a day
 * without orders has y = 0, so gaps in the data stay visible instead of being bridged.
 */
export function buildDailyRevenue(orderFacts: pl.DataFrame): pl.DataFrame {
  const perDay = orderFacts
    .filter(countsAsRevenue(pl.col("order_status")))
    .groupBy("purchase_date")
    .agg(pl.col("revenue").sum().alias("y"), pl.len().cast(pl.Int64).alias("orders"));
  const extent = dateExtent(orderFacts, "purchase_date");
  const first = extent.min.getTime();
  const last = extent.max.getTime();
  const days = Math.round((last - first) / MS_PER_DAY) + 1;
  const calendar = pl.DataFrame({
    ds: Array.from({ length: days }, (_, i) => new Date(first + i * MS_PER_DAY)),
  }).withColumns(pl.col("ds").cast(pl.Date));
  return calendar
    .join(perDay, { leftOn: "ds", rightOn: "purchase_date", how: "left" })
    .select(pl.col("ds"), pl.col("y").fillNull(0).cast(pl.Float64), pl.col("orders").fillNull(0).cast(pl.Int64))
    .sort("ds");
}
