"""What a plan-to-plan diff reports: one `Change` per difference an analyst cares about.

Values are the printed text with runs of whitespace collapsed to one space
(the line breaks of a layout are not wording; accents, quotes and case are
kept). Numbers (weights) are written without a trailing ".0"; month grids as
twelve characters, "X" for a marked month and "." for an empty one.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

# Kinds, in the order a report lists them for one objective.
ADDED = "added"
REMOVED = "removed"
RENAMED = "renamed"  # title changed
RENUMBERED = "renumbered"  # printed number changed
FIELD_CHANGED = "field_changed"  # responsible, missione, …, "2:result_indicators" (a later
# programming year's value, keyed as Objective.later_years), "phase.description" …
REASSIGNED = "reassigned"  # people or shares under RISORSE UMANE ASSEGNATE
REWEIGHTED = "reweighted"  # weight-table weight
PHASE_ADDED = "phase_added"
PHASE_REMOVED = "phase_removed"
RESCHEDULED = "rescheduled"  # marked months of one phase

KINDS: tuple[str, ...] = (
    ADDED, REMOVED, RENUMBERED, RENAMED, FIELD_CHANGED, REASSIGNED, REWEIGHTED,
    PHASE_ADDED, PHASE_REMOVED, RESCHEDULED,
)

# `field` names the comparison writes (card text fields use their Objective attribute name).
FIELD_TITLE = "title"
FIELD_NUMBER = "number"
FIELD_HUMAN_RESOURCES = "human_resources"
FIELD_SCHEDULE = "schedule"
FIELD_WEIGHT = "weight"  # the objective's own weight table (area table, or the 1T..4T table)
PHASE_FIELD_PREFIX = "phase."  # "phase.description", "phase.services", "phase.schedule_text"


def weight_field(table_area_slug: str | None = None) -> str:
    """`weight` for the objective's own table; `weight:<area>` for a transversal
    objective's row in an area's weight table (each area weighs 1T..4T itself)."""
    return f"{FIELD_WEIGHT}:{table_area_slug}" if table_area_slug else FIELD_WEIGHT


@dataclass(frozen=True)
class Change:
    kind: str  # one of KINDS
    area: str  # area slug of the objective ("trasversali" for 1T..4T)
    old_key: str | None = None  # objective_key in the old plan (None when added)
    new_key: str | None = None  # objective_key in the new plan (None when removed)
    field: str | None = None  # what changed (see the FIELD_* names), None for added/removed
    old_value: str | None = None
    new_value: str | None = None
    similarity: float | None = None  # 0..100: objective match score, or phase match score
    year_index: int | None = None  # programming year of a phase change (1 = first)
    old_seq: int | None = None  # row of the phase in the old card's year block (1-based)
    new_seq: int | None = None

    def identity(self) -> tuple:
        """Everything but the similarity: what two diffs must agree on."""
        return tuple(getattr(self, f.name) for f in fields(self) if f.name != "similarity")


CHANGE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Change))
