"""Export to QDA tools: a REFI-QDA `.qdpx` whose project.qde validates against the published schema, each note a
selection over exactly its quote in the report's plain text, codes nested as in the codebook; and the `.qdc`."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import xmlschema

from ofsted_reader.cli import main
from ofsted_reader.core.coding import ReportFacts
from ofsted_reader.core.model import Judgement, Paragraph, Report, Section
from ofsted_reader.core.qda_export import ProjectInput, build_project, guid
from ofsted_reader.store.library.library import Library
from ofsted_reader.store.notes.annotations import AnnotationStore

from .conftest import D, S, notes_state

SCHEMA = Path(__file__).resolve().parent / "data" / "refi-qda" / "Project.xsd"
NS = {"q": "urn:QDA-XML:project:1.0"}
RTL = "\u0627\u0644\u0631\u0639\u0627\u064a\u0629 \u05e9\u05dc\u05d5\u05dd"  # Arabic 'care', Hebrew 'shalom'
AWKWARD = f'Partners & the <MASH> said "it\'s working" 😀 {RTL}.'


@pytest.fixture(scope="module")
def schema():
    return xmlschema.XMLSchema(SCHEMA)


def awkward_report() -> Report:
    """A report whose text holds what XML and offsets get wrong: markup characters, quotes, an emoji (one code
    point outside the BMP), right-to-left text, a carriage return and a control character."""
    return Report(
        id="derby-2024-01-01", source="derby.pdf", framework="ilacs", authority="Derby", title="Derby & its <children>",
        published="2024-01-01", inspection_start="2023-11-06", inspection_end="2023-11-17", lead_inspector=None,
        sections=[Section("derby-2024-01-01/s1", "Leaders & <governance>", grade=3), Section("derby-2024-01-01/s2", "Help")],
        paragraphs=[
            Paragraph("derby-2024-01-01/p1", 1, "derby-2024-01-01/s1", AWKWARD, items=["first <item>", f"second {RTL}"]),
            Paragraph("derby-2024-01-01/p2", 2, "derby-2024-01-01/s1", "Supervision is regular\r\nand reflective \x01."),
            Paragraph("derby-2024-01-01/p3", None, "derby-2024-01-01/s2", "Unnumbered: the front door works 😀."),
        ],
        judgements=[Judgement("children", None, "Overall effectiveness", 3, "Requires improvement to be good"),
                    Judgement("children", None, "The impact of leaders on social work practice", 2, "Good")],
        authority_code="831",
    )  # fmt: skip


def facts(report: Report) -> ReportFacts:
    return ReportFacts(
        report.id, "Derby", "831", "East Midlands", "Unitary Authority", "ilacs", "2024-01-01", "inspection",
        {"overall": 3, "leaders": 2},
    )  # fmt: skip


def read(data: bytes) -> tuple[ET.Element, str, dict[str, str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        qde = archive.read("project.qde").decode("utf-8")
        texts = {}
        for name in archive.namelist():
            if name.startswith("sources/"):
                raw = archive.read(name)
                assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
                texts[name.removeprefix("sources/")] = raw.decode("utf-8")
    return ET.fromstring(qde), qde, texts


def selections(root: ET.Element, texts: dict[str, str]) -> dict[str, str]:
    """Each selection's GUID and the source text its offsets cover."""
    covered = {}
    for source in root.iterfind(".//q:TextSource", NS):
        text = texts[source.attrib["plainTextPath"].removeprefix("internal://")]
        for selection in source.iterfind("q:PlainTextSelection", NS):
            covered[selection.attrib["guid"]] = text[
                int(selection.attrib["startPosition"]) : int(selection.attrib["endPosition"])
            ]
    return covered


def code_paths(root: ET.Element) -> dict[str, tuple[str, ET.Element]]:
    """Every Code by GUID, with its path of names as the codebook nests it."""
    found = {}

    def walk(element, above):
        for code in element.iterfind("q:Code", NS):
            path = [*above, code.get("name")]
            found[code.get("guid")] = ("/".join(path), code)
            walk(code, path)

    walk(root.find("q:CodeBook/q:Codes", NS), [])
    return found


