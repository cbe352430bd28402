"""The library the everyday-interaction tests share (issue 23): names that substring matching confuses (Hull and
Solihull, Derby and Derbyshire, Hammersmith), a SIF report, two frameworks of Barnsley and Wakefield, a report graded
after April 2026, and Doncaster with visit letters only. Imported once per test process; each test gets a copy."""

from __future__ import annotations

import shutil
from pathlib import Path

from .conftest import CORPUS, FOCUSED, INSPECTIONS, PDFS

FILES = [
    CORPUS / "kingston-upon-hull-2019-may-17.pdf",
    CORPUS / "solihull-2016-jul-07.pdf",
    PDFS / "derbyshire-2019.pdf",
    CORPUS / "sefton-2016-jun-27.pdf",
    CORPUS / "barnsley-2014-aug-08.pdf",
    CORPUS / "barnsley-2018-nov-19.pdf",
    CORPUS / "wakefield-2016-sep-20.pdf",
    CORPUS / "wakefield-2022-jan-05.pdf",
    CORPUS / "hammersmith-and-fulham-2016-mar-29.pdf",
    CORPUS / "gateshead-2016-mar-11.pdf",
    INSPECTIONS / "blackpool-2026-07-28.pdf",
    FOCUSED / "doncaster-focused-visit-2021-apr-09.pdf",
    FOCUSED / "doncaster-focused-visit-2024-jul-26.pdf",
]

HULL, SOLIHULL, DERBYSHIRE, SEFTON = (
    "kingston-upon-hull-2019-01-25",
    "solihull-2016-07-07",
    "derbyshire-2019-08-08",
    "sefton-2016-06-27",
)
BLACKPOOL, DONCASTER_VISITS = (
    "blackpool-2026-06-19",
    ("doncaster-focused-visit-2021-04-09", "doncaster-focused-visit-2024-07-26"),
)


def build(home: Path) -> Path:
    """Import FILES into a fresh data dir at `home` (OFSTED_READER_HOME must point there)."""
    from ofsted_reader.store.library.library import Library

    library = Library.open()
    for path in FILES:
        library.import_file(path, save=False)
    library.save()
    library.close()
    return home


def template(tmp_path_factory, name: str) -> Path:
    """A data dir with FILES imported, made once per test module (importing them all was 2 s)."""
    import pytest

    home = tmp_path_factory.mktemp(name)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OFSTED_READER_HOME", str(home))
        return build(home)


def copy_into(template: Path, home: Path) -> None:
    shutil.copytree(template, home, dirs_exist_ok=True)
