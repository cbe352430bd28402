"""The non-UI packages never import Textual: the CLI and scripts stay fast and the model stays reusable."""

import subprocess
import sys

from .conftest import ROOT


def test_importers_and_store_do_not_import_textual():
    code = (
        "import sys, importers, importers.slac, importers.pdf, store.library, store.annotations, store.anchoring, "
        "ofsted_reader.model, ofsted_reader.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