def test_qdpx_of_awkward_notes_validates_and_every_selection_covers_its_quote(schema):
    report = awkward_report()
    store = AnnotationStore()
    p1, p2, p3 = (p.id for p in report.paragraphs)
    quoted = store.add(
        report,
        p1,
        'Note & <b>bold</b> "quoted" 😀 ' + RTL,
        ["practice/supervision/quality"],
        f'"it\'s working" 😀 {RTL}',
    )
    whole = store.add(report, p1, "Whole paragraph, items and all", ["practice", "voice-of-the-child"])
    control = store.add(
        report, p2, "Odd\r\nline ends and a \x07 bell", ["practice/supervision"], "regular\r\nand reflective \x01"
    )
    store.add(report, p3, "", ["front-door"], "front door works 😀")  # a coding without words of its own
    store.set_code("practice", 'Practice & "quality" <all>', "#3CB44B")
    store.set_code("practice/supervision", f"Supervision {RTL}")
    store.add_memo(f"Memo on the report: <keep> & {RTL}", report_id=report.id)
    store.add_memo("Memo on Derby 😀", authority="831")
    given = ProjectInput(
        notes=store.all(), memos=store.memos(), codes=store.codes(), load={report.id: report}.get,
        facts=lambda rid: facts(report), authority_name=lambda key: "Derby", created="2026-01-02T03:04:05+00:00",
    )  # fmt: skip
    exported = build_project(given)
    root, qde, texts = read(exported.data)
    schema.validate(qde)  # raises with the first problem

    # Each note is a selection over exactly its quote, or its paragraph's whole text (items included).
    covered = selections(root, texts)
    by_note = {n.id: n for n in store.all()}
    expected = {
        quoted.id: f'"it\'s working" 😀 {RTL}',
        whole.id: f"{AWKWARD}\nfirst <item>\nsecond {RTL}",
        # One character for one ('\r' a newline, a control U+FFFD): no later offset moves.
        control.id: "regular\n\nand reflective \ufffd",
    }
    assert len(covered) == 4 == exported.notes
    guid_of = {sel.get("guid"): sel for sel in root.iterfind(".//q:PlainTextSelection", NS)}
    for note_id, note in by_note.items():
        text = covered[guid("selection", note_id)]
        assert text == expected.get(note_id, "front door works 😀"), note.text
        described = guid_of[guid("selection", note_id)].find("q:Description", NS).text or ""
        assert described.startswith("Ofsted, Derby") and ", 1 January 2024, " in described

    # Codes nest as in the codebook, with colours and descriptions; every coding points at one.
    codes = code_paths(root)
    paths = {path: element for path, element in codes.values()}
    assert set(paths) == {
        "practice",
        "practice/supervision",
        "practice/supervision/quality",
        "voice-of-the-child",
        "front-door",
    }
    assert paths["practice"].get("color") == "#3CB44B"
    assert paths["practice"].find("q:Description", NS).text == 'Practice & "quality" <all>'
    assert paths["practice/supervision"].get("color") == "#3CB44B"  # inherited from the code above
    assert paths["practice/supervision"].find("q:Description", NS).text == f"Supervision {RTL}"
    coded = {
        sel.get("guid"): sorted(codes[ref.attrib["targetGUID"]][0] for ref in sel.iterfind("q:Coding/q:CodeRef", NS))
        for sel in root.iterfind(".//q:PlainTextSelection", NS)
    }
    assert coded[guid("selection", whole.id)] == ["practice", "voice-of-the-child"]

    # Notes carry the note's words, the awkward ones intact (XML's forbidden characters replaced, one for one).
    notes = {n.get("guid"): n.find("q:PlainTextContent", NS).text for n in root.iterfind("q:Notes/q:Note", NS)}
    assert notes[guid("note", quoted.id)] == 'Note & <b>bold</b> "quoted" 😀 ' + RTL
    assert notes[guid("note", control.id)] == "Odd\nline ends and a \ufffd bell"
    referenced = {ref.get("targetGUID") for ref in root.iterfind(".//q:NoteRef", NS)}
    assert referenced <= set(notes)
    memo_names = sorted(
        n.attrib["name"] for n in root.iterfind("q:Notes/q:Note", NS) if n.attrib["name"].startswith("Memo")
    )
    assert memo_names == ["Memo on Derby", "Memo on Derby, 1 January 2024"]
    source = root.find(".//q:TextSource", NS)
    assert len(source.findall("q:NoteRef", NS)) == 2  # both memos shown with the report
    link = root.find("q:Links/q:Link", NS)
    case = root.find("q:Cases/q:Case", NS)
    assert link.get("targetGUID") == case.get("guid") and case.get("name") == "Derby"

    # The authority's attributes as variables on its case.
    names = {v.get("guid"): v.get("name") for v in root.iterfind("q:Variables/q:Variable", NS)}
    values = {
        names[v.find("q:VariableRef", NS).get("targetGUID")]: v.find("q:TextValue", NS).text
        for v in case.iterfind("q:VariableValue", NS)
    }
    assert values == {
        "Region": "East Midlands",
        "LA type": "Unitary Authority",
        "Framework": "ILACS",
        "Overall": "Requires improvement",
        "Leaders": "Good",
    }
    assert [ref.get("targetGUID") for ref in case.iterfind("q:SourceRef", NS)] == [source.get("guid")]
    # The same notes give the same project (stable GUIDs), so a tool re-importing it sees the same objects.
    assert build_project(given).data == exported.data


