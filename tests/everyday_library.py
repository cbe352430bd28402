"""The library the everyday-interaction tests share (issue 23): names that substring matching confuses (Hull and
Solihull, Derby and Derbyshire, Hammersmith), a SIF report, two frameworks of Barnsley and Wakefield, a report graded
after April 2026, and Doncaster with visit letters only. Imported once per test module (conftest's `imported_home`);
each test gets a copy (`library_in`)."""

from __future__ import annotations

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
BLACKPOOL = "blackpool-2026-06-19"
