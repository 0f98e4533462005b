"""Errors that overlap raises on purpose.

    OverlapError
    ├── InputError            a file or frame the user gave cannot be used
    │   ├── UnreadableFileError   not found, not a table, unknown format, bad encoding
    │   ├── EmptyFileError        no header or no rows
    │   ├── MappingError          no name column, unknown field in an explicit mapping
    │   ├── ColumnError           a column a file needs is missing, or holds what it cannot
    │   └── DuplicateIdError      the same id on two rows
    ├── ConfigError           a configuration value is out of range or unknown
    ├── ModelError            a saved model cannot be read or does not fit the features
    ├── NotEnoughDataError    the data holds too little to learn from (one class only)
    └── StoreError            (overlap.api.store) the service cannot do what was asked

Every InputError names the file and, where it applies, the row and the column,
and says what would fix it. ``overlap.cli`` turns them into exit codes and ``api/``
into problem+json responses; nothing else catches them.
"""

from __future__ import annotations


class OverlapError(Exception):
    """Base of every error overlap raises on purpose."""


class InputError(OverlapError):
    """A file or frame the user gave cannot be used.

    ``file``, ``row`` (1-based line in the file) and ``column`` (the header as
    written in the file) say where; ``hint`` says what would fix it.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [
            f"{label} {value!r}" if label == "column" else f"{label} {value}"
            for label, value in (("file", self.file), ("row", self.row), ("column", self.column))
            if value is not None
        ]
        text = f"{', '.join(where)}: {self.message}" if where else self.message
        return f"{text}. {self.hint}" if self.hint else text


class UnreadableFileError(InputError):
    """The file is missing, not a table, of an unknown format or encoding."""


class EmptyFileError(InputError):
    """The file has no header or no data rows."""


class MappingError(InputError):
    """The columns cannot be mapped onto the account schema."""


class ColumnError(InputError):
    """A file lacks a column it needs, or a cell holds what its column cannot."""


class DuplicateIdError(InputError):
    """Two rows of one list carry the same id."""


class ConfigError(OverlapError):
    """A configuration value is out of range or unknown."""


class ModelError(OverlapError):
    """A saved model cannot be read or does not fit the features."""


class NotEnoughDataError(OverlapError):
    """The data holds too little to learn from, such as labels of one class only."""
