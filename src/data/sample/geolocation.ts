import { GEO } from "./calibration.js";
import { CsvRows, float, renderCsv, str } from "./csv-writer.js";
import { formatZip, type City } from "./geography.js";
import { Random } from "./rng.js";

/**
 * olist_geolocation_dataset.csv: for every zip prefix used by a customer or a seller, a handful of rows
 * with lat/lng jittered around one point of the prefix (itself near the city's centre), with the city and
 * state; some rows are exact duplicates, as in the real file.
 */

/** How far a prefix's point may lie from its city's centre, in degrees (bigger cities spread wider). */
function cityRadiusDeg(city: City): number {
  return 0.02 + 0.015 * Math.log10(1 + city.weight);
}

export function renderGeolocation(seed: string, prefixes: ReadonlyMap<number, City>): string {
  const rng = new Random(seed, "geolocation");
  const rows = new CsvRows();
  const sorted = [...prefixes.keys()].sort((a, b) => a - b);
  for (const prefix of sorted) {
    const city = prefixes.get(prefix)!;
    const radius = cityRadiusDeg(city);
    const angle = rng.uniform(0, 2 * Math.PI);
    const dist = radius * Math.sqrt(rng.next());
    const lat0 = city.lat + dist * Math.sin(angle);
    const lng0 = city.lng + dist * Math.cos(angle);
    const n = Math.min(1 + Math.floor(rng.lognormal(GEO.rowsMedian, GEO.rowsLogSd)), GEO.maxRows);
    const own: string[] = [];
    const zip = str(formatZip(prefix));
    const place = `${str(city.name)},${str(city.state)}`;
    for (let k = 0; k < n; k++) {
      const duplicate = own.length > 0 && rng.bernoulli(GEO.duplicateShare);
      if (duplicate) {
        own.push(rng.pick(own));
        continue;
      }
      const lat = lat0 + GEO.pointJitterDeg * rng.normal();
      const lng = lng0 + GEO.pointJitterDeg * rng.normal();
      own.push(`${zip},${float(lat)},${float(lng)},${place}`);
    }
    for (const row of own) rows.push(row);
  }
  return renderCsv("geolocation", rows);
}
