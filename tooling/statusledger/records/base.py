"""What every record model shares: the strict base, ids, text and numbers, corrections, sources.

Numbers and switches are strict because YAML writes `yes` or "99.9" where a value belongs; a
correction and an import source may sit on any record.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict

from statusledger.records.types import Timestamp, Url

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
RECORD_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


class Model(BaseModel):
    """Base of every record model: immutable, strict about keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")


Language = Literal["en", "it", "fr", "ro", "de", "es"]
ComponentId = Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]
RecordId = Annotated[str, Field(pattern=RECORD_ID_PATTERN, max_length=120)]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank (only spaces); write the text")
    return value


NonEmpty = Annotated[
    str, Field(min_length=1, json_schema_extra={"pattern": r"\S"}), AfterValidator(_not_blank)
]
# Numbers and switches as YAML writes them: `yes`, "99.9" or 1 where a number or a boolean
# belongs are refused rather than read as 1 %, 99.9 or true (pydantic's lax mode would).
Number = Annotated[float, Strict()]
Switch = Annotated[bool, Strict()]


class Correction(Model):
    """A reviewed change to something already merged (the history guard's escape hatch).

    The published page shows corrections, so rewriting history is never silent.
    """

    at: Timestamp
    what: NonEmpty
    why: NonEmpty


class Source(Model):
    """Where an imported record came from, so a second import recognises it."""

    system: Literal["statuspage", "cstate"]
    id: NonEmpty
    url: Url | None = None
    derived: list[str] = Field(default_factory=list)
