import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import pl from "nodejs-polars";
import { beforeAll, describe, expect, it } from "vitest";
import { OLIST_TABLES, tableSpec, type TableName, type TableSpec } from "../src/data/olist-schema.js";
import { areRelatedCategories } from "../src/data/sample/categories.js";
import { str } from "../src/data/sample/csv-writer.js";
import {
  DEFAULT_SAMPLE_ORDERS,
  DEFAULT_SAMPLE_SEED,
  SAMPLE_MANIFEST_FILE,
  generateOlistSample,
  writeOlistSample,
} from "../src/data/sample/index.js";

// ---------------------------------------------------------------------------------------------- helpers

/** A minimal RFC 4180 reader: quoted fields may hold commas, doubled quotes, CR and LF. */
function parseCsv(text: string): string[][] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  while (i < body.length) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"') {
        if (body[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += ch;
      i++;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === ",") {
      record.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      if (ch === "\r" && body[i + 1] === "\n") i++;
    } else field += ch;
    i++;
  }
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

type Row = Record<string, string>;

function rowsOf(files: Map<string, string>, table: TableName): Row[] {
  const spec = tableSpec(table);
  const text = files.get(spec.file);
  if (text === undefined) throw new Error(`no ${spec.file}`);
  const [header, ...records] = parseCsv(text);
  expect(header).toEqual(spec.columns.map((c) => c.name));
  const ragged = records.filter((r) => r.length !== header!.length);
  expect(ragged.slice(0, 3)).toEqual([]);
  return records.map((r) => Object.fromEntries(header!.map((name, k) => [name, r[k]!])));
}

interface Sample {
  files: Map<string, string>;
  t: Record<TableName, Row[]>;
}

