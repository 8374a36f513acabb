"""``python -m factlang``: the command line."""

import sys

from factlang.cli import main

sys.exit(main())
