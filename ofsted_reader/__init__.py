"""ofsted-reader: read, search, annotate and compare Ofsted children's services reports."""

from .core.about import VERSION as __version__

__all__ = ["__version__"]
