"""An empty plan is no plan: when the search places no visit, say so in one sentence.

A plan with no visit while visits were required (or a search that found no plan at all) is
never stored nor shown as a plan; `NoPlanFoundError` carries the sentence and the most common
reason the visits were left out, so the job page can say it in the user's language.
"""

from collections import Counter
from dataclasses import dataclass

from planner.core import KelilingError, _
from planner.routing import Plan, Problem, Unserved

NO_SOLUTION_STATUS = "no_solution"
UNKNOWN_REASON = "no_solution"


@dataclass(frozen=True)
class CommonReason:
    """The reason shared by most of the visits left out: its code, text and reach."""

    code: str
    reason: str
    visits: int
    stops: int


class NoPlanFoundError(KelilingError):
    """The search placed no visit although visits were required; nothing is stored."""

    def __init__(self, visits_required: int, common: CommonReason) -> None:
        self.visits_required = visits_required
        self.common = common
        super().__init__(no_plan_sentence(visits_required, common))


def no_plan_sentence(visits_required: int, common: CommonReason) -> str:
    """The one sentence a coordinator reads (in the planner's language)."""
    return _(
        "No plan: not one of the {required} visits could be scheduled (most common reason, "
        "for {visits} visits at {stops} points: {reason})."
    ).format(
        required=visits_required, visits=common.visits, stops=common.stops, reason=common.reason
    )


def most_common_reason(unserved: tuple[Unserved, ...]) -> CommonReason:
    """The code that left out the most visits, with its most frequent wording."""
    if not unserved:
        return CommonReason(UNKNOWN_REASON, _("the solver found no plan"), 0, 0)
    by_code: Counter[str] = Counter()
    for item in unserved:
        by_code[item.code] += item.visits
    code, visits = by_code.most_common(1)[0]
    of_code = [item for item in unserved if item.code == code]
    wording: Counter[str] = Counter()
    for item in of_code:
        wording[item.reason] += item.visits
    stops = len({item.stop_id for item in of_code})
    return CommonReason(code, wording.most_common(1)[0][0], visits, stops)


def check_not_empty(problem: Problem, plan: Plan) -> None:
    """Raise NoPlanFoundError when the search found no plan, or placed no visit of those
    required."""
    required = sum(stop.visits for stop in problem.stops)
    if plan.status == NO_SOLUTION_STATUS or (plan.visits_planned == 0 and required > 0):
        raise NoPlanFoundError(required, most_common_reason(plan.unserved))
