"""Disclosure control for published tables of counts: which counts to hide so that nobody in a
small group can be picked out from what a report shows.

No ORM and no clock: counts in, published values out (tests/reports/test_suppression_attacker.py
attacks the output with an independent integer-programming solver).

What is published. A table of counts with some of its margins: row totals, column totals and
the grand total (only with both). A *funnel* is a table whose columns are the stages people
pass through in order (assessed, found eligible, offered, ...), so each count is at most the
count before it in the same row; it is published with column totals only.

Primary suppression (the threshold rule). Every count of 1 to ``k - 1`` people is hidden,
margins included. Zeros are published: a count of nobody discloses no one (ONS practice).

The attacker. A reader who knows how the table is built: every published value, that each row
and column adds up to its published total, that no count is negative, that counts are whole
numbers, and in a funnel that no stage counts more people than the stage before (so a published
zero holds every later stage of its row at zero). From these the reader can work out, for each
hidden value, its *feasibility interval* [lo, hi]: the smallest and largest value it could take
in some table consistent with everything published.

Protected, and "narrowed below the threshold". A hidden value is *pinned* when lo == hi. A
hidden value that the threshold rule hid (1 to k - 1 people) is *narrowed below the threshold*
when its interval holds fewer than k whole numbers: hi - lo < k - 1. This is the minimum-width
("sliding") protection requirement of statistical disclosure control (Hundepool et al.,
Statistical Disclosure Control, 2012; tau-ARGUS "sliding protection", GaussSuppression's
``rangeMin``) with the width set by the threshold: the reader is left with at least k candidate
values, as many as the threshold itself leaves open. A table is protected when no hidden value
is pinned and no primary-suppressed value is narrowed below the threshold.

Secondary suppression. While some primary-suppressed value is not protected, hide one more
published value (a zero too, if that helps): in order of preference (interior counts before
totals, then smaller counts first), the first that protects it on its own, else the one that
widens its interval most; when no single value widens it (a cycle of several is needed), the
first on one of its lines that would not itself be pinned. A funnel's totals row is never
hidden for this: every equality table of the same cases shares it, so a total hidden in one
would be shown in another. It need not be: with every count of the body hidden, a hidden
value can range from 0 to at least the nearest published total at or before its stage (k or
more), or without bound. Finally, a secondary suppression left pinned is shown: it tells the
reader nothing the rest of the table does not.

The audit is exact. Flip the sign of the margins and every line of the table sums to zero: the
table is a circulation in a network with one node per line and one edge per value; a funnel's
stages become a chain of nodes per row, with an edge for the people who stopped at each stage
(``_plain_network``, ``_funnel_network``). The feasible tables are the circulations that keep
the published flows, so how far a hidden value can rise (fall) is the largest flow that can go
round from its edge's head to its tail (tail to head) through the other hidden edges: a small
max-flow problem, counted only up to the width needed. The constraint matrix is a network
matrix, so this is also the bound over whole-number tables.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

Position = tuple[int, int]
Node = int
Capacities = dict[Node, dict[Node, int]]
FREE: Node = 0  # every line without a published total: one node, with no rule of its own


@dataclass(frozen=True)
class Grid:
    """A published table: ``None`` marks a suppressed count.

    ``row_totals``/``col_totals`` are ``None`` when that margin is not part of the table.
    ``total`` is the grand total, published only with both margins.
    """

    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...] | None
    col_totals: tuple[int | None, ...] | None
    total: int | None

    @property
    def hidden(self) -> int:
        """How many values are suppressed (cells and margins)."""
        values = [v for row in self.cells for v in row]
        values += list(self.row_totals or ()) + list(self.col_totals or ())
        if self.row_totals is not None and self.col_totals is not None:
            values.append(self.total)
        return sum(v is None for v in values)


@dataclass(frozen=True)
class _Edge:
    tail: Node
    head: Node
    flow: int


@dataclass
class _Network:
    """Values as flows on edges; every node other than ``FREE`` keeps what flows in."""

    edges: dict[Position, _Edge] = field(default_factory=dict)
    slack: list[_Edge] = field(default_factory=list)  # never published (funnel drop-outs)
    size: int = 1  # nodes so far, FREE included

    def node(self) -> Node:
        self.size += 1
        return self.size - 1


@dataclass
class _Table:
    """The counts with their margins: interior ``(r, c)`` with ``r < R`` and ``c < C``; row
    totals in column ``C``, column totals in row ``R``, the grand total at ``(R, C)``."""

    R: int
    C: int
    values: dict[Position, int]
    network: _Network
    funnel: bool

    def is_margin(self, p: Position) -> bool:
        return p[0] == self.R or p[1] == self.C

    def on_a_line_with(self, p: Position, q: Position) -> bool:
        return p != q and (p[0] == q[0] or p[1] == q[1])


def suppress(
    cells: Sequence[Sequence[int]],
    *,
    k: int,
    row_totals: bool = True,
    col_totals: bool = True,
    width: int = 0,
    funnel: bool = False,
) -> Grid:
    """Publish ``cells`` with the chosen margins, hiding what could identify fewer than k people.

    The margins are computed here from the cells, so they always add up. ``width`` is the
    number of columns when there are no rows. ``funnel``: the columns are stages in order (see
    the module docstring); a funnel has no row totals.
    """
    table = _table(cells, row_totals=row_totals, col_totals=col_totals, width=width, funnel=funnel)
    edges = table.network.edges
    sensitive = {p for p, v in table.values.items() if 0 < v < k}
    hidden = set(sensitive)
    # Hiding more only widens intervals, so a value once protected stays protected.
    pending = sorted(sensitive)
    while pending:
        room = _Room(table, hidden - {pending[0]}, k - 1)
        if room.spread(edges[pending[0]], k - 1) >= k - 1:
            pending.pop(0)
            continue
        partner = _partner(table, hidden, pending[0], room)
        if partner is None:  # everything that may be hidden is
            break
        hidden.add(partner)
    hidden -= _pinned(table, hidden, hidden - sensitive)
    return _grid(table, hidden, row_totals=row_totals, col_totals=col_totals)


def _pinned(table: _Table, hidden: set[Position], among: set[Position]) -> set[Position]:
    """The values in ``among`` that the published values pin (showing them changes nothing)."""
    room, found = _Room(table, hidden, 1), set()
    for p in among:
        edge = table.network.edges[p]
        if room.without(edge).spread(edge, 1) == 0:
            found.add(p)
        room.with_(edge)
    return found


def _table(
    cells: Sequence[Sequence[int]], *, row_totals: bool, col_totals: bool, width: int, funnel: bool
) -> _Table:
    if funnel and row_totals:
        raise ValueError("A funnel has no row totals: its stages count the same people.")
    R = len(cells)
    C = len(cells[0]) if cells else width
    values: dict[Position, int] = {}
    for r, row in enumerate(cells):
        if len(row) != C:
            raise ValueError("Every row must have the same number of cells.")
        for c, value in enumerate(row):
            if value < 0:
                raise ValueError("Counts cannot be negative.")
            if funnel and c and value > row[c - 1]:
                raise ValueError("A stage of a funnel cannot count more than the stage before.")
            values[(r, c)] = int(value)
    if row_totals:
        values |= {(r, C): sum(values[(r, c)] for c in range(C)) for r in range(R)}
    if col_totals:
        values |= {(R, c): sum(values[(r, c)] for r in range(R)) for c in range(C)}
    if row_totals and col_totals:
        values[(R, C)] = sum(values[(R, c)] for c in range(C))
    build = _funnel_network if funnel else _plain_network
    return _Table(R, C, values, build(values, R, C, row_totals, col_totals), funnel)


def _plain_network(
    values: dict[Position, int], R: int, C: int, row_totals: bool, col_totals: bool
) -> _Network:
    """One node per line with a published total (rows 0..R, columns 0..C), the rest ``FREE``.

    A count (and the grand total) flows from its row to its column; a margin, whose sign is
    flipped, from its column to its row. Each row then passes on exactly its total, and so on.
    """
    net = _Network()
    both = row_totals and col_totals
    rows = [net.node() if row_totals else FREE for _ in range(R)] + [net.node() if both else FREE]
    cols = [net.node() if col_totals else FREE for _ in range(C)] + [net.node() if both else FREE]
    for (r, c), v in values.items():
        if (r < R and c < C) or (r, c) == (R, C):
            net.edges[(r, c)] = _Edge(rows[r], cols[c], v)
        else:
            net.edges[(r, c)] = _Edge(cols[c], rows[r], v)
    return net


def _funnel_network(
    values: dict[Position, int], R: int, C: int, row_totals: bool, col_totals: bool
) -> _Network:
    """Each row a chain: stage s flows from link s to link s + 1 of its chain, and at link
    s + 1 the people who went no further (stage s minus stage s + 1, never published) leave for
    the node of stage s. A stage's total flows from its node to the node of the stage before
    (the first stage's to the hub every chain starts from), so it gathers everyone who stopped
    at that stage or later. A stage can then never count more than the one before."""
    net = _Network()
    hub = net.node() if col_totals else FREE
    stopped = [net.node() if col_totals else FREE for _ in range(C)]
    for r in range(R):
        chain = [hub] + [net.node() for _ in range(C)]
        for s in range(C):
            net.edges[(r, s)] = _Edge(chain[s], chain[s + 1], values[(r, s)])
            left = values[(r, s)] - values.get((r, s + 1), 0) if s + 1 < C else values[(r, s)]
            net.slack.append(_Edge(chain[s + 1], stopped[s], left))
    if col_totals:
        for s in range(C):
            net.edges[(R, s)] = _Edge(stopped[s], stopped[s - 1] if s else hub, values[(R, s)])
    return net


def _partner(table: _Table, hidden: set[Position], weak: Position, room: _Room) -> Position | None:
    """Another value to hide to protect ``weak`` (see "Secondary suppression" above).

    ``room`` holds every hidden value but ``weak``.
    """
    shown = [p for p in table.values if p not in hidden]
    pool = [p for p in shown if not table.is_margin(p)]
    if not table.funnel or not pool:
        pool = shown
    # Interior counts before totals, small before large: the order of preference.
    pool.sort(key=lambda p: (table.is_margin(p), table.values[p], p))
    return _widest(table, hidden, weak, room, pool) or _next_on_a_line(table, hidden, weak, pool)


def _widest(
    table: _Table, hidden: set[Position], weak: Position, room: _Room, pool: list[Position]
) -> Position | None:
    """The first value in ``pool`` that protects ``weak`` on its own, else the one that widens
    its interval most (interior counts first); None if none widens it."""
    edges, need = table.network.edges, room.limit
    before = room.spread(edges[weak], need)
    # Only a value joining two points already linked to ``weak`` can close a cycle through it.
    linked = _linked(table.network, hidden, weak)
    best: tuple[bool, int, Position] | None = None
    for p in pool:
        if edges[p].tail not in linked or edges[p].head not in linked:
            continue
        gain = room.with_(edges[p]).spread(edges[weak], need)
        room.without(edges[p])
        if gain >= need:  # the first to protect it outright, unless a total and a count helped
            return best[2] if best is not None and not best[0] and table.is_margin(p) else p
        if gain > before and (best is None or (table.is_margin(p), -gain) < best[:2]):
            best = (table.is_margin(p), -gain, p)
    return best[2] if best else None


def _next_on_a_line(
    table: _Table, hidden: set[Position], weak: Position, pool: list[Position]
) -> Position | None:
    """No single value widens ``weak``'s interval (a cycle of several is needed): the first
    value on one of its lines that would not itself be pinned once hidden."""
    near = [p for p in pool if table.on_a_line_with(p, weak)] or pool
    room = _Room(table, hidden, 1)
    free = (p for p in near if room.spread(table.network.edges[p], 1) > 0)
    return next(free, near[0] if near else None)


def _linked(net: _Network, hidden: set[Position], p: Position) -> set[Node]:
    """The nodes joined to ``p``'s edge by unpublished edges, whatever their direction."""
    around: dict[Node, list[Node]] = {}
    for e in [net.edges[q] for q in hidden] + net.slack:
        around.setdefault(e.tail, []).append(e.head)
        around.setdefault(e.head, []).append(e.tail)
    seen = {net.edges[p].tail, net.edges[p].head}
    queue = deque(seen)
    while queue:
        for v in around.get(queue.popleft(), []):
            if v not in seen:
                seen.add(v)
                queue.append(v)
    return seen


class _Room:
    """How far the unpublished flows can change: up without bound (counted to ``limit``, all
    the flow ever asked for), down to zero. Edges come and go with ``with_``/``without``."""

    def __init__(self, table: _Table, hidden: set[Position], limit: int):
        self.limit = max(limit, 1)
        self.capacity: Capacities = {}
        for e in [table.network.edges[p] for p in hidden] + table.network.slack:
            self.with_(e)

    def with_(self, e: _Edge, sign: int = 1) -> _Room:
        self._add(e.tail, e.head, sign * self.limit)
        self._add(e.head, e.tail, sign * min(e.flow, self.limit))
        return self

    def without(self, e: _Edge) -> _Room:
        return self.with_(e, -1)

    def _add(self, u: Node, v: Node, amount: int) -> None:
        out = self.capacity.setdefault(u, {})
        out[v] = out.get(v, 0) + amount

    def spread(self, e: _Edge, limit: int) -> int:
        """hi - lo of the hidden value on edge ``e`` (not in this room), counted to ``limit``."""
        if e.tail == e.head:  # on no published line at all
            return limit
        rise = self.flow(e.head, e.tail, limit)
        return min(rise + self.flow(e.tail, e.head, min(e.flow, limit)), limit)

    def flow(self, source: Node, sink: Node, limit: int) -> int:
        """How much can flow from ``source`` to ``sink``, up to ``limit`` (augmenting paths);
        the room is left as it was."""
        pushed: list[tuple[Node, Node, int]] = []
        total = 0
        while total < limit and (path := _path(self.capacity, source, sink)) is not None:
            push = min([limit - total, *(self.capacity[u][v] for u, v in path)])
            pushed += [(u, v, push) for u, v in path]
            for u, v in path:
                self._add(u, v, -push)
                self._add(v, u, push)
            total += push
        for u, v, push in pushed:
            self._add(u, v, push)
            self._add(v, u, -push)
        return total


def _path(capacity: Capacities, source: Node, sink: Node) -> list[tuple[Node, Node]] | None:
    """A shortest path with room left on every step (breadth first), as its steps."""
    came_from: dict[Node, Node] = {source: source}
    queue = deque([source])
    while queue and sink not in came_from:
        u = queue.popleft()
        for v, left in capacity.get(u, {}).items():
            if left > 0 and v not in came_from:
                came_from[v] = u
                queue.append(v)
    if sink not in came_from:
        return None
    steps, node = [], sink
    while node != source:
        steps.append((came_from[node], node))
        node = came_from[node]
    return steps[::-1]


def _grid(table: _Table, hidden: set[Position], *, row_totals: bool, col_totals: bool) -> Grid:
    def shown(p: Position) -> int | None:
        return None if p in hidden else table.values[p]

    R, C = table.R, table.C
    return Grid(
        cells=tuple(tuple(shown((r, c)) for c in range(C)) for r in range(R)),
        row_totals=tuple(shown((r, C)) for r in range(R)) if row_totals else None,
        col_totals=tuple(shown((R, c)) for c in range(C)) if col_totals else None,
        total=shown((R, C)) if row_totals and col_totals else None,
    )
