"""Ranking within each track (综合型, each specialised domain), quota and pass mark.

Order, best first: composite desc → material-review score desc → qualitative total desc →
city code asc. The last key is unique within a track, so every ranking is total and the
same on every run. Scores are compared at 1e-6 points (``score_key``), so two cities whose
scores differ only by floating-point noise count as tied and fall through to the next key.

A city is eligible when its composite reaches the pass mark; the first ``quota`` eligible
cities of a track are selected. Every eligible city ranks above every ineligible one
(its composite is higher), so "rank ≤ quota and eligible" is the selection.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

SCORE_DECIMALS = 6


def score_key(values: np.ndarray) -> np.ndarray:
    """Scores as compared for ranking, pass mark and ties."""
    return np.round(values, SCORE_DECIMALS)


@dataclass(frozen=True)
class Ranking:
    """Per city (canonical order): rank within its track (1 = best) and the decision."""

    rank: np.ndarray
    eligible: np.ndarray
    selected: np.ndarray
    tied_at_cutoff: np.ndarray
    order: dict[str, np.ndarray]  # track → city positions, best first


def track_order(composite, material, qualitative, members: np.ndarray) -> np.ndarray:
    """Positions of ``members`` (ascending = city code order) sorted best first."""
    keys = (members, -score_key(qualitative[members]), -score_key(material[members]),
            -score_key(composite[members]))
    return members[np.lexsort(keys)]


def _tied_at_cutoff(key: np.ndarray, ordered: np.ndarray, eligible: np.ndarray, quota: int) -> np.ndarray:
    """Cities sharing the composite of the last selected and first unselected eligible city."""
    ranked_eligible = ordered[eligible[ordered]]
    if quota == 0 or len(ranked_eligible) <= quota:
        return np.zeros(0, dtype=np.int64)
    last_in, first_out = key[ranked_eligible[quota - 1]], key[ranked_eligible[quota]]
    if last_in != first_out:
        return np.zeros(0, dtype=np.int64)
    return ranked_eligible[key[ranked_eligible] == last_in]


def rank_tracks(track_of: np.ndarray, tracks: tuple[str, ...], composite: np.ndarray, material: np.ndarray,
                qualitative: np.ndarray, pass_mark: float, quotas: Mapping[str, int]) -> Ranking:
    """Rank every track; ``track_of`` gives each city's position in ``tracks``."""
    n = len(composite)
    rank = np.zeros(n, dtype=np.int64)
    key = score_key(composite)
    eligible = key >= pass_mark
    selected = np.zeros(n, dtype=bool)
    tied = np.zeros(n, dtype=bool)
    orders = {}
    for t, track in enumerate(tracks):
        ordered = track_order(composite, material, qualitative, np.flatnonzero(track_of == t))
        rank[ordered] = np.arange(1, len(ordered) + 1)
        selected[ordered] = eligible[ordered] & (rank[ordered] <= quotas[track])
        tied[_tied_at_cutoff(key, ordered, eligible, quotas[track])] = True
        orders[track] = ordered
    return Ranking(rank=rank, eligible=eligible, selected=selected, tied_at_cutoff=tied, order=orders)
