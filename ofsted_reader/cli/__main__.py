"""`python -m ofsted_reader.cli`: the same as the `ofsted-reader` command."""

import sys

from .main import main

sys.exit(main())
