"""The greedy fill of interval pieces, with augmenting paths through nested limits.

The cars' energies flow through a network: a car into an interval, through its group's
share of that interval (a circuit's limit; a car in no group passes unlimited) into the
interval itself. The energies that can reach the intervals form a polymatroid however
the network is built (its rank of a set of intervals is the most that can flow into
them, a submodular function by the max-flow min-cut theorem), so filling the cheapest
interval piece first, as far as it will go, and never taking back what an earlier piece
got, stays exact with group limits as without them.

``fill`` looks for an augmenting path from a car that still wants energy to the interval
being filled, by breadth-first search backwards over the residual network: a car may move
some of its energy out of another interval it charges in, where another car of its group
takes its place, or, through the interval itself, a car of another group that still has
room there.
"""

from __future__ import annotations

from collections import deque
import math

EPS = 1e-9
# A group node's successor: the interval itself (forward, the group's room used).
_INTERVAL = -1
# The group of a car in none.
NO_GROUP = -1

type _Node = tuple[int, int]  # (group, interval)


class Greedy:
    """Cars' energies into intervals, piece by piece, within caps and group limits."""

    def __init__(
        self,
        caps: list[list[float]],
        demand: list[float],
        groups: list[int] | None = None,
        room: list[list[float]] | None = None,
    ) -> None:
        """``caps[car][interval]``: the most a car takes there; ``demand[car]``: its need.

        ``groups[car]``: the index of its group in ``room`` (or ``NO_GROUP``);
        ``room[group][interval]``: what the group's cars may take there together.
        """
        self.caps = caps
        self.rem = list(demand)
        self.flow = [[0.0] * len(row) for row in caps]
        self.windows = [[k for k, cap in enumerate(row) if cap > EPS] for row in caps]
        self.groups = groups or [NO_GROUP] * len(caps)
        self.room = room or []
        self.load: dict[_Node, float] = {}
        width = len(caps[0]) if caps else 0
        self.members: dict[_Node, list[int]] = {}
        self.groups_at: list[list[int]] = [[] for _ in range(width)]
        for car, window in enumerate(self.windows):
            group = self.groups[car]
            for k in window:
                node = (group, k)
                if node not in self.members:
                    self.members[node] = []
                    self.groups_at[k].append(group)
                self.members[node].append(car)

    def _room(self, node: _Node) -> float:
        group, k = node
        if group == NO_GROUP:
            return math.inf
        return self.room[group][k] - self.load.get(node, 0.0)

    def _path(self, goal: int) -> tuple[list[tuple[int, int, int]], list[_Node]] | None:
        """Hops (car, interval, +1 or -1) from a car with energy left into ``goal``.

        Also the group nodes whose room the path uses.
        """
        caps, flow, rem, windows = self.caps, self.flow, self.rem, self.windows
        # Successors towards the goal: of a group node (a car leaving that interval, or
        # the interval itself), of an interval (a group giving part of it up; None: the
        # goal) and of a car (the group node it enters).
        next_group: dict[_Node, int] = {}
        next_interval: dict[int, _Node | None] = {goal: None}
        next_car: dict[int, _Node] = {}
        queue: deque[_Node] = deque()
        for group in self.groups_at[goal]:
            node = (group, goal)
            if self._room(node) > EPS:
                next_group[node] = _INTERVAL
                queue.append(node)
        while queue:
            node = queue.popleft()
            group, k = node
            for car in self.members.get(node, ()):
                if car in next_car or caps[car][k] - flow[car][k] <= EPS:
                    continue
                next_car[car] = node
                if rem[car] > EPS:
                    return self._hops(car, next_group, next_interval, next_car)
                row = flow[car]
                for k2 in windows[car]:
                    other = (group, k2)
                    if other not in next_group and row[k2] > EPS:
                        next_group[other] = car
                        queue.append(other)
            if k in next_interval:
                continue
            # The group gives part of interval k up to another group with room there.
            next_interval[k] = node
            for other_group in self.groups_at[k]:
                other = (other_group, k)
                if other not in next_group and self._room(other) > EPS:
                    next_group[other] = _INTERVAL
                    queue.append(other)
        return None

    @staticmethod
    def _hops(
        car: int,
        next_group: dict[_Node, int],
        next_interval: dict[int, _Node | None],
        next_car: dict[int, _Node],
    ) -> tuple[list[tuple[int, int, int]], list[_Node]]:
        hops: list[tuple[int, int, int]] = []
        rooms: list[_Node] = []
        while True:
            node = next_car[car]
            k = node[1]
            hops.append((car, k, 1))
            after = next_group[node]
            if after == _INTERVAL:
                rooms.append(node)
                giver = next_interval[k]
                if giver is None:
                    return hops, rooms
                # A group node reached through a car leaving it: that car is its successor.
                after = next_group[giver]
            hops.append((after, k, -1))
            car = after

    def fill(self, goal: int, amount: float) -> bool:
        """Put up to ``amount`` more into interval ``goal``; False once it cannot grow."""
        caps, flow, rem, groups, load = self.caps, self.flow, self.rem, self.groups, self.load
        while amount > EPS:
            found = self._path(goal)
            if found is None:
                return False
            hops, rooms = found
            first = hops[0][0]
            delta = min(amount, rem[first])
            for car, seg, sign in hops:
                room = caps[car][seg] - flow[car][seg] if sign > 0 else flow[car][seg]
                delta = min(delta, room)
            for node in rooms:
                delta = min(delta, self._room(node))
            for car, seg, sign in hops:
                flow[car][seg] += sign * delta
                node = (groups[car], seg)
                load[node] = load.get(node, 0.0) + sign * delta
            rem[first] -= delta
            amount -= delta
        return True
