"""Language knowledge as data: tab-separated lexicons with a header line.

Each ``*.tsv`` file starts with ``#`` comment lines that document its columns,
then one header line, then rows. Cells holding several values use ``|``.
Persian cells are normalised on load (see `kg.text.normalize.clean`) so code
never has to care which yeh, kaf or digits a lexicon author typed.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources as _res

from kg.errors import KgError


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.rstrip("\n").split("\t")]


@lru_cache(maxsize=None)
def load_table(name: str) -> tuple[dict[str, str], ...]:
    """Rows of ``kg/resources/<name>.tsv`` as dicts keyed by the header.

    Persian text is normalised; rows are immutable once loaded (cached).
    """
    from kg.text.normalize import clean

    try:
        raw = _res.files(__package__).joinpath(f"{name}.tsv").read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise KgError(f"missing lexicon kg/resources/{name}.tsv") from exc
    header: list[str] | None = None
    rows: list[dict[str, str]] = []
    for lineno, line in enumerate(raw.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = _cells(line)
        if header is None:
            header = cells
            continue
        if len(cells) > len(header):
            raise KgError(f"kg/resources/{name}.tsv:{lineno}: {len(cells)} cells, header has {len(header)}")
        cells += [""] * (len(header) - len(cells))
        rows.append({h: (clean(c) if _is_persian(c) else c) for h, c in zip(header, cells)})
    if header is None:
        raise KgError(f"kg/resources/{name}.tsv has no header line")
    return tuple(rows)


def split_multi(cell: str) -> list[str]:
    """Values of a ``|``-separated cell."""
    return [v.strip() for v in cell.split("|") if v.strip()]


def _is_persian(s: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff" for ch in s)
