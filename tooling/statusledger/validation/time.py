"""Rules: time (SPEC §2)."""

from __future__ import annotations

from statusledger.validation import Rule

RULES: list[Rule] = []
