"""The reference optimum for the planner benchmark: a general LP solver (HiGHS).

The planner solves its problem with an exact combinatorial method; this module solves
the same linear problem with scipy's ``linprog`` (HiGHS), a different method, so the
benchmark can say how far the planner's cost is from the optimum. Two stages, as the
planner's objective is lexicographic: the most energy that can be delivered, then the
least cost among plans that deliver it. It reuses only the planner's interval grid
(``build_segments``); the limit and departures are checked on the raw times elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import lil_matrix

from custom_components.smart_charging.planner.model import Problem, TargetMode
from custom_components.smart_charging.planner.solve import (
    build_segments,
    limit_energies,
    window_caps,
)


@dataclass(frozen=True)
class Reference:
    """The optimum: energy delivered in all, and its least cost."""

    energy_kwh: float
    cost: float
    demand_kwh: float

    @property
    def feasible(self) -> bool:
        """Whether every goal can be met."""
        return self.energy_kwh >= self.demand_kwh - 1e-6


def reference(problem: Problem) -> Reference:
    """Solve ``problem`` (cars the planner steers only) with HiGHS."""
    if any(t.mode is not TargetMode.STEER or t.running_until for t in problem.targets):
        raise ValueError("the reference covers cars the planner steers, nothing running")
    segments = build_segments(problem)
    feed_in = problem.feed_in_price or 0.0
    arcs = [
        (i, k, cap)
        for i, t in enumerate(problem.targets)
        for k, cap in enumerate(window_caps(t, segments, problem.now))
        if cap > 0
    ]
    n_x, m = len(arcs), len(segments)
    # Variables: x (car, interval), then solar s_k, then grid g_k.
    size = n_x + 2 * m
    rows_eq = lil_matrix((m, size))
    for col, (_, k, _) in enumerate(arcs):
        rows_eq[k, col] = 1.0
    for k in range(m):
        rows_eq[k, n_x + k] = -1.0
        rows_eq[k, n_x + m + k] = -1.0
    n_t = len(problem.targets)
    subs = problem.sub_limits
    rows_ub = lil_matrix((n_t + m + len(subs) * m, size))
    for col, (i, _, _) in enumerate(arcs):
        rows_ub[i, col] = 1.0
    b_ub = [t.energy_kwh for t in problem.targets]
    for k, seg in enumerate(segments):
        rows_ub[n_t + k, n_x + k] = 1.0
        rows_ub[n_t + k, n_x + m + k] = 1.0
        b_ub.append(seg.limit_kw * seg.hours if np.isfinite(seg.limit_kw) else 1e9)
    # Each group's cars together within its sub-limit (an Easee circuit).
    for g, sub in enumerate(subs):
        for col, (i, k, _) in enumerate(arcs):
            if problem.targets[i].group == sub.key:
                rows_ub[n_t + m + g * m + k, col] = 1.0
        b_ub.extend(limit_energies(sub.steps, segments))
    bounds = [(0.0, cap) for _, _, cap in arcs]
    bounds += [(0.0, seg.solar_kwh) for seg in segments] + [(0.0, None)] * m
    most = linprog(
        c=[-1.0] * n_x + [0.0] * (2 * m),
        A_ub=rows_ub.tocsr(),
        b_ub=b_ub,
        A_eq=rows_eq.tocsr(),
        b_eq=[0.0] * m,
        bounds=bounds,
        method="highs",
    )
    energy = -most.fun
    cost = [0.0] * n_x
    cost += [min(feed_in, seg.price) for seg in segments] + [seg.price for seg in segments]
    total = lil_matrix((1, size))
    for col in range(n_x):
        total[0, col] = -1.0
    least = linprog(
        c=cost,
        A_ub=np.vstack([rows_ub.toarray(), total.toarray()]),
        b_ub=[*b_ub, -(energy - 1e-7)],
        A_eq=rows_eq.tocsr(),
        b_eq=[0.0] * m,
        bounds=bounds,
        method="highs",
    )
    return Reference(
        energy_kwh=energy,
        cost=float(least.fun),
        demand_kwh=sum(t.energy_kwh for t in problem.targets),
    )
