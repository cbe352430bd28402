"""The importer over 236 real Ofsted PDFs (tests/data/corpus: 75 reports of 2014-2026, tests/data/pdf: 8 samples, and
the 153 inspections the app ships), measured by bench/corpus.py from each PDF's raw text: what the issue asks of every
file."""

from __future__ import annotations

from collections import defaultdict

import pytest

from bench.corpus import check_file, read_peer

from .conftest import CORPUS, INSPECTIONS, NATIONAL_PEER, PDFS, made_once, run_folder

pytestmark = pytest.mark.corpus  # 236 PDFs read twice (the importer, and the raw text it is checked against)

# Where the peer table and the PDF disagree, the PDF was read by hand; these are the peer's slips.
PEER_IS_WRONG = {
    # The PDF prints "Jenny-ellen Scotland" and "Paula Thomson-Jones"; the peer put a space before the hyphen.
    "lambeth-2026-03-10.pdf": ["lead inspector: ours 'Jenny-ellen Scotland', peer 'Jenny -ellen Scotland'"],
    "wigan-2025-11-26.pdf": ["lead inspector: ours 'Jenny-ellen Scotland', peer 'Jenny -ellen Scotland'"],
    "oldham-2019-mar-04.pdf": ["lead inspector: ours 'Paula Thomson-Jones', peer 'Paula Thomson -Jones'"],
    "trafford-2019-may-08.pdf": ["lead inspector: ours 'Paula Thomson-Jones', peer 'Paula Thomson -Jones'"],
    # "8 July 2019 to 12 July 2019 and 7 August 2019 to 8 August 2019": the peer stops at the first visit.
    "derbyshire-2019.pdf": ["inspection_end: ours 2019-08-08, peer 2019-07-12"],
}


def _check_every_file() -> list[dict]:
    out = []
    for folder, table in ((CORPUS, None), (PDFS, None), (INSPECTIONS, NATIONAL_PEER)):
        peer = read_peer(folder, table)
        for path in sorted(folder.glob("*.pdf")):
            out.append(check_file(path, peer.get(path.name), keep_report=True))
    return [r for r in out if r["framework"] != "refused"]


@pytest.fixture(scope="module")
def results(tmp_path_factory, worker_id):
    """Every real PDF checked (about a minute), once a run: the test processes share it."""
    return made_once(run_folder(tmp_path_factory, worker_id), "corpus-results", _check_every_file)


def test_the_whole_corpus_is_read(results):
    assert len(results) == 236  # 75 + 8 + 153; the HTML page saved as .pdf is refused (tested elsewhere)


def test_every_authority_is_identified_under_one_name(results):
    assert [r["file"] for r in results if not r["identified"]] == []
    names = defaultdict(set)
    for r in results:
        names[r["code"]].add(r["authority"])
    assert {code: n for code, n in names.items() if len(n) > 1} == {}
    assert len(names) == 153  # the national set holds every English authority's latest inspection


def test_no_two_reports_share_an_id(results):
    ids = [r["report_id"] for r in results]
    assert len(ids) == len(set(ids))


def test_every_printed_judgement_is_found(results):
    missing = {r["file"]: r["missing_judgements"] for r in results if r["missing_judgements"]}
    assert missing == {}
    without_overall = [
        r for r in results if r["framework"] in {"sif", "ilacs"} and "overall" not in r["expected_judgements"]
    ]
    # Only the ILACS reports of inspections after April 2026 print no overall effectiveness judgement: 11 of them.
    assert len(without_overall) == 11
    assert all(r["report"].inspection_start >= "2026-04-01" for r in without_overall)


def test_paragraph_numbering_is_complete_in_every_file(results):
    assert [(r["file"], r["numbers"], r["printed_numbers"]) for r in results if not r["numbering_complete"]] == []


def test_no_running_header_or_footer_inside_a_paragraph(results):
    assert {r["file"]: r["furniture_in_paragraphs"][:3] for r in results if r["furniture_in_paragraphs"]} == {}


def test_at_least_99_5_percent_of_the_body_words_are_kept_in_every_file(results):
    assert {r["file"]: round(r["kept"], 4) for r in results if r["kept"] < 0.995} == {}


def test_the_peer_table_agrees_except_where_the_pdf_proves_it_wrong(results):
    disagreements = {r["file"]: r["peer"] for r in results if r.get("peer")}
    assert disagreements == PEER_IS_WRONG


def test_no_sentence_passes_for_a_heading(results):
    """Section titles are headings, not lines of a paragraph: no lower-case start, no sentence end inside, no line that
    runs on ("...of Hammersmith and"), no stray bracket ("National Framework)"), no verdict ending in a grade word."""
    import re

    bad = []
    for result in results:
        for section in result["report"].sections:
            title = section.title
            if (
                title[0].islower()
                or len(title) > 160
                or re.search(r"[.!?]\s+\S", title)
                or re.search(r"\b(and|or|of|in|the|to|that)$", title)
                or title.count("(") != title.count(")")
                or (section.grade is None and re.search(r"\b(good|inadequate|outstanding)$", title, re.I))
            ):
                bad.append(f"{result['file']}: {title[:80]}")
    assert bad == []
