"""`python -m statusledger`: the same as the `statusledger` command."""

from __future__ import annotations

import sys

from statusledger.cli import main

sys.exit(main())
