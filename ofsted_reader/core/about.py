"""The app's name and version, the version read from the installed package's metadata (written once, in
pyproject.toml). Read on first use, not at import: finding the package's metadata costs ~45 ms, which every command
and the app's start would otherwise pay before doing anything."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as installed_version

NAME = "ofsted-reader"


@cache
def version() -> str:
    try:
        return installed_version(NAME)
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"
