"""The one error importers raise: a file that cannot be read as a report."""


class ReportError(Exception):
    """A file that is not a report we can read. The message says why, in one line."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
