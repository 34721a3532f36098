import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { PROGRESS_FILE_ENV } from "../src/pipeline/env-names.js";
import { executeNotebook, JUPYTER_PYTHON } from "../src/pipeline/execute.js";
import { inPlaceLine, progress } from "../src/pipeline/notebook-progress.js";
import type { CellDisplayWriter, DisplayContent } from "../src/report/tslab-bridge.js";

const ROOT = join(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "retail-intel-progress-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pythonReady = spawnSync(JUPYTER_PYTHON, ["-c", "pass"]).status === 0;
const kernelSpec = join(ROOT, ".jupyter", "share", "jupyter", "kernels", "tslab", "kernel.json");
const jupyterReady = pythonReady && spawnSync(JUPYTER_PYTHON, ["-c", "import nbclient, nbconvert"]).status === 0 && existsSync(kernelSpec);

describe("nb.progress", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it("under the runner appends one line per call to the progress file and prints nothing", () => {
    const file = join(dir, "unit-progress.log");
    writeFileSync(file, "");
    vi.stubEnv(PROGRESS_FILE_ENV, file);
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    progress("temporal-full seed 1 epoch 1/2 loss 6.10");
    progress("a message\nover two lines");
    expect(readFileSync(file, "utf8")).toBe("temporal-full seed 1 epoch 1/2 loss 6.10\na message over two lines\n");
    expect(stderr).not.toHaveBeenCalled();
  });

  it("outside the runner and a kernel writes the line to stderr", () => {
    vi.stubEnv(PROGRESS_FILE_ENV, "");
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    progress("fold 2/6");
    expect(stderr).toHaveBeenCalledWith("fold 2/6\n");
  });

  it("in a kernel shows one display per cell and updates it in place", () => {
    const sent: { cell: string; content: DisplayContent; update: boolean }[] = [];
    const writerOf = (cell: string): CellDisplayWriter => (content, update) => sent.push({ cell, content, update });
    let current: CellDisplayWriter | undefined = writerOf("cell 1");
    const show = inPlaceLine(() => current);
    show("epoch 1/2");
    show("epoch 2/2");
    current = writerOf("cell 2");
    show("fold 1/3");
    current = undefined;
    expect(show("not in a kernel")).toBe(false);

    expect(sent.map((s) => [s.cell, s.content.data["text/plain"], s.update])).toEqual([
      ["cell 1", "epoch 1/2", false],
      ["cell 1", "epoch 2/2", true],
      ["cell 2", "fold 1/3", false],
    ]);
    const ids = sent.map((s) => s.content.transient["display_id"]);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });
});

/** A stand-in for scripts/execute_notebook.py: checks it was given the progress file, then reports events. */
const FAKE_DRIVER = `
import json, os, sys
args = sys.argv[1:]
progress_file = args[args.index("--progress-file") + 1]
assert os.environ["${PROGRESS_FILE_ENV}"] == progress_file, "the kernel would not see the progress file"
assert os.path.exists(progress_file)
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "progress-file-path"), "w") as handle:
    handle.write(progress_file)
def emit(**fields):
    print(json.dumps(fields), flush=True)
emit(event="start", cells=2)
emit(event="cell_start", index=0, number=1, cells=2, source="// training\\nconst result = await nb.evaluateRecommenders(dataset, {")
for epoch in (1, 2, 3):
    emit(event="progress", index=0, number=1, cells=2, text=f"temporal-full seed 1 epoch {epoch}/3 loss {7 - epoch}.00")
emit(event="cell_done", index=0, number=1, seconds=1.5)
emit(event="cell_start", index=1, number=2, cells=2, source="nb.showTable(rows)")
emit(event="cell_done", index=1, number=2, seconds=0.1)
emit(event="written", notebook=args[1], html=args[2])
`;

describe.skipIf(!pythonReady)("the runner's side of progress (a fake driver)", () => {
  it("prints each progress event as a line of its cell with the elapsed time, and removes the progress file", async () => {
    const root = join(dir, "fake-root");
    mkdirSync(join(root, "scripts"), { recursive: true });
    writeFileSync(join(root, "scripts", "execute_notebook.py"), FAKE_DRIVER);
    const lines: string[] = [];
    const result = await executeNotebook({
      notebookPath: join(root, "nb.ipynb"),
      outputNotebook: join(root, "out.ipynb"),
      outputHtml: join(root, "out.html"),
      root,
      env: { ...process.env },
      label: "05-two-tower-recommender",
      log: (line) => lines.push(line),
    });
    expect(result.status).toBe("ok");
    const seconds = String.raw`\d+\.\d s`;
    const expected = [
      String.raw`cell 1/2  ${seconds}  const result = await nb\.evaluateRecommenders\(dataset, \{`,
      String.raw`cell 1/2  ${seconds}  temporal-full seed 1 epoch 1/3 loss 6\.00`,
      String.raw`cell 1/2  ${seconds}  temporal-full seed 1 epoch 2/3 loss 5\.00`,
      String.raw`cell 1/2  ${seconds}  temporal-full seed 1 epoch 3/3 loss 4\.00`,
      String.raw`cell 2/2  ${seconds}  nb\.showTable\(rows\)`,
    ];
    expect(lines).toHaveLength(expected.length);
    lines.forEach((line, i) => expect(line).toMatch(new RegExp(`^\\[05-two-tower-recommender\\] ${expected[i]}$`)));
    const progressFile = readFileSync(join(root, "scripts", "progress-file-path"), "utf8");
    expect(progressFile).not.toBe("");
    expect(existsSync(progressFile)).toBe(false);
  });
});

