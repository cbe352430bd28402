"""`python -m ofsted_reader`: the same as the `ofsted-reader` command."""

import sys

from .cli import main

sys.exit(main())
