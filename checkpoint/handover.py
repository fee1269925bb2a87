"""Sharing a caseload out between navigators, for a handover (a pure rule: no ORM, no clock).

A navigator who leaves hands every open case on (``services.caseload_handover``). When the
supervisor shares the cases between several navigators, each case goes to whoever of them has
the fewest open cases at that moment, counting the cases already shared out, so the team's
workloads end as even as they can be. Ties go to the navigator named first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def share_out(case_ids: Sequence[int], loads: Mapping[int, int]) -> dict[int, int]:
    """Map each case id (in the order given) to one of the navigator ids in ``loads``.

    ``loads``: each receiving navigator's id and their open cases now, in the order ties are
    broken. Raises ``ValueError`` when there is nobody to share with.
    """
    if not loads:
        raise ValueError("Share a caseload with at least one navigator.")
    running = dict(loads)
    order = {navigator: index for index, navigator in enumerate(loads)}
    plan = {}
    for case_id in case_ids:
        navigator = min(running, key=lambda n: (running[n], order[n]))
        plan[case_id] = navigator
        running[navigator] += 1
    return plan