describe.skipIf(!jupyterReady)("progress from a real tslab notebook", () => {
  it("reaches the runner's log live, in order, during its cell, and stays out of the executed notebook and HTML", async () => {
    const work = join(dir, "real");
    mkdirSync(work, { recursive: true });
    const ack = join(work, "seen-first-line");
    const cell = (source: string) => ({ cell_type: "code", metadata: {}, execution_count: null, outputs: [], source });
    const notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
      cells: [
        cell(`const { load } = require(${JSON.stringify(join(ROOT, "src", "report", "notebook-env.cjs"))});\nconst nb = await load("src/pipeline/notebook-progress.ts");\nconst fs = require("fs");`),
        cell(
          [
            `console.log("normal output stays in the report");`,
            `for (const step of [1, 2, 3]) {`,
            `  nb.progress(\`progress-marker \${step}/3\`);`,
            // The cell goes on only once the runner has printed the first line: proof that lines arrive while the cell runs.
            `  const until = Date.now() + 60_000;`,
            `  while (step === 1 && !fs.existsSync(${JSON.stringify(ack)})) {`,
            `    if (Date.now() > until) throw new Error("the runner did not see the first progress line while the cell ran");`,
            `    await new Promise((r) => setTimeout(r, 50));`,
            `  }`,
            `}`,
          ].join("\n"),
        ),
        cell(`delete process.env["${PROGRESS_FILE_ENV}"];\nfor (const step of [1, 2, 3]) nb.progress(\`in-place \${step}/3\`);`),
      ],
    };
    const input = join(work, "progress.ipynb");
    writeFileSync(input, JSON.stringify(notebook));
    const lines: string[] = [];
    const outputNotebook = join(work, "out.ipynb");
    const outputHtml = join(work, "out.html");
    const result = await executeNotebook({
      notebookPath: input,
      outputNotebook,
      outputHtml,
      root: ROOT,
      env: { ...process.env, JUPYTER_PATH: join(ROOT, ".jupyter", "share", "jupyter") },
      label: "progress-test",
      timeoutSeconds: 120,
      log: (line) => {
        lines.push(line);
        if (line.includes("progress-marker 1/3")) writeFileSync(ack, "");
      },
    });
    expect(result.status, JSON.stringify(result)).toBe("ok");

    const cell2 = lines.findIndex((l) => l.startsWith("[progress-test] cell 2/3 "));
    const cell3 = lines.findIndex((l) => l.startsWith("[progress-test] cell 3/3 "));
    const progressLines = lines.filter((l) => l.includes("progress-marker"));
    expect(progressLines).toHaveLength(3);
    progressLines.forEach((line, i) => {
      expect(line).toMatch(new RegExp(`^\\[progress-test\\] cell 2/3  \\d+\\.\\d s  progress-marker ${i + 1}/3$`));
      const at = lines.indexOf(line);
      expect(at).toBeGreaterThan(cell2);
      expect(at).toBeLessThan(cell3);
    });
    expect(lines.some((l) => l.includes("in-place"))).toBe(false);

    for (const file of [outputNotebook, outputHtml]) {
      const text = readFileSync(file, "utf8");
      expect(text).toContain("normal output stays in the report");
      expect(text).not.toContain("progress-marker 1/3");
    }
    // Without the runner's file (an interactive session), the lines show as one display updated in place.
    const executed = JSON.parse(readFileSync(outputNotebook, "utf8")) as { cells: { outputs: { output_type: string; data?: Record<string, unknown> }[] }[] };
    const text = (value: unknown): string => [value].flat().join(""); // nbformat may store text as a list of lines
    expect(executed.cells[2]!.outputs.map((o) => [o.output_type, text(o.data?.["text/plain"])])).toEqual([["display_data", "in-place 3/3"]]);
  }, 240_000);
});
