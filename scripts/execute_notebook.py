"""Execute one notebook headless with Debian's nbclient and export it, reporting progress as JSON lines.

Used by `npx retail-intel pipeline` (src/pipeline/execute.ts); not meant to be called by hand.

    /usr/bin/python3 scripts/execute_notebook.py IN.ipynb OUT.ipynb OUT.html --kernel tslab --timeout 1800 --cwd DIR \
        [--progress-file FILE]

stdout carries one JSON object per line:
  {"event": "start", "cells": N}
  {"event": "cell_start", "index": i, "number": k, "cells": N, "source": "..."}
  {"event": "cell_done", "index": i, "number": k, "seconds": s}
  {"event": "progress", "index": i, "number": k, "cells": N, "text": "..."}  (a line the kernel appended to FILE)
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
import threading
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter


# Re-entrant: Ctrl-C can interrupt the main thread inside emit, and the handler emits again.
_emit_lock = threading.RLock()


def emit(**fields):
    with _emit_lock:
        sys.stdout.write(json.dumps(fields) + "\n")
        sys.stdout.flush()


class ProgressTail:
    """Follows the file the kernel appends progress lines to (`nb.progress` in a notebook) and emits each line
    as a progress event of the code cell running then.

    A file rather than the kernel's stdout: the kernel writes it synchronously, so a line is visible at once
    even from a loop that never yields to the kernel's event loop (tslab only publishes stdout on IOPub when
    the cell yields), and the lines never enter the cell's outputs, so the exported report cannot contain them.
    """

    def __init__(self, path, cells, interval=0.2):
        self.path = path
        self.cells = cells
        self.interval = interval
        self.offset = 0
        self.partial = b""
        self.index = None
        self.number = 0
        self.lock = threading.Lock()

    def start(self):
        # A daemon: it dies with the driver; the hooks below drain whatever it has not read yet.
        threading.Thread(target=self._follow, name="progress-tail", daemon=True).start()

    def enter_cell(self, index, number):
        """Called before the cell is sent to the kernel: lines read so far belong to the previous cell."""
        with self.lock:
            self._drain()
            self.index, self.number = index, number

    def drain(self):
        with self.lock:
            self._drain()

    def _follow(self):
        while True:
            time.sleep(self.interval)
            self.drain()

    def _drain(self):
        try:
            with open(self.path, "rb") as handle:
                handle.seek(self.offset)
                data = handle.read()
        except OSError:
            return
        self.offset += len(data)
        *lines, self.partial = (self.partial + data).split(b"\n")
        for line in lines:
            text = line.decode("utf-8", "replace").strip()
            if text:
                emit(event="progress", index=self.index, number=self.number, cells=self.cells, text=text)


def cell_error_text(cell):
    """tslab reports errors as stderr text, not as error outputs; gather both."""
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            parts.append("\n".join(output.get("traceback", [])) or f"{output.get('ename')}: {output.get('evalue')}")
        elif output.get("output_type") == "stream" and output.get("name") == "stderr":
            parts.append(output.get("text", ""))
    return "".join(parts).strip()


# The HTML report must render offline and on other machines: nbconvert's template would load require.js and
# MathJax (from a CDN, or Debian's /usr/share/javascript). Our outputs need neither (tables, SVG charts,
# markdown without TeX), so the blocks that load them are emptied.
OFFLINE_HTML_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
"""


def offline_html_exporter():
    exporter = HTMLExporter()
    exporter.raw_template = OFFLINE_HTML_TEMPLATE
    return exporter


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
    parser.add_argument("--progress-file", help="file the kernel appends progress lines to (tailed and emitted live)")
    args = parser.parse_args()

    notebook = nbformat.read(args.input, as_version=4)
    code_cells = [i for i, c in enumerate(notebook.cells) if c.cell_type == "code"]
    number_of = {index: k + 1 for k, index in enumerate(code_cells)}
    started = {}
    tail = ProgressTail(args.progress_file, len(code_cells)) if args.progress_file else None

    def on_cell_start(cell, cell_index, **_):
        if cell.cell_type != "code":
            return
        if tail:
            tail.enter_cell(cell_index, number_of.get(cell_index, 0))
        started[cell_index] = time.monotonic()
        emit(event="cell_start", index=cell_index, number=number_of.get(cell_index, 0), cells=len(code_cells), source=cell.source)

    def on_cell_executed(cell, cell_index, execute_reply=None, **_):
        if cell.cell_type != "code":
            return
        seconds = time.monotonic() - started.get(cell_index, time.monotonic())
        if tail:
            tail.drain()
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
    if tail:
        tail.start()
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
    html_text, _ = offline_html_exporter().from_notebook_node(notebook)
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
