import { basename } from "node:path";
import pl from "nodejs-polars";
import { DataValidationError } from "../io/data-validation-error.js";
import { requireDirectory } from "../io/path-checks.js";
import { loadTable, type LoadedTable } from "./load-table.js";
import { OLIST_TABLES, tableSpec, type ForeignKey, type TableName } from "./olist-schema.js";

export type OlistTables = Readonly<Record<TableName, LoadedTable>>;

export interface ForeignKeyCheck {
  readonly table: TableName;
  readonly column: string;
  readonly references: TableName;
  readonly referencedColumn: string;
  readonly rows: number;
  readonly orphans: number;
}

/** Rows of `child` whose `fk.column` has no match in the referenced table. */
export function checkForeignKey(child: LoadedTable, parent: LoadedTable, fk: ForeignKey): ForeignKeyCheck {
  const known = parent.frame.select(pl.col(fk.referencedColumn).alias(fk.column)).unique();
  const orphans = child.frame
    .select(fk.column)
    .withRowIndex("__row")
    .join(known, { on: fk.column, how: "anti" })
    .sort("__row");
  const check: ForeignKeyCheck = {
    table: child.spec.name,
    column: fk.column,
    references: fk.references,
    referencedColumn: fk.referencedColumn,
    rows: child.frame.height,
    orphans: orphans.height,
  };
  if (orphans.height > 0) {
    const first = orphans.head(1).toRecords()[0]!;
    throw new DataValidationError({
      file: basename(child.path),
      row: child.rowLines[Number(first["__row"])],
      column: fk.column,
      value: String(first[fk.column]),
      problem: `no such ${fk.referencedColumn} in ${basename(parent.path)} (${check.orphans} row${check.orphans === 1 ? "" : "s"} of ${check.rows} have no match)`,
      expected: `a ${fk.referencedColumn} that exists in ${basename(parent.path)}`,
    });
  }
  return check;
}

export interface LoadedOlist {
  readonly tables: OlistTables;
  readonly foreignKeys: readonly ForeignKeyCheck[];
}

/**
 * Loads and validates all nine Olist tables from `dir`: per-table schema checks, then referential integrity.
 * Throws DataValidationError (file, row, column, value, expectation) on the first problem found, and
 * FileError when `dir` is not a folder.
 */
export function loadOlist(dir: string): LoadedOlist {
  requireDirectory(dir, "raw data folder", `put the nine Olist CSV files there, or run \`npx retail-intel sample --out ${dir}\``);
  const tables = Object.fromEntries(OLIST_TABLES.map((spec) => [spec.name, loadTable(dir, spec)])) as Record<TableName, LoadedTable>;
  const foreignKeys = OLIST_TABLES.flatMap((spec) =>
    spec.foreignKeys.map((fk) => checkForeignKey(tables[spec.name], tables[fk.references], fk)),
  );
  return { tables, foreignKeys };
}

/** The typed frame of one table (shorthand for notebooks). */
export function frameOf(olist: LoadedOlist, name: TableName): pl.DataFrame {
  return olist.tables[tableSpec(name).name].frame;
}
