"""notebooks/explore.ipynb runs from start to end, and is committed without outputs.

The notebook is executed in a fresh kernel of THIS interpreter (a temporary
kernelspec pointing at sys.executable, so a `python3` kernelspec of another
Python on the machine cannot be picked up), from the notebooks/ folder as
Jupyter would run it.
"""

from __future__ import annotations

import json
import re
import sys
from html import unescape
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


def test_committed_notebook_has_no_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {i} ({cell.get('id')}) has outputs: clear them before committing"
            assert cell.execution_count is None, f"cell {i} ({cell.get('id')}) has an execution count"
        assert "execution" not in cell.metadata, f"cell {i} keeps execution timings"
    assert "widgets" not in nb.metadata


def _kernel_manager(folder: Path):
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    spec = folder / "kg-notebook-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "kg test kernel",
        "language": "python",
    }), encoding="utf-8")
    specs = KernelSpecManager(kernel_dirs=[str(folder)])
    return KernelManager(kernel_name="kg-notebook-test", kernel_spec_manager=specs)


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    km = _kernel_manager(tmp_path_factory.mktemp("kernels"))
    client = nbclient.NotebookClient(nb, km=km, timeout=600, allow_errors=False,
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    with pytest.MonkeyPatch.context() as mp:
        # the notebook writes its files to a temporary folder: keep it inside pytest's
        mp.setenv("TMPDIR", str(tmp_path_factory.mktemp("notebook-tmp")))
        client.execute()  # raises CellExecutionError on the first failing cell
    return nb


def _outputs(nb, tag: str) -> tuple[str, list[dict]]:
    """All text (streams, text/plain, text/html) of the cell tagged `tag`, and its raw outputs."""
    cells = [c for c in nb.cells if tag in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"no single cell tagged {tag!r}"
    parts = []
    for out in cells[0].outputs:
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type in ("display_data", "execute_result"):
            parts += [out.data.get("text/plain", ""), out.data.get("text/html", "")]
    return "\n".join(parts), cells[0].outputs


def test_notebook_runs_without_errors(executed):
    for cell in executed.cells:
        if cell.cell_type == "code":
            assert cell.execution_count is not None
            assert not [o for o in cell.outputs if o.output_type == "error"]
            stderr = "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stderr")
            assert "Traceback" not in stderr


def test_seed_and_questions(executed):
    text, _ = _outputs(executed, "build-seed")
    assert "1 article(s)" in text
    text, _ = _outputs(executed, "q1")
    assert "مرتضی حیدری stated 15 statistics" in text
    assert "اتباع خارجی" in text
    text, _ = _outputs(executed, "q2")
    assert "مرتضی حیدری" in text and "15" in text
    text, _ = _outputs(executed, "q5")
    assert "31,673" in text
    text, _ = _outputs(executed, "q7")
    assert "decrease" in text and "increase" in text


def test_graph_is_inline_and_offline(executed):
    text, outputs = _outputs(executed, "graph")
    html = next(o.data["text/html"] for o in outputs if "text/html" in o.get("data", {}))
    found = re.search(r'<iframe srcdoc="([^"]*)"', html)
    assert found, "the graph is not shown in an iframe"
    page = unescape(found.group(1))
    assert page.startswith("<!DOCTYPE html>") and "vis-network" in page
    assert "default-src &#x27;none&#x27;" in page  # the page's CSP forbids every request
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=", page, re.I)  # nothing fetched


def test_corpus_ranking_and_timeline(executed):
    text, _ = _outputs(executed, "build-corpus")
    assert "31 article(s)" in text
    text, _ = _outputs(executed, "ranking")
    first_row = text.split("-+-", 1)[1].splitlines()[1]
    assert "مرتضی حیدری" in first_row and "15" in first_row
    text, _ = _outputs(executed, "ranking-betweenness")
    assert "betweenness" in text
    text, _ = _outputs(executed, "timeline-data")
    assert "in dated articles" in text
    _, outputs = _outputs(executed, "timeline-plot")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return
    assert any("image/png" in o.get("data", {}) for o in outputs)
