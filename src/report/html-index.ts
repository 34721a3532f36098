import { escapeHtml, safeHref } from "./html-escape.js";
import { formatCell } from "./table-format.js";

/**
 * `reports/index.html`: one self-contained page (inline CSS, no scripts, no external assets) listing every
 * notebook's report with its status, when it ran, how long it took, its key metrics, the data it ran on
 * and its MLflow run id. Every value from the entries is HTML-escaped; links only to relative paths or
 * http(s)/file URLs. The output depends only on the arguments (no clock), so it can be compared in tests.
 */

export type ReportStatus = "ok" | "failed" | "skipped";

export interface IndexEntry {
  /** Notebook file name or stem, e.g. "01-transform-retail-data". */
  readonly notebook: string;
  readonly title: string;
  /** The notebook's HTML report, relative to the index page. */
  readonly htmlFile: string;
  readonly status: ReportStatus;
  /** ISO timestamp of the run. */
  readonly ranAt?: string | undefined;
  readonly durationSeconds?: number | undefined;
  readonly keyMetrics: Readonly<Record<string, number | string>>;
  /** Which data the notebook ran on, e.g. "generated sample (seed 42, 20,000 orders)". */
  readonly dataDescription?: string | undefined;
  readonly mlflowRunId?: string | undefined;
}

export interface IndexOptions {
  /** Page heading and `<title>` (default "Reports"). */
  readonly title?: string;
  /** Who made the page, shown in the footer, e.g. "npx retail-intel pipeline". */
  readonly generatedBy?: string;
}

const STATUS_LABEL: Readonly<Record<ReportStatus, string>> = { ok: "ok", failed: "failed", skipped: "not run" };

const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2933; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
.summary { color: #52606d; margin: 0 0 1.25rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .55rem .6rem; border-bottom: 1px solid #e4e7eb; }
th { font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; color: #52606d; border-bottom: 2px solid #cbd2d9; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.nb-title { font-weight: 600; }
.nb-file, .muted { color: #7b8794; font-size: .85rem; }
a { color: #1d4ed8; text-decoration: none; } a:hover { text-decoration: underline; }
.status { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .8rem; font-weight: 600; white-space: nowrap; }
.status-ok { background: #e3f9e5; color: #1f7a33; }
.status-failed { background: #ffe3e3; color: #b42318; }
.status-skipped { background: #f0f4f8; color: #52606d; }
dl.metrics { display: grid; grid-template-columns: auto auto; gap: .1rem .75rem; margin: 0; }
dl.metrics dt { color: #52606d; }
dl.metrics dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
code { font: .8rem ui-monospace, SFMono-Regular, Menlo, monospace; background: #f5f7fa; padding: .05rem .3rem; border-radius: 3px; word-break: break-all; }
footer { margin-top: 1.5rem; color: #7b8794; font-size: .8rem; }
`.trim();

/** "12.3 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "";
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h} h ${String(m).padStart(2, "0")} min` : `${m} min ${String(s).padStart(2, "0")} s`;
}

/** An ISO timestamp as "YYYY-MM-DD HH:MM UTC"; other text is returned as it is. */
export function formatRanAt(ranAt: string): string {
  const t = Date.parse(ranAt);
  if (!/^\d{4}-\d{2}-\d{2}/.test(ranAt) || Number.isNaN(t)) return ranAt;
  return `${new Date(t).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function metricsHtml(metrics: Readonly<Record<string, number | string>>): string {
  const keys = Object.keys(metrics);
  if (keys.length === 0) return '<span class="muted">—</span>';
  const items = keys.map((k) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(formatCell(metrics[k]))}</dd>`);
  return `<dl class="metrics">${items.join("")}</dl>`;
}

function notebookCell(e: IndexEntry): string {
  const title = escapeHtml(e.title || e.notebook);
  const href = e.status === "skipped" ? undefined : safeHref(e.htmlFile);
  const heading = href === undefined ? `<span class="nb-title">${title}</span>` : `<a class="nb-title" href="${href}">${title}</a>`;
  const file = e.status === "skipped" ? `${e.notebook} (no report yet)` : e.notebook;
  return `${heading}<br><span class="nb-file">${escapeHtml(file)}</span>`;
}

function entryRow(e: IndexEntry): string {
  const ranAt = e.ranAt ? `<span title="${escapeHtml(e.ranAt)}">${escapeHtml(formatRanAt(e.ranAt))}</span>` : '<span class="muted">—</span>';
  const duration = e.durationSeconds !== undefined ? escapeHtml(formatDuration(e.durationSeconds)) : '<span class="muted">—</span>';
  const data = e.dataDescription ? escapeHtml(e.dataDescription) : '<span class="muted">—</span>';
  const run = e.mlflowRunId ? `<code>${escapeHtml(e.mlflowRunId)}</code>` : '<span class="muted">—</span>';
  return [
    "<tr>",
    `<td>${notebookCell(e)}</td>`,
    `<td><span class="status status-${e.status}">${STATUS_LABEL[e.status]}</span></td>`,
    `<td>${ranAt}</td>`,
    `<td class="num">${duration}</td>`,
    `<td>${metricsHtml(e.keyMetrics)}</td>`,
    `<td>${data}</td>`,
    `<td>${run}</td>`,
    "</tr>",
  ].join("");
}

function summary(entries: readonly IndexEntry[]): string {
  const count = (s: ReportStatus): number => entries.filter((e) => e.status === s).length;
  const parts = (["ok", "failed", "skipped"] as const).filter((s) => count(s) > 0).map((s) => `${count(s)} ${STATUS_LABEL[s]}`);
  const n = entries.length;
  return `${n} notebook${n === 1 ? "" : "s"}${parts.length > 0 ? `: ${parts.join(", ")}` : ""}`;
}

/** The index page as a complete HTML document. */
export function renderIndexHtml(entries: readonly IndexEntry[], options: IndexOptions = {}): string {
  const title = escapeHtml(options.title ?? "Reports");
  const rows =
    entries.length === 0
      ? '<tr><td colspan="7" class="muted">No notebooks.</td></tr>'
      : entries.map(entryRow).join("\n");
  const footer = options.generatedBy ? `<footer>Generated by ${escapeHtml(options.generatedBy)}.</footer>` : "";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
${CSS}
</style>
</head>
<body>
<h1>${title}</h1>
<p class="summary">${escapeHtml(summary(entries))}</p>
<table>
<thead><tr><th>Notebook</th><th>Status</th><th>Ran at</th><th>Duration</th><th>Key metrics</th><th>Data</th><th>MLflow run</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${footer}
</body>
</html>
`;
}
