"""The app's name and version, the version read from the installed package's metadata (written once, in
pyproject.toml)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

NAME = "ofsted-reader"

try:
    VERSION = version(NAME)
except PackageNotFoundError:  # run from a checkout that was never installed
    VERSION = "0+unknown"
