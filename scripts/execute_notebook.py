"""Execute one notebook headless with Debian's nbclient and export it, reporting progress as JSON lines.

Used by `npx retail-intel pipeline` (src/pipeline/execute.ts); not meant to be called by hand.

    /usr/bin/python3 scripts/execute_notebook.py IN.ipynb OUT.ipynb OUT.html --kernel tslab --timeout 1800 --cwd DIR

stdout carries one JSON object per line:
  {"event": "start", "cells": N}
  {"event": "cell_start", "index": i, "number": k, "cells": N, "source": "..."}
  {"event": "cell_done", "index": i, "number": k, "seconds": s}
  {"event": "error", "index": i, "number": k, "source": "...", "error": "..."}
  {"event": "written", "notebook": path, "html": path}
Exit status: 0 success, 1 a cell failed (the executed notebook and its HTML are still written, showing the
error), 2 the kernel could not run, 130 interrupted (nothing written). Files are written to a temporary name
beside the target and renamed, so a report is never half-written.
"""

import argparse
import json
import os
import signal
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter


def emit(**fields):
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def cell_error_text(cell):
    """tslab reports errors as stderr text, not as error outputs; gather both."""
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            parts.append("\n".join(output.get("traceback", [])) or f"{output.get('ename')}: {output.get('evalue')}")
        elif output.get("output_type") == "stream" and output.get("name") == "stderr":
            parts.append(output.get("text", ""))
    return "".join(parts).strip()


def write_atomically(path, text):
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    temp = os.path.join(directory, f".tmp-{os.getpid()}-{os.path.basename(path)}")
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temp, path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    parser.add_argument("output_notebook")
    parser.add_argument("output_html")
    parser.add_argument("--kernel", default="tslab")
    parser.add_argument("--timeout", type=int, default=1800)
    parser.add_argument("--cwd", default=os.getcwd())
    # nbclient waits 60 s for a new kernel by default; on a busy 2-core machine tslab can take longer to start.
    parser.add_argument("--startup-timeout", type=int, default=300)
    args = parser.parse_args()

    notebook = nbformat.read(args.input, as_version=4)
    code_cells = [i for i, c in enumerate(notebook.cells) if c.cell_type == "code"]
    number_of = {index: k + 1 for k, index in enumerate(code_cells)}
    started = {}

    def on_cell_start(cell, cell_index, **_):
        if cell.cell_type != "code":
            return
        started[cell_index] = time.monotonic()
        emit(event="cell_start", index=cell_index, number=number_of.get(cell_index, 0), cells=len(code_cells), source=cell.source)

    def on_cell_executed(cell, cell_index, execute_reply=None, **_):
        if cell.cell_type != "code":
            return
        seconds = time.monotonic() - started.get(cell_index, time.monotonic())
        emit(event="cell_done", index=cell_index, number=number_of.get(cell_index, 0), seconds=round(seconds, 3))

    client = NotebookClient(
        notebook,
        timeout=args.timeout,
        startup_timeout=args.startup_timeout,
        kernel_name=args.kernel,
        resources={"metadata": {"path": args.cwd}},
        on_cell_start=on_cell_start,
        on_cell_executed=on_cell_executed,
    )
    emit(event="start", cells=len(code_cells))
    status = 0
    try:
        client.execute()
    except CellExecutionError as error:
        status = 1
        failed = max(started) if started else None
        cell = notebook.cells[failed] if failed is not None else None
        text = cell_error_text(cell) if cell is not None else ""
        emit(
            event="error",
            index=failed,
            number=number_of.get(failed, 0),
            source=cell.source if cell is not None else "",
            error=text or str(error),
        )
    except CellTimeoutError as error:
        status = 1
        failed = max(started) if started else None
        emit(event="error", index=failed, number=number_of.get(failed, 0),
             source=notebook.cells[failed].source if failed is not None else "",
             error=f"cell timed out after {args.timeout} s: {error}")
    except DeadKernelError as error:
        emit(event="fatal", error=f"the {args.kernel} kernel died: {error}")
        return 2
    except KeyboardInterrupt:
        emit(event="interrupted")
        return 130
    except Exception as error:  # kernel missing, cannot start, ...
        emit(event="fatal", error=f"{type(error).__name__}: {error}")
        return 2

    # Exporting can be interrupted too; the renames happen only after both texts exist.
    notebook_text = nbformat.writes(notebook)
    html_text, _ = HTMLExporter().from_notebook_node(notebook)
    write_atomically(args.output_notebook, notebook_text)
    write_atomically(args.output_html, html_text)
    emit(event="written", notebook=args.output_notebook, html=args.output_html)
    return status


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        emit(event="interrupted")
        sys.exit(130)
