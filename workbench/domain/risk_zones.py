"""Zones of the risk matrix by score (likelihood × impact): the names the step list, the risks page,
the heat map and the reports all use. Colours belong to the charts (charts.palette)."""

from __future__ import annotations

#: (name, lowest score, highest score), lowest zone first
RISK_ZONES: tuple[tuple[str, int, int], ...] = (
    ("Low", 1, 4),
    ("Medium", 5, 9),
    ("High", 10, 14),
    ("Critical", 15, 25),
)
TOP_ZONE = RISK_ZONES[-1][0]


def risk_zone(likelihood: int, impact: int) -> str:
    """The zone of a cell by its score L × I ("Critical" for 15 and above)."""
    score = likelihood * impact
    for name, low, high in RISK_ZONES:
        if low <= score <= high:
            return name
    return RISK_ZONES[0][0] if score < RISK_ZONES[0][1] else TOP_ZONE
