"""Domain errors: each carries a message a librarian can act on (Bahasa Indonesia)."""

from dataclasses import dataclass


class KelilingError(Exception):
    """Base class of every error the planner reports to a user."""


class NotFoundError(KelilingError):
    """A record the user named does not exist."""


@dataclass(frozen=True)
class ImportProblem:
    """One problem in an imported file, located by row and column."""

    row: int | None
    column: str | None
    message: str

    def describe(self) -> str:
        """Return the problem as 'baris R, kolom C: message'."""
        where = []
        if self.row is not None:
            where.append(f"baris {self.row}")
        if self.column:
            where.append(f"kolom {self.column}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class ImportRejectedError(KelilingError):
    """A file import was rejected as a whole; nothing was stored."""

    def __init__(self, problems: list[ImportProblem], total: int | None = None) -> None:
        self.problems = problems
        self.total = total if total is not None else len(problems)
        lines = "\n".join(f"- {p.describe()}" for p in problems)
        more = self.total - len(problems)
        suffix = f"\n- ... dan {more} masalah lain" if more > 0 else ""
        msg = (
            f"Impor dibatalkan, tidak ada data yang disimpan ({self.total} masalah):\n"
            f"{lines}{suffix}"
        )
        super().__init__(msg)
