"""Comparing reports: the same section across reports and frameworks, paragraphs aligned by topic, and the
grades matrix of the whole library."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from .citation import citation, dated, sources_markdown
from .grades import grade_name
from .model import Paragraph, Report, Section
from .visits import KINDS
from .vocabulary import Framework, Service

# Sections that are the same judgement under different names, across layouts and frameworks. Each entry: a topic
# and the patterns (on normalised titles) that name it.
TOPICS: list[tuple[str, list[str]]] = [
    ("overall effectiveness", [r"^overall effectiveness", r"^the overall judgement"]),
    ("summary", [r"^summary$", r"^executive summary$"]),
    ("capacity for improvement", [r"^capacity (for|to) improve"]),
    ("areas for improvement", [r"^areas for improvement", r"^what needs to improve", r"^recommendations$"]),
    (
        "children are safe",
        [
            r"^children and young people are safe",
            r"reasonable steps to ensure (that )?children and young people are safe",
            r"experiences and progress of children who need help and protection",
        ],
    ),
    ("children feel safe", [r"reasonable steps to ensure (that )?children and young people feel safe"]),
    ("quality of provision", [r"^(the )?quality of provision"]),
    ("health agencies", [r"^the contribution of health agencies"]),
    ("ambition and prioritisation", [r"^ambition and prioritisation"]),
    (
        "leadership and management",
        [
            r"^leadership and management$",
            r"^leadership management and governance",
            r"^the impact of leaders on social work practice",
        ],
    ),
    ("performance management", [r"^performance management and quality assurance"]),
    ("partnership working", [r"^partnership working"]),
    ("being healthy", [r"^being healthy"]),
    ("staying safe", [r"^staying safe"]),
    ("enjoying and achieving", [r"^enjoying and achieving"]),
    ("positive contribution", [r"^making a positive contribution"]),
    ("economic well-being", [r"^economic well ?being"]),
    ("children in care", [r"experiences and progress of children (in care|looked after)"]),
    ("care leavers", [r"experiences? and progress of care leavers", r"progress of care leavers$"]),
    ("adoption", [r"adoption performance"]),
    ("lscb", [r"local safeguarding children board", r"^the lscb$"]),
]


def _normalise(title: str) -> str:
    text = re.sub(r"[^a-z0-9]+", " ", title.lower())
    return " ".join(text.split())


def topic(title: str) -> str:
    """The topic a section title stands for; unknown titles stand for themselves."""
    normal = _normalise(title)
    for name, patterns in TOPICS:
        if any(re.search(p, normal) for p in patterns):
            return name
    return normal


def matching_titles(title: str, titles: list[str]) -> list[int]:
    """Which of these section titles match a title: every one on the same topic, else the closest (ratio >= 85)."""
    wanted = topic(title)
    same = [i for i, candidate in enumerate(titles) if topic(candidate) == wanted]
    if same:
        return same
    scored = [(fuzz.token_set_ratio(_normalise(title), _normalise(candidate)), i) for i, candidate in enumerate(titles)]
    if not scored:
        return []
    best = max(scored, key=lambda pair: (pair[0], -pair[1]))  # ties: the first in order
    return [best[1]] if best[0] >= 85 else []


def find_section(report: Report, title: str, service: Service | None = None) -> Section | None:
    """The section of this report that matches a title: same topic first (preferring the service asked for),
    then a close title."""
    with_text = {p.section for p in report.paragraphs}
    candidates = [report.sections[i] for i in matching_titles(title, [s.title for s in report.sections])]
    if service:
        preferred = [s for s in candidates if report.service_of(s.id) == service]
        candidates = preferred or candidates
    # A section with its own paragraphs beats a group heading of the same name.
    candidates.sort(key=lambda s: s.id not in with_text and not any(c.parent == s.id for c in report.sections))
    return candidates[0] if candidates else None


def similarity(a: Paragraph, b: Paragraph) -> float:
    return fuzz.token_set_ratio(a.text.lower(), b.text.lower())


def align_two(
    left: list[Paragraph], right: list[Paragraph], threshold: float = 45.0
) -> list[tuple[int | None, int | None]]:
    """Order-keeping alignment (like a diff, scored by similarity): paragraphs on the same topic share a row."""
    n, m = len(left), len(right)
    sims = [[similarity(a, b) for b in right] for a in left]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            gain = sims[i][j] - threshold if sims[i][j] >= threshold else float("-inf")
            best[i][j] = max(best[i + 1][j], best[i][j + 1], best[i + 1][j + 1] + gain)
    rows: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < n and j < m:
        gain = sims[i][j] - threshold if sims[i][j] >= threshold else float("-inf")
        if best[i][j] == best[i + 1][j + 1] + gain:
            rows.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            rows.append((i, None))
            i += 1
        else:
            rows.append((None, j))
            j += 1
    rows += [(k, None) for k in range(i, n)] + [(None, k) for k in range(j, m)]
    return rows


def align(columns: list[list[Paragraph]]) -> list[list[int | None]]:
    """Rows of paragraph indices, one per column; the first column is the pivot the others are aligned to."""
    if not columns:
        return []
    pivot = columns[0]
    # For each other column: which of its paragraphs sits with each pivot paragraph, and which come before it.
    placed: list[dict[int, int]] = []
    before: list[dict[int, list[int]]] = []
    for other in columns[1:]:
        pairs = align_two(pivot, other)
        with_pivot: dict[int, int] = {}
        pending: list[int] = []
        ahead: dict[int, list[int]] = {}
        for p, o in pairs:
            if p is None:
                if o is not None:
                    pending.append(o)
            elif o is not None:
                with_pivot[p] = o
                ahead[p], pending = pending, []
            else:
                ahead.setdefault(p, []).extend(pending)
                pending = []
        ahead[len(pivot)] = pending
        placed.append(with_pivot)
        before.append(ahead)
    rows: list[list[int | None]] = []
    for p in range(len(pivot) + 1):
        for c, ahead in enumerate(before):
            for o in ahead.get(p, []):
                row: list[int | None] = [None] * len(columns)
                row[c + 1] = o
                rows.append(row)
        if p < len(pivot):
            rows.append([p, *(placed[c].get(p) for c in range(len(columns) - 1))])
    return rows


@dataclass
class Comparison:
    title: str
    reports: list[Report]
    sections: list[Section | None]
    paragraphs: list[list[Paragraph]]
    rows: list[list[int | None]]

    def to_dict(self) -> dict:
        return {
            "section": self.title,
            "columns": [
                {
                    "report_id": r.id,
                    "authority": r.authority,
                    "section_id": s.id if s else None,
                    "grade": s.grade if s else None,
                }
                for r, s in zip(self.reports, self.sections)
            ],
            "rows": [
                [self.paragraphs[c][i].id if i is not None else None for c, i in enumerate(row)] for row in self.rows
            ],
        }

    def to_markdown(self) -> str:
        out = [
            f"# {self.title}: {', '.join(r.authority for r in self.reports)}",
            "",
            "| Report | Section | Grade |",
            "| --- | --- | --- |",
        ]
        for report, section in zip(self.reports, self.sections):
            grade = grade_name(section.grade, report.framework) if section and section.grade else "not graded"
            cell = (section.title if section else "no matching section").replace("|", "\\|")
            out.append(f"| {report.authority} ({dated(report)}) | {cell} | {grade} |")
        out.append("")
        for n, row in enumerate(self.rows, start=1):
            out += [f"## Row {n}", ""]
            for c, index in enumerate(row):
                if index is None:
                    continue
                paragraph = self.paragraphs[c][index]
                quoted = "\n".join("> " + line for line in paragraph.text.split("\n"))
                out += [quoted, ">", f"> — {citation(self.reports[c], paragraph)}", ""]
        out += sources_markdown(self.reports)
        return "\n".join(out).rstrip() + "\n"


def compare(reports: list[Report], title: str, service: Service | None = None) -> Comparison:
    sections = [find_section(report, title, service) for report in reports]
    paragraphs = [r.paragraphs_under(s.id) if s else [] for r, s in zip(reports, sections)]
    shown = next((s.title for s in sections if s is not None), title)
    return Comparison(shown, reports, sections, paragraphs, align(paragraphs))


def shared_words(texts: list[str]) -> list[set[int]]:
    """For each text, the positions of words in a three-word run that another text of the row also has."""
    words = [re.findall(r"\S+", t) for t in texts]
    keys = [[re.sub(r"\W", "", w.lower()) for w in ws] for ws in words]
    grams = [{tuple(k[i : i + 3]) for i in range(len(k) - 2)} for k in keys]
    out = []
    for n, k in enumerate(keys):
        others = set().union(*(g for m, g in enumerate(grams) if m != n)) if len(grams) > 1 else set()
        marked: set[int] = set()
        for i in range(len(k) - 2):
            if tuple(k[i : i + 3]) in others:
                marked.update((i, i + 1, i + 2))
        out.append(marked)
    return out


# --- the grades matrix -------------------------------------------------------------------------------------------


def grades_rows(reports: list[Report], framework: Framework | None = None) -> list[dict]:
    rows = []
    for report in sorted(reports, key=lambda r: (r.authority.lower(), r.published or r.inspection_end or "")):
        if framework and report.framework != framework:
            continue
        if report.report_type in KINDS:  # a visit letter grades nothing: no row of empty cells for it
            continue
        rows.append(
            {
                "report_id": report.id,
                "authority": report.authority,
                "published": report.published or report.inspection_end,
                "inspected": report.inspection_end or report.published,  # as lists date a report, and grades --latest
                "framework": report.framework,
                "judgements": [{"service": j.service, "name": j.name, "grade": j.grade} for j in report.judgements],
            }
        )
    return rows


def matrix_columns(rows: list[dict]) -> list[tuple[str, str, str]]:
    """(service, topic, heading) in the order they first appear; a judgement printed under different names in
    different layouts ("Capacity to improve", "Capacity for improvement") shares one column."""
    columns: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for row in rows:
        for judgement in row["judgements"]:
            key = (judgement["service"], topic(judgement["name"]))
            if key not in seen:
                seen.add(key)
                columns.append((key[0], key[1], judgement["name"]))
    return columns


def row_grades(row: dict) -> dict[tuple[str, str], int]:
    return {(j["service"], topic(j["name"])): j["grade"] for j in row["judgements"]}


def grades_csv(rows: list[dict]) -> str:
    import csv
    import io

    columns = matrix_columns(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    from .export import spreadsheet_safe

    writer.writerow(
        [
            spreadsheet_safe(v)
            for v in ["report_id", "authority", "published", "framework"] + [f"{s}: {h}" for s, _, h in columns]
        ]
    )
    for row in rows:
        grades = row_grades(row)
        writer.writerow(
            [
                spreadsheet_safe(v)
                for v in [row["report_id"], row["authority"], row["published"], row["framework"]]
                + [grades.get((s, t), "") for s, t, _ in columns]
            ]
        )
    return buffer.getvalue()
