"""The importer never crashes: bad input gets a ReportError with a clear reason, odd encodings parse the same."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ofsted_reader.importers import ReportError, parse_bytes
from ofsted_reader.importers.slac import looks_like_slac

from .conftest import REPORTS

NAMES = ["warwickshire-2011", "wiltshire-2012", "worcestershire-2010", "derby-2011"]
TEXTS = {name: (REPORTS / f"{name}.txt").read_text(encoding="utf-8") for name in NAMES}


def parse_or_refuse(data: bytes):
    try:
        return parse_bytes(data, "fuzzed.txt")
    except ReportError as error:
        assert error.reason and "\n" not in str(error)
        # The safety net that turns unforeseen faults into errors must not be what caught it: that would be a bug.
        assert "could not be parsed" not in error.reason, error.reason
        return None


# Lines of the real reports (headings, numbered paragraphs, grade rows, the judgement table, the cover) and lines
# shaped like them, in any order and mixed with arbitrary text: input the text importer takes for a report, so that
# what is fuzzed is the parser itself and not only the check that turns away what is not a report.
REAL_LINES = sorted({line for text in TEXTS.values() for line in text.split("\n")})
REPORT_SHAPED_LINE = st.one_of(
    st.sampled_from(REAL_LINES),
    st.from_regex(r"\d{1,3}\. [A-Za-z ,]{0,80}", fullmatch=True),
    st.from_regex(r"(Outstanding|Good|Adequate|Inadequate) \(Grade [1-4]\)", fullmatch=True),
    st.from_regex(r"\u2022 [a-z ]{0,40}", fullmatch=True),
    st.text(max_size=120).map(lambda s: s.replace("\n", " ")),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(REPORT_SHAPED_LINE, max_size=200))
def test_arbitrary_report_shaped_text_never_crashes(lines):
    text = "Inspection of safeguarding and looked after children services Anytown\n\n" + "\n".join(lines)
    assert looks_like_slac(text)  # past the content check: the parser is what meets this text
    report = parse_or_refuse(text.encode("utf-8"))
    if report is not None:
        ids = [p.id for p in report.paragraphs]
        assert len(ids) == len(set(ids))


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=2000))
def test_arbitrary_text_after_a_real_title_never_crashes(text):
    parse_or_refuse(("Inspection of safeguarding and looked after children services Anytown\n\n" + text).encode())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(name=st.sampled_from(NAMES), data=st.data())
def test_reports_with_lines_deleted_duplicated_or_shuffled(name, data):
    lines = TEXTS[name].split("\n")
    operation = data.draw(st.sampled_from(["delete", "duplicate", "shuffle", "swap"]))
    count = len(lines)
    if operation == "delete":
        doomed = set(data.draw(st.lists(st.integers(0, count - 1), max_size=40)))
        lines = [line for i, line in enumerate(lines) if i not in doomed]
    elif operation == "duplicate":
        for index in sorted(data.draw(st.lists(st.integers(0, count - 1), max_size=20)), reverse=True):
            lines.insert(index, lines[index])
    elif operation == "shuffle":
        lines = data.draw(st.permutations(lines))
    else:
        a, b = data.draw(st.integers(0, count - 1)), data.draw(st.integers(0, count - 1))
        lines[a], lines[b] = lines[b], lines[a]
    report = parse_or_refuse("\n".join(lines).encode("utf-8"))
    if report is not None:
        ids = [p.id for p in report.paragraphs]
        assert len(ids) == len(set(ids))
        assert all(p.section is None or report.section(p.section) for p in report.paragraphs)


@pytest.mark.parametrize("name", NAMES)
def test_crlf_bom_and_windows_1252_parse_the_same(name):
    text = TEXTS[name]
    expected = parse_bytes(text.encode("utf-8"), "r.txt").to_dict()
    for variant in (
        text.replace("\n", "\r\n").encode("utf-8"),
        b"\xef\xbb\xbf" + text.encode("utf-8"),
        text.replace("\n", "\r\n").encode("cp1252"),
        b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"),
    ):
        assert parse_bytes(variant, "r.txt").to_dict() == expected


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"  \n\n \r\n", "empty"),
        (bytes(range(256)) * 20, "binary"),
        (b"Minutes of the parish council meeting\n\n1. Apologies were received.\n", "not a report"),
        (b"<!DOCTYPE html><html><body>Not found</body></html>", "HTML"),
        (
            b"Inspection of safeguarding and looked after children services Nowhere\n\nNothing else.\n",
            "no numbered paragraphs",
        ),
    ],
)
def test_bad_input_gets_a_clear_reason(data, reason):
    with pytest.raises(ReportError) as raised:
        parse_bytes(data, "bad.txt")
    message = str(raised.value)
    assert message.startswith("bad.txt: ") and reason.lower() in message.lower() and "\n" not in message
