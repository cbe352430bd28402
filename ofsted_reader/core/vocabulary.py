"""The domain's closed sets of names: frameworks, kinds of report, services and recommendation timescales.

Each is a `Literal` type, so mypy checks a comparison or a table key against it, and a tuple of its values (in the
order written here) for code that iterates. On disk (the cache, the manifest, JSON output) they are plain strings:
`framework_of` and its siblings narrow a string read back to the type, refusing one that is not in the set.
"""

from __future__ import annotations

from typing import Literal, TypeVar, get_args

# The four inspection frameworks a report can belong to, oldest first.
Framework = Literal["slac", "lac", "sif", "ilacs"]
FRAMEWORKS: tuple[Framework, ...] = get_args(Framework)
FRAMEWORKS_NEWEST_FIRST: tuple[Framework, ...] = FRAMEWORKS[::-1]  # as tables and the grades screen list them
FRAMEWORK_NAMES: dict[Framework, str] = {
    "slac": "Safeguarding and looked after children (2009-2012)",
    "lac": "Looked after children (2013)",
    "sif": "Single inspection framework (2014-2018)",
    "ilacs": "Inspection of local authority children's services (2018-)",
}

# A full inspection, a visit letter, a standalone review of a Local Safeguarding Children Board (2014-2018), or one of
# the joint inspections of an area: a joint targeted area inspection (JTAI, a letter to the safeguarding partnership on
# one theme) and an area SEND inspection (Ofsted and the CQC on the local area partnership's SEND arrangements).
ReportType = Literal["inspection", "focused_visit", "monitoring_visit", "lscb_review", "jtai", "area_send"]
REPORT_TYPES: tuple[ReportType, ...] = get_args(ReportType)

# The three outcomes an area SEND inspection has published since 2023, best first. Never a grade of the ILACS scale:
# their numbers (SEND_OUTCOME_NUMBERS) order them for a filter, a map layer and a column of their own.
SendOutcome = Literal["positive", "inconsistent", "failings"]
SEND_OUTCOMES: tuple[SendOutcome, ...] = get_args(SendOutcome)
SEND_OUTCOME_NAMES: dict[SendOutcome, str] = {
    "positive": "Typically positive experiences and outcomes",
    "inconsistent": "Inconsistent experiences and outcomes",
    "failings": "Widespread and/or systemic failings",
}
SEND_OUTCOME_NUMBERS: dict[SendOutcome, int] = {outcome: n for n, outcome in enumerate(SEND_OUTCOMES, 1)}

# Whose work a judgement or recommendation is about: 2009-2012 reports judge two services, safeguarding and looked
# after children; 2013's looked after children only; later reports children's services as one ("children"), and the
# 2014-2018 reports the Local Safeguarding Children Board beside them ("lscb", judgements only).
Service = Literal["safeguarding", "looked_after", "children", "lscb"]
SERVICES: tuple[Service, ...] = get_args(Service)
SLAC_SERVICES: tuple[Service, ...] = ("safeguarding", "looked_after")  # the two a 2009-2012 report judges, in its order

# When a recommendation is to be met, where the report says ("Immediately", "Within three months").
Timescale = Literal["immediately", "within_three_months", "within_six_months"]
TIMESCALES: tuple[Timescale, ...] = get_args(Timescale)


class UnknownName(ValueError):
    """A string read from a file or typed by someone that is not one of the set's names."""


Name = TypeVar("Name", bound=str)


def _one_of(value: str, names: tuple[Name, ...], what: str, plural: str) -> Name:
    for name in names:
        if name == value:
            return name
    raise UnknownName(f"{value!r} is not {what}; the {plural} are {', '.join(names)}")


def framework_of(value: str) -> Framework:
    return _one_of(value, FRAMEWORKS, "a framework", "frameworks")


def report_type_of(value: str) -> ReportType:
    return _one_of(value, REPORT_TYPES, "a kind of report", "kinds")


def send_outcome_of(value: str) -> SendOutcome:
    return _one_of(value, SEND_OUTCOMES, "an area SEND outcome", "outcomes")


def service_of(value: str) -> Service:
    return _one_of(value, SERVICES, "a service", "services")


def timescale_of(value: str) -> Timescale:
    return _one_of(value, TIMESCALES, "a timescale", "timescales")
