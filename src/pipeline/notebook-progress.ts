import { randomBytes } from "node:crypto";
import { appendFileSync } from "node:fs";
import { currentCellDisplayWriter, type CellDisplayWriter } from "../report/tslab-bridge.js";
import { PROGRESS_FILE_ENV } from "./env-names.js";

/**
 * Progress of a long cell (epochs, folds, backtest origins), for the person waiting on it, not for the report.
 *
 * - Under the runner (`npx retail-intel pipeline`, which sets RETAIL_INTEL_PROGRESS_FILE): appended to that
 *   file, which the runner's notebook driver tails and prints live; nothing reaches the cell's outputs.
 * - In an interactive tslab session: one line per cell, updated in place (a display with an id).
 * - Elsewhere (a script, a test): a line on stderr.
 *
 * Never throws: progress must not fail the work it reports on.
 */
export function progress(text: string): void {
  const line = oneLine(text);
  const file = process.env[PROGRESS_FILE_ENV];
  if (file && appendLine(file, line)) return;
  if (showInPlace(line)) return;
  process.stderr.write(`${line}\n`);
}

const oneLine = (text: string): string => String(text).replace(/\s*[\r\n]+\s*/g, " ").trim();

function appendLine(file: string, line: string): boolean {
  try {
    // Synchronous on purpose: the line is visible at once, even from a loop that never yields to the event loop.
    appendFileSync(file, `${line}\n`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns a function that shows a line in place: the first call in a cell opens a display, later calls in
 * the same cell update it. `currentWriter` gives the running cell's display writer (a new one per cell).
 */
export function inPlaceLine(currentWriter: () => CellDisplayWriter | undefined): (line: string) => boolean {
  let shown: { writer: CellDisplayWriter; displayId: string } | undefined;
  return (line) => {
    const writer = currentWriter();
    if (!writer) return false;
    const update = shown?.writer === writer;
    const display = update && shown ? shown : { writer, displayId: randomBytes(8).toString("hex") };
    shown = display;
    try {
      writer({ data: { "text/plain": line }, metadata: {}, transient: { display_id: display.displayId } }, update);
      return true;
    } catch {
      return false;
    }
  };
}

const showInPlace = inPlaceLine(currentCellDisplayWriter);
