"""Domain errors: each carries a message a librarian can act on (in the planner's language)."""

from dataclasses import dataclass

from planner.core.i18n import _


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
        """Return the problem as 'baris R, kolom C: message' (in the planner's language)."""
        where = []
        if self.row is not None:
            where.append(_("row {row}").format(row=self.row))
        if self.column:
            where.append(_("column {column}").format(column=self.column))
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class ImportRejectedError(KelilingError):
    """A file import was rejected as a whole; nothing was stored."""

    def __init__(self, problems: list[ImportProblem], total: int | None = None) -> None:
        self.problems = problems
        self.total = total if total is not None else len(problems)
        lines = "\n".join(f"- {p.describe()}" for p in problems)
        more = self.total - len(problems)
        suffix = "\n- " + _("... and {count} other problems").format(count=more) if more > 0 else ""
        heading = _("Import cancelled, nothing was stored ({count} problems):").format(
            count=self.total
        )
        msg = f"{heading}\n{lines}{suffix}"
        super().__init__(msg)
