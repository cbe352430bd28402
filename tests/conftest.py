from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"
PDFS = Path(__file__).resolve().parent / "data" / "pdf"
CORPUS = Path(__file__).resolve().parent / "data" / "corpus"  # 110 real reports, 2014-2026, with the peer's table


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Every test gets its own user data dir: nothing touches the real one."""
    home = tmp_path / "home"
    monkeypatch.setenv("OFSTED_READER_HOME", str(home))
    return home


def notes_state(home: Path) -> dict[str, bytes | None]:
    """The notes' files as bytes (None when absent): the main file and the journal of added notes."""
    return {
        name: (home / name).read_bytes() if (home / name).exists() else None
        for name in ("annotations.json", "annotations.added.jsonl")
    }
