"""The `ofsted-reader` command line: `main` is the entry point (see main.py for how the package is laid out)."""

from .main import build_parser, main

__all__ = ["build_parser", "main"]