def test_export_qdpx_and_qdc_from_the_command_line(schema, tmp_path, capsys, isolated_home):
    library = Library.open()
    derby = library.load(D)
    wiltshire = library.load(S)
    store = AnnotationStore()
    paragraph = derby.paragraphs[12]
    store.add(derby, paragraph.id, "Thresholds & <CAF>", ["practice/thresholds"], paragraph.text[10:70])
    store.add(wiltshire, wiltshire.paragraphs[8].id, "Whole", ["front-door"])
    store.add_memo("Compare with 2014", report_id=wiltshire.id)
    assert main(["export", "--qdpx", "-o", str(tmp_path / "all.qdpx")]) == 0
    assert "2 coded passages from 2 reports" in capsys.readouterr().err
    root, qde, texts = read((tmp_path / "all.qdpx").read_bytes())
    schema.validate(qde)
    assert sorted(selections(root, texts).values()) == sorted(
        [paragraph.text[10:70], wiltshire.paragraphs[8].full_text]
    )
    regions = {v.find("q:TextValue", NS).text for v in root.iterfind("q:Cases/q:Case/q:VariableValue", NS)}
    assert {"East Midlands", "South West"} <= regions

    assert main(["export", "-o", str(tmp_path / "one.qdpx"), "--tag", "Practice"]) == 0  # the suffix chooses
    root, qde, texts = read((tmp_path / "one.qdpx").read_bytes())
    schema.validate(qde)
    assert list(selections(root, texts).values()) == [paragraph.text[10:70]]
    assert {path for path, _ in code_paths(root).values()} == {"practice", "practice/thresholds"}
    assert root.find("q:Notes", NS) is not None and len(root.findall("q:Notes/q:Note", NS)) == 1  # no Wiltshire memo

    assert main(["export", "--qdc", "-o", str(tmp_path / "codes.qdc")]) == 0
    codebook = ET.fromstring((tmp_path / "codes.qdc").read_bytes())
    assert codebook.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"
    # The codebook's Codes have the project's Code type: checked by the project schema around them.
    wrapped = ET.Element("{urn:QDA-XML:project:1.0}Project", name="codebook")
    holder = ET.SubElement(
        ET.SubElement(wrapped, "{urn:QDA-XML:project:1.0}CodeBook"), "{urn:QDA-XML:project:1.0}Codes"
    )
    for code in codebook.iter("{urn:QDA-XML:codebook:1.0}Code"):
        code.tag = "{urn:QDA-XML:project:1.0}Code"
    for element in codebook.iter():
        if element.tag == "{urn:QDA-XML:codebook:1.0}Description":
            element.tag = "{urn:QDA-XML:project:1.0}Description"
    codes = codebook.find("{urn:QDA-XML:codebook:1.0}Codes")
    assert codes is not None
    holder.extend(codes)
    schema.validate(ET.tostring(wrapped, encoding="unicode"))
    capsys.readouterr()

    before = notes_state(isolated_home)
    for argv, said in (
        (["export", "--qdpx"], "give the file to write"),
        (["export", "--qdpx", "-o", str(tmp_path / "x.qdpx"), "--tag", "nope"], "no tag 'nope'"),
        (["export", "--qdpx", "-o", str(tmp_path)], str(tmp_path)),  # a folder, not a file
        (["export", "--qdc", "--tag", "practice", "-o", str(tmp_path / "c.qdc")], "--qdc writes the whole codebook"),
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert said in err and err.count("\n") == 1 and "Traceback" not in err
    assert notes_state(isolated_home) == before
    assert not (tmp_path / "x.qdpx").exists()
