"""ofsted-reader: read, search, annotate and compare Ofsted children's services reports."""

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    # The version on first use (core/about.py says why it is not read at import).
    if name == "__version__":
        from .core.about import version

        return version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
