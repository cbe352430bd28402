"""Where fetched reports came from: each report's source URL and provider URN, and every publication fetch has
seen, so a second run downloads nothing and an interrupted run resumes. One JSON file, written atomically."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson

from ofsted_reader.host import locations
from ofsted_reader.store.atomic import write_atomic


def load() -> dict[str, Any]:
    """{"reports": {report_id: {"url", "urn", "fetched"}}, "urls": {url: {"report_id" | "refused"}}}; an absent or
    damaged file is an empty record (it is rebuilt as fetch runs; the reports themselves are in the library)."""
    try:
        body = orjson.loads(locations.sources_file().read_bytes())
        if isinstance(body, dict) and isinstance(body.get("reports"), dict) and isinstance(body.get("urls"), dict):
            return body
    except (OSError, ValueError):
        pass
    return {"reports": {}, "urls": {}}


def save(body: dict[str, Any]) -> None:
    write_atomic(locations.sources_file(), orjson.dumps(body, option=orjson.OPT_INDENT_2))


def record_report(body: dict[str, Any], report_id: str, url: str, urn: str | None) -> None:
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    body["reports"][report_id] = {"url": url, "urn": urn, "fetched": now}
    body["urls"][url] = {"report_id": report_id, "seen": now}


def record_refusal(body: dict[str, Any], url: str, reason: str) -> None:
    body["urls"][url] = {"refused": reason, "seen": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}


def source_urls() -> dict[str, str]:
    """Each fetched report's source URL, by report id."""
    return {
        rid: found["url"]
        for rid, found in load()["reports"].items()
        if isinstance(found, dict) and isinstance(found.get("url"), str)
    }
