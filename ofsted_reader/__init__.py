"""ofsted-reader: read, search, annotate and compare Ofsted children's services reports."""

__version__ = "0.1.0"