function load(orders: number, seed: string): Sample {
  const files = generateOlistSample({ orders, seed });
  const t = Object.fromEntries(OLIST_TABLES.map((s) => [s.name, rowsOf(files, s.name)])) as Record<TableName, Row[]>;
  return { files, t };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const seconds = (t: string): number => Date.parse(`${t.replace(" ", "T")}Z`) / 1000;
const countBy = <T>(xs: T[]): Map<T, number> => {
  const m = new Map<T, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
};

/** Checks every value of a table against its schema: nulls, patterns, value sets, ranges, types. */
function schemaViolations(spec: TableSpec, rows: Row[]): string[] {
  const problems: string[] = [];
  for (const [r, row] of rows.entries()) {
    for (const c of spec.columns) {
      const v = row[c.name]!;
      const where = `${spec.file} row ${r + 1} ${c.name}=${JSON.stringify(v)}`;
      if (v === "") {
        if (!c.nullable) problems.push(`${where}: null in a non-nullable column`);
        continue;
      }
      if (c.type === "datetime" && !DATETIME.test(v)) problems.push(`${where}: not a timestamp`);
      if (c.type === "int" && !/^-?\d+$/.test(v)) problems.push(`${where}: not an integer`);
      if (c.type === "float" && !/^-?\d+(\.\d+)?$/.test(v)) problems.push(`${where}: not a number`);
      if (c.type === "int" || c.type === "float") {
        const x = Number(v);
        if (c.min !== undefined && x < c.min) problems.push(`${where}: below ${c.min}`);
        if (c.max !== undefined && x > c.max) problems.push(`${where}: above ${c.max}`);
        if (c.greaterThan !== undefined && !(x > c.greaterThan)) problems.push(`${where}: not > ${c.greaterThan}`);
      }
      if (c.pattern && !c.pattern.regex.test(v)) problems.push(`${where}: not ${c.pattern.description}`);
      if (c.values && !c.values.includes(v)) problems.push(`${where}: not one of ${c.values.join("|")}`);
    }
    if (problems.length > 20) break;
  }
  if (spec.primaryKey.length > 0) {
    const keys = rows.map((row) => spec.primaryKey.map((k) => row[k]).join("\u0000"));
    const dup = keys.length - new Set(keys).size;
    if (dup > 0) problems.push(`${spec.file}: ${dup} duplicate keys (${spec.primaryKey.join("+")})`);
  }
  return problems;
}

// Rough CEP ranges by state (first digits), independent of the generator's tables.
const STATE_ZIP: Record<string, [number, number][]> = {
  SP: [[1000, 19999]], RJ: [[20000, 28999]], ES: [[29000, 29999]], MG: [[30000, 39999]], BA: [[40000, 48999]],
  SE: [[49000, 49999]], PE: [[50000, 56999]], AL: [[57000, 57999]], PB: [[58000, 58999]], RN: [[59000, 59999]],
  CE: [[60000, 63999]], PI: [[64000, 64999]], MA: [[65000, 65999]], PA: [[66000, 68899]], AP: [[68900, 68999]],
  AM: [[69000, 69299], [69400, 69899]], RR: [[69300, 69399]], AC: [[69900, 69999]], DF: [[70000, 72799], [73000, 73699]],
  GO: [[72800, 72999], [73700, 76799]], RO: [[76800, 76999]], TO: [[77000, 77999]], MT: [[78000, 78899]],
  MS: [[79000, 79999]], PR: [[80000, 87999]], SC: [[88000, 89999]], RS: [[90000, 99999]],
};
const zipInState = (zip: string, state: string): boolean =>
  /^\d{5}$/.test(zip) && (STATE_ZIP[state] ?? []).some(([lo, hi]) => Number(zip) >= lo && Number(zip) <= hi);

// ---------------------------------------------------------------------------------------------- samples

let big: Sample; // 20,000 orders: enough for the structural shares to be stable
let small: Sample;

beforeAll(() => {
  big = load(20_000, "olist");
  small = load(3_000, "another seed");
}, 60_000);

// ---------------------------------------------------------------------------------------------- tests

describe("sample options and API", () => {
  it("exports the CLI defaults", () => {
    expect(DEFAULT_SAMPLE_ORDERS).toBe(100_000);
    expect(DEFAULT_SAMPLE_SEED).toBe("olist");
    expect(SAMPLE_MANIFEST_FILE).toBe("retail-intel-sample.json");
  });

  it.each([0, -5, 2.5, Number.NaN, Number.POSITIVE_INFINITY])("rejects orders = %s", (orders) => {
    expect(() => generateOlistSample({ orders, seed: "x" })).toThrow(/'orders' must be an integer >= 1/);
  });

  it("rejects a non-number orders and a non-string seed", () => {
    const asText = { orders: "10" as unknown as number, seed: "x" };
    expect(() => generateOlistSample(asText)).toThrow(/'orders' must be an integer >= 1, got "10"/);
    expect(() => generateOlistSample({ orders: 10, seed: 7 as unknown as string })).toThrow(/'seed' must be a string/);
  });

  it("writeOlistSample rejects bad options before touching the folder", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "ri-sample-")), "never");
    await expect(writeOlistSample(dir, { orders: 0, seed: "x" })).rejects.toThrow(/integer >= 1/);
    expect(existsSync(dir)).toBe(false);
  });

  it("produces exactly the nine Olist files, with exactly `orders` orders and customers", () => {
    expect([...small.files.keys()].sort()).toEqual(OLIST_TABLES.map((s) => s.file).sort());
    expect(small.t.orders.length).toBe(3_000);
    expect(small.t.customers.length).toBe(3_000);
  });

  it("works for a single order", () => {
    const one = load(1, "tiny");
    expect(one.t.orders.length).toBe(1);
    expect(one.t.customers.length).toBe(1);
    for (const spec of OLIST_TABLES) expect(schemaViolations(spec, one.t[spec.name])).toEqual([]);
  });
});

