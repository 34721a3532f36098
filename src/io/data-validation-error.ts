/** Where in which input file a problem was found, and what was expected there. */
export interface DataProblem {
  /** File name as the user knows it (e.g. `olist_orders_dataset.csv`). */
  readonly file: string;
  /** 1-based line in a text editor, the header being line 1; absent for file-level problems. */
  readonly row?: number;
  readonly column?: string;
  /** The offending value as it appears in the file. */
  readonly value?: string;
  /** What the problem is, in a few words. */
  readonly problem: string;
  /** What would have been valid. */
  readonly expected?: string;
}

const MAX_VALUE_CHARS = 80;

function quoteValue(value: string): string {
  const shown = value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…` : value;
  return JSON.stringify(shown);
}

export function formatDataProblem(p: DataProblem): string {
  const where = [p.file, p.row !== undefined ? `row ${p.row}` : "", p.column !== undefined ? `column '${p.column}'` : ""]
    .filter((s) => s !== "")
    .join(", ");
  const found = p.value !== undefined ? `: found ${quoteValue(p.value)}` : "";
  const expected = p.expected !== undefined ? `; expected ${p.expected}` : "";
  return `${where}: ${p.problem}${found}${expected}`;
}

/** Raised for input data that cannot be used as it is; the message names file, row and column. */
export class DataValidationError extends Error {
  readonly file: string;
  readonly row: number | undefined;
  readonly column: string | undefined;
  readonly value: string | undefined;
  readonly expected: string | undefined;
  readonly problem: string;

  constructor(problem: DataProblem) {
    super(formatDataProblem(problem));
    this.name = "DataValidationError";
    this.file = problem.file;
    this.row = problem.row;
    this.column = problem.column;
    this.value = problem.value;
    this.expected = problem.expected;
    this.problem = problem.problem;
  }
}
