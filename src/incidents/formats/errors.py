"""Input errors that say where (file, line, field) and what was expected."""

from __future__ import annotations

from collections.abc import Sequence

from attrs import frozen

from incidents.domain.errors import IncidentsError


@frozen
class InputProblem:
    """One problem in one input file."""

    file: str
    line: int | None
    field: str | None
    message: str
    column: int | None = None  # where the line is known and a character is at fault (from 1)

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.line is not None and self.column is not None:
            where = f"{where}:{self.column}"
        what = f"{self.field}: " if self.field else ""
        return f"{where}: {what}{self.message}"


class InvalidInputError(IncidentsError):
    """An input file has one or more problems; nothing from it is written."""

    def __init__(self, problems: Sequence[InputProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))