describe("determinism", () => {
  it("gives byte-identical files for the same seed and different files for another seed", () => {
    const a = generateOlistSample({ orders: 1_500, seed: "same" });
    const b = generateOlistSample({ orders: 1_500, seed: "same" });
    const c = generateOlistSample({ orders: 1_500, seed: "other" });
    for (const [file, text] of a) expect(b.get(file), file).toBe(text);
    for (const spec of OLIST_TABLES) {
      if (spec.name === "category_translation") continue; // a fixed dictionary
      expect(c.get(spec.file), spec.file).not.toBe(a.get(spec.file));
    }
  });

  it("writes the files and a timestamp-free manifest atomically, byte-identical on a rerun", async () => {
    const root = mkdtempSync(join(tmpdir(), "ri-sample-"));
    try {
      const first = join(root, "a", "raw");
      const second = join(root, "b");
      await writeOlistSample(first, { orders: 500, seed: "disk" });
      await writeOlistSample(second, { orders: 500, seed: "disk" });
      const names = readdirSync(first).sort();
      expect(names).toEqual([...OLIST_TABLES.map((s) => s.file), SAMPLE_MANIFEST_FILE].sort());
      for (const name of names) expect(readFileSync(join(second, name)).equals(readFileSync(join(first, name))), name).toBe(true);
      expect(JSON.parse(readFileSync(join(first, SAMPLE_MANIFEST_FILE), "utf8"))).toEqual({
        generator: "retail-intel sample",
        version: 1,
        seed: "disk",
        orders: 500,
        createdBy: "npx retail-intel sample",
      });
      const generated = generateOlistSample({ orders: 500, seed: "disk" });
      for (const [file, text] of generated) expect(readFileSync(join(first, file), "utf8"), file).toBe(text);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

const REAL_DIR = join(import.meta.dirname, "..", "..", "shared", "olist");
const haveReal = existsSync(REAL_DIR);

describe.skipIf(!haveReal)("file format matches the real Kaggle files", () => {
  const realText = (file: string): string => gunzipSync(readFileSync(join(REAL_DIR, `${file}.gz`))).toString("utf8");
  const headerLine = (text: string): string => text.slice(0, text.indexOf("\n") + 1);

  it.each(["order_payments", "products", "sellers", "category_translation"] as const)("%s header line is byte-identical", (table) => {
    const file = tableSpec(table).file;
    const real = headerLine(realText(file));
    expect(real.length).toBeGreaterThan(10);
    expect(headerLine(small.files.get(file)!)).toBe(real);
  });

  it("reproduces the translation file exactly (BOM, CRLF, no final newline, 71 pairs)", () => {
    const file = tableSpec("category_translation").file;
    expect(small.files.get(file)).toBe(realText(file));
  });
});

describe("value formatting", () => {
  it("quotes strings that start with a digit and nothing else of a plain id", () => {
    for (const line of small.files.get(tableSpec("order_payments").file)!.split("\n").slice(1, -1)) {
      expect(line).toMatch(/^("?)[0-9a-f]{32}\1,\d+,(credit_card|boleto|voucher|debit_card|not_defined),\d+,\d+\.\d\d$/);
      expect(line.startsWith('"')).toBe(/^\d/.test(line.replace(/^"/, "")));
    }
    for (const line of small.files.get(tableSpec("sellers").file)!.split("\n").slice(1, -1)) {
      expect(line).toMatch(/^("?)[0-9a-f]{32}\1,"\d{5}",[a-z][^,"]*,[A-Z]{2}$/);
    }
  });

  it("writes timestamps bare, money with two decimals and floats with full precision", () => {
    const items = small.files.get(tableSpec("order_items").file)!.split("\n")[1]!;
    expect(items).toMatch(/^"?[0-9a-f]{32}"?,\d+,"?[0-9a-f]{32}"?,"?[0-9a-f]{32}"?,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+\.\d\d,\d+\.\d\d$/);
    const orders = small.files.get(tableSpec("orders").file)!;
    expect(orders).toMatch(/,delivered,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,/);
    expect(orders).toMatch(/ 00:00:00\n/);
    const geo = small.files.get(tableSpec("geolocation").file)!.split("\n")[1]!;
    expect(geo).toMatch(/^"\d{5}",-?\d+\.\d{6,},-?\d+\.\d{6,},[a-z][a-z' -]*,[A-Z]{2}$/);
    expect(small.files.get(tableSpec("order_payments").file)).toMatch(/,\d+\.\d0\n/); // trailing zeros kept (e.g. 20.00)
  });

  it("quotes values with commas, quotes and line breaks so they parse back", () => {
    const tricky = ['a "quoted", value', "line one\r\nline two", "x\ny", "5 estrelas", "plain"];
    const line = tricky.map((v) => str(v)).join(",");
    expect(line).toBe('"a ""quoted"", value","line one\r\nline two","x\ny","5 estrelas",plain');
    expect(parseCsv(`${line}\n`)).toEqual([tricky]);
  });

  it("review messages hold commas and CRLF/LF line breaks, and polars reads them like our parser", () => {
    const reviews = big.t.order_reviews;
    const messages = reviews.map((r) => r.review_comment_message!).filter((m) => m !== "");
    expect(messages.some((m) => m.includes(","))).toBe(true);
    expect(messages.some((m) => m.includes("\r\n"))).toBe(true);
    expect(messages.some((m) => /[^\r]\n/.test(m))).toBe(true);
    const text = big.files.get(tableSpec("order_reviews").file)!;
    expect(text.split("\n").length - 2).toBeGreaterThan(reviews.length); // physical lines > records
    const frame = pl.readCSV(Buffer.from(text, "utf8"), { inferSchemaLength: 0 });
    expect(frame.height).toBe(reviews.length);
    const polarsMessages = (frame.getColumn("review_comment_message").toArray() as (string | null)[]).map((m) => m ?? "");
    expect(polarsMessages).toEqual(reviews.map((r) => r.review_comment_message));
  });
});

describe("schema constraints and foreign keys", () => {
  it.each(OLIST_TABLES.map((s) => [s.name, s] as const))("%s respects the schema and its key", (_, spec) => {
    expect(schemaViolations(spec, big.t[spec.name])).toEqual([]);
    expect(schemaViolations(spec, small.t[spec.name])).toEqual([]);
  });

  it("every foreign key resolves; every product and seller is sold", () => {
    for (const s of [big, small]) {
      for (const spec of OLIST_TABLES) {
        for (const fk of spec.foreignKeys) {
          const known = new Set(s.t[fk.references].map((r) => r[fk.referencedColumn]));
          const orphans = s.t[spec.name].filter((r) => !known.has(r[fk.column]));
          expect(orphans.length, `${spec.name}.${fk.column}`).toBe(0);
        }
      }
      const soldProducts = new Set(s.t.order_items.map((i) => i.product_id));
      const soldBy = new Set(s.t.order_items.map((i) => i.seller_id));
      expect(s.t.products.every((p) => soldProducts.has(p.product_id))).toBe(true);
      expect(s.t.sellers.every((x) => soldBy.has(x.seller_id))).toBe(true);
      expect(new Set(s.t.orders.map((o) => o.customer_id)).size).toBe(s.t.customers.length); // one customer row per order
    }
  });

  it("zip prefixes agree with the state, and geolocation covers every customer and seller prefix", () => {
    const { customers, sellers, geolocation } = big.t;
    expect(customers.filter((c) => !zipInState(c.customer_zip_code_prefix!, c.customer_state!))).toEqual([]);
    expect(sellers.filter((s) => !zipInState(s.seller_zip_code_prefix!, s.seller_state!))).toEqual([]);
    expect(geolocation.filter((g) => !zipInState(g.geolocation_zip_code_prefix!, g.geolocation_state!))).toEqual([]);
    const geoPrefixes = new Set(geolocation.map((g) => g.geolocation_zip_code_prefix));
    expect(customers.filter((c) => !geoPrefixes.has(c.customer_zip_code_prefix))).toEqual([]);
    expect(sellers.filter((s) => !geoPrefixes.has(s.seller_zip_code_prefix))).toEqual([]);
    const perPrefix = countBy(geolocation.map((g) => g.geolocation_zip_code_prefix));
    expect(mean([...perPrefix.values()])).toBeGreaterThan(2);
    const distinctRows = new Set(geolocation.map((g) => Object.values(g).join(","))).size;
    expect(distinctRows).toBeLessThan(geolocation.length); // some exact duplicate rows, as in Olist
    const outsideBrazil = geolocation.filter((g) => {
      const [lat, lng] = [Number(g.geolocation_lat), Number(g.geolocation_lng)];
      return !(lat > -34 && lat < 6 && lng > -74 && lng < -34);
    });
    expect(outsideBrazil).toEqual([]);
  });
});

describe("behaviour close to Olist", () => {
  it("status mix is close to the real one", () => {
    const n = big.t.orders.length;
    const share = countBy(big.t.orders.map((o) => o.order_status));
    const pct = (s: string): number => (100 * (share.get(s) ?? 0)) / n;
    expect(pct("delivered")).toBeGreaterThan(95.5);
    expect(pct("delivered")).toBeLessThan(98.5);
    expect(pct("shipped")).toBeGreaterThan(0.6);
    expect(pct("shipped")).toBeLessThan(1.8);
    for (const s of ["canceled", "unavailable"]) {
      expect(pct(s)).toBeGreaterThan(0.3);
      expect(pct(s)).toBeLessThan(1.1);
    }
    for (const s of ["invoiced", "processing"]) {
      expect(pct(s)).toBeGreaterThan(0.1);
      expect(pct(s)).toBeLessThan(0.6);
    }
  });

  it("timestamps are consistent with the status", () => {
    const problems: string[] = [];
    const check = (ok: boolean, o: Row, what: string): void => {
      if (!ok) problems.push(`${o.order_id} (${o.order_status}): ${what}`);
    };
    for (const o of big.t.orders) {
      const p = seconds(o.order_purchase_timestamp!);
      const a = o.order_approved_at ? seconds(o.order_approved_at) : null;
      const c = o.order_delivered_carrier_date ? seconds(o.order_delivered_carrier_date) : null;
      const d = o.order_delivered_customer_date ? seconds(o.order_delivered_customer_date) : null;
      check(o.order_estimated_delivery_date!.endsWith(" 00:00:00"), o, "estimated date not at midnight");
      check(seconds(o.order_estimated_delivery_date!) > p, o, "estimated before purchase");
      check(a === null || a >= p, o, "approved before purchase");
      check(c === null || c >= (a ?? p), o, "carrier before approval");
      check(d === null || d >= (c ?? p), o, "delivered before carrier");
      if (o.order_status === "delivered") check(a !== null && c !== null && d !== null, o, "missing a date");
      if (o.order_status === "shipped") check(c !== null && d === null, o, "carrier/delivery");
      if (o.order_status === "created") check(a === null, o, "approved");
      if (["invoiced", "processing", "unavailable", "approved"].includes(o.order_status!)) check(c === null && d === null, o, "moved");
      check(o.order_purchase_timestamp! >= "2016-09-04" && o.order_purchase_timestamp! < "2018-10-18", o, "outside the period");
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it("delivery takes ~10 days, ~8% arrive late and late deliveries are reviewed lower", () => {
    const delivered = big.t.orders.filter((o) => o.order_status === "delivered");
    const days = delivered.map((o) => (seconds(o.order_delivered_customer_date!) - seconds(o.order_purchase_timestamp!)) / 86_400);
    expect(median(days)).toBeGreaterThan(7);
    expect(median(days)).toBeLessThan(14);
    const late = new Set(delivered.filter((o) => o.order_delivered_customer_date! > o.order_estimated_delivery_date!).map((o) => o.order_id));
    expect(late.size / delivered.length).toBeGreaterThan(0.04);
    expect(late.size / delivered.length).toBeLessThan(0.13);
    const deliveredIds = new Set(delivered.map((o) => o.order_id));
    const scores = (pred: (id: string) => boolean): number[] =>
      big.t.order_reviews.filter((r) => pred(r.order_id!)).map((r) => Number(r.review_score));
    const lateMean = mean(scores((id) => late.has(id)));
    const onTimeMean = mean(scores((id) => deliveredIds.has(id) && !late.has(id)));
    expect(onTimeMean - lateMean).toBeGreaterThan(1);
  });

  it("calendar: growth through 2017, a Black Friday spike, quiet weekends", () => {
    const days = countBy(big.t.orders.map((o) => o.order_purchase_timestamp!.slice(0, 10)));
    const months = countBy(big.t.orders.map((o) => o.order_purchase_timestamp!.slice(0, 7)));
    expect(months.get("2017-11")!).toBeGreaterThan(5 * months.get("2017-01")!);
    expect(months.get("2018-03")!).toBeGreaterThan(months.get("2017-03")!);
    expect((months.get("2018-09") ?? 0) + (months.get("2018-10") ?? 0)).toBeLessThan(20);
    const nov = [...days].filter(([d]) => d.startsWith("2017-11")).map(([, n]) => n);
    expect(days.get("2017-11-24")!).toBeGreaterThan(3 * median(nov));
    const wd = countBy(big.t.orders.map((o) => new Date(`${o.order_purchase_timestamp!.slice(0, 10)}T00:00:00Z`).getUTCDay()));
    expect(wd.get(1)! + wd.get(2)!).toBeGreaterThan(1.2 * (wd.get(6)! + wd.get(0)!));
    const night = big.t.orders.filter((o) => ["03", "04", "05"].includes(o.order_purchase_timestamp!.slice(11, 13))).length;
    const afternoon = big.t.orders.filter((o) => ["14", "15", "16"].includes(o.order_purchase_timestamp!.slice(11, 13))).length;
    expect(afternoon).toBeGreaterThan(10 * night);
  });

  describe("repeat buyers", () => {
    let persons: Map<string, Row[]>;
    let categoriesOf: Map<string, Set<string>>;
    beforeAll(() => {
      const customerOf = new Map(big.t.customers.map((c) => [c.customer_id!, c.customer_unique_id!]));
      persons = new Map();
      for (const o of big.t.orders) {
        const uid = customerOf.get(o.customer_id!)!;
        persons.set(uid, [...(persons.get(uid) ?? []), o]);
      }
      const categoryOf = new Map(big.t.products.map((p) => [p.product_id!, p.product_category_name!]));
      categoriesOf = new Map();
      for (const i of big.t.order_items) {
        const c = categoryOf.get(i.product_id!)!;
        if (c === "") continue;
        const set = categoriesOf.get(i.order_id!) ?? new Set<string>();
        set.add(c);
        categoriesOf.set(i.order_id!, set);
      }
    });

    it("most people buy once; 2-4.5% of unique customers come back", () => {
      const repeaters = [...persons.values()].filter((os) => os.length > 1).length;
      expect(repeaters / persons.size).toBeGreaterThan(0.02);
      expect(repeaters / persons.size).toBeLessThan(0.045);
      expect(persons.size / big.t.orders.length).toBeGreaterThan(0.93);
    });

    it("returns to the same category 35-60% of the time, after a median gap of 15-60 days", () => {
      let same = 0;
      let pairs = 0;
      const gaps: number[] = [];
      for (const os of persons.values()) {
        const sorted = [...os].sort((a, b) => (a.order_purchase_timestamp! < b.order_purchase_timestamp! ? -1 : 1));
        for (let k = 1; k < sorted.length; k++) {
          const [a, b] = [sorted[k - 1]!, sorted[k]!];
          gaps.push((seconds(b.order_purchase_timestamp!) - seconds(a.order_purchase_timestamp!)) / 86_400);
          const ca = categoriesOf.get(a.order_id!);
          const cb = categoriesOf.get(b.order_id!);
          if (!ca || !cb) continue;
          pairs++;
          if ([...ca].some((c) => cb.has(c))) same++;
        }
      }
      expect(pairs).toBeGreaterThan(200);
      expect(same / pairs).toBeGreaterThan(0.35);
      expect(same / pairs).toBeLessThan(0.6);
      expect(median(gaps)).toBeGreaterThan(15);
      expect(median(gaps)).toBeLessThan(60);
    });

    it("customers keep one address and their zip prefix matches their state", () => {
      const byPerson = new Map<string, Set<string>>();
      for (const c of big.t.customers) {
        const set = byPerson.get(c.customer_unique_id!) ?? new Set<string>();
        set.add(`${c.customer_zip_code_prefix}|${c.customer_city}|${c.customer_state}`);
        byPerson.set(c.customer_unique_id!, set);
      }
      expect([...byPerson.values()].every((s) => s.size === 1)).toBe(true);
      const states = countBy(big.t.customers.map((c) => c.customer_state!));
      expect(states.get("SP")! / big.t.customers.length).toBeGreaterThan(0.38);
      expect(states.get("SP")! / big.t.customers.length).toBeLessThan(0.46);
      expect(states.size).toBeGreaterThan(20);
    });
  });

  it("~90% of orders have one item; multi-item orders repeat a product or add related ones", () => {
    const linesOf = new Map<string, Row[]>();
    for (const i of big.t.order_items) linesOf.set(i.order_id!, [...(linesOf.get(i.order_id!) ?? []), i]);
    const withItems = [...linesOf.values()];
    const multi = withItems.filter((ls) => ls.length > 1);
    expect(multi.length / withItems.length).toBeGreaterThan(0.07);
    expect(multi.length / withItems.length).toBeLessThan(0.13);
    expect(big.t.order_items.length / big.t.orders.length).toBeGreaterThan(1.08);
    expect(big.t.order_items.length / big.t.orders.length).toBeLessThan(1.2);
    expect(withItems.filter((ls) => ls.some((l, k) => Number(l.order_item_id) !== k + 1))).toEqual([]);
    const categoryOf = new Map(big.t.products.map((p) => [p.product_id!, p.product_category_name!]));
    const repeated = multi.filter((ls) => new Set(ls.map((l) => l.product_id)).size < ls.length).length;
    expect(repeated / multi.length).toBeGreaterThan(0.5);
    const related = multi.filter((ls) => {
      const first = categoryOf.get(ls[0]!.product_id!)!;
      return ls.every((l) => areRelatedCategories(first, categoryOf.get(l.product_id!)!));
    }).length;
    expect(related / multi.length).toBeGreaterThan(0.95);
    const singleCategory = multi.filter((ls) => new Set(ls.map((l) => categoryOf.get(l.product_id!))).size === 1).length;
    expect(singleCategory / multi.length).toBeLessThan(0.98); // some baskets do mix complementary categories
  });

  it("popularity is long-tailed: top 10% of products hold > 40% of item rows", () => {
    const counts = [...countBy(big.t.order_items.map((i) => i.product_id!)).values()].sort((a, b) => b - a);
    const top = counts.slice(0, Math.ceil(big.t.products.length / 10)).reduce((a, b) => a + b, 0);
    expect(top / big.t.order_items.length).toBeGreaterThan(0.4);
    const ratio = big.t.products.length / big.t.orders.length;
    expect(ratio).toBeGreaterThan(0.28); // 32,951 products per 99,441 orders in Olist
    expect(ratio).toBeLessThan(0.38);
    const categories = countBy(big.t.products.map((p) => p.product_category_name!));
    expect(categories.size).toBeGreaterThan(60);
    const ranked = [...categories].filter(([c]) => c !== "").sort((a, b) => b[1] - a[1]);
    expect(ranked.slice(0, 5).map(([c]) => c)).toContain("cama_mesa_banho");
  });

  it("prices are log-normal-like, payments sum to price + freight and follow the real type mix", () => {
    const prices = big.t.order_items.map((i) => Number(i.price));
    expect(median(prices)).toBeGreaterThan(55);
    expect(median(prices)).toBeLessThan(100);
    expect(mean(prices) / median(prices)).toBeGreaterThan(1.3);
    const freight = big.t.order_items.map((i) => Number(i.freight_value));
    expect(mean(freight)).toBeGreaterThan(12);
    expect(mean(freight)).toBeLessThan(30);
    const owed = new Map<string, number>();
    const cents = (v: string | undefined): number => Math.round(Number(v) * 100);
    for (const i of big.t.order_items) owed.set(i.order_id!, (owed.get(i.order_id!) ?? 0) + cents(i.price) + cents(i.freight_value));
    const paid = new Map<string, number>();
    for (const p of big.t.order_payments) paid.set(p.order_id!, (paid.get(p.order_id!) ?? 0) + Math.round(Number(p.payment_value) * 100));
    const statusOf = new Map(big.t.orders.map((o) => [o.order_id!, o.order_status!]));
    const unbalanced = [...owed].filter(([order, due]) => statusOf.get(order) !== "canceled" && paid.get(order) !== due);
    expect(unbalanced).toEqual([]);
    expect(new Set(big.t.order_payments.map((p) => p.order_id)).size).toBe(big.t.orders.length);
    const types = countBy(big.t.order_payments.map((p) => p.payment_type!));
    const n = big.t.order_payments.length;
    expect(types.get("credit_card")! / n).toBeGreaterThan(0.68);
    expect(types.get("boleto")! / n).toBeGreaterThan(0.15);
    expect(types.get("voucher")! / n).toBeGreaterThan(0.03);
    expect(types.get("debit_card")! / n).toBeGreaterThan(0.007);
    const badInstalments = big.t.order_payments.filter((p) => {
      const k = Number(p.payment_installments);
      return p.payment_type === "credit_card" ? !(k >= 1 && k <= 24) : k !== 1;
    });
    expect(badInstalments).toEqual([]);
    const perOrder = countBy(big.t.order_payments.map((p) => p.order_id!));
    const multiPay = [...perOrder].filter(([, k]) => k > 1).map(([o]) => o);
    expect(multiPay.length / perOrder.size).toBeGreaterThan(0.01);
    const voucherOrders = new Set(big.t.order_payments.filter((p) => p.payment_type === "voucher").map((p) => p.order_id));
    expect(multiPay.filter((o) => voucherOrders.has(o)).length / multiPay.length).toBeGreaterThan(0.8);
    const cardInstalments = big.t.order_payments.filter((p) => p.payment_type === "credit_card").map((p) => Number(p.payment_installments));
    expect(cardInstalments.filter((k) => k === 1).length / cardInstalments.length).toBeGreaterThan(0.25);
    expect(cardInstalments.filter((k) => k === 1).length / cardInstalments.length).toBeLessThan(0.42);
  });

  it("reviews: about one per order, scores skewed high, a few shared ids, ~41% messages, ~12% titles", () => {
    const reviews = big.t.order_reviews;
    const n = big.t.orders.length;
    expect(reviews.length / n).toBeGreaterThan(0.98);
    expect(reviews.length / n).toBeLessThan(1.02);
    const scores = countBy(reviews.map((r) => r.review_score!));
    expect(scores.get("5")! / reviews.length).toBeGreaterThan(0.5);
    expect(scores.get("1")! / reviews.length).toBeGreaterThan(0.07);
    expect(scores.get("2")!).toBeLessThan(scores.get("1")!);
    const withMessage = reviews.filter((r) => r.review_comment_message !== "").length / reviews.length;
    const withTitle = reviews.filter((r) => r.review_comment_title !== "").length / reviews.length;
    expect(withMessage).toBeGreaterThan(0.35);
    expect(withMessage).toBeLessThan(0.47);
    expect(withTitle).toBeGreaterThan(0.08);
    expect(withTitle).toBeLessThan(0.16);
    expect(new Set(reviews.map((r) => r.review_id)).size).toBeLessThan(reviews.length);
    expect([...countBy(reviews.map((r) => r.order_id!)).values()].some((k) => k > 1)).toBe(true);
    const badDates = reviews.filter(
      (r) => !r.review_creation_date!.endsWith(" 00:00:00") || !(r.review_answer_timestamp! > r.review_creation_date!),
    );
    expect(badDates).toEqual([]);
  });
});
