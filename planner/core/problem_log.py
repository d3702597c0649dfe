"""A list of import problems that keeps the first few thousand and counts the rest.

A file where every row is wrong would otherwise hold millions of problems in memory, while a
reader shows only the first fifty and the total.
"""

from planner.core.errors import ImportProblem

KEPT_PROBLEMS = 1000


class ProblemLog(list[ImportProblem]):
    """Problems in the order found; `total` counts the ones not kept as well."""

    def __init__(self, keep: int = KEPT_PROBLEMS) -> None:
        super().__init__()
        self.keep = keep
        self.dropped = 0

    def append(self, problem: ImportProblem) -> None:
        """Keep the problem while fewer than `keep` are kept, else count it."""
        if len(self) < self.keep:
            super().append(problem)
        else:
            self.dropped += 1

    @property
    def total(self) -> int:
        """Every problem found, kept or not."""
        return len(self) + self.dropped
