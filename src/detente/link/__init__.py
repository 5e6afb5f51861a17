"""Cross-article linking: dedup reports into canonical events, chain retaliation episodes.

>>> from detente.link import link_events, LinkResult
"""

from .dedup import LinkConfig, LinkResult, canonical_id_for, link_events, merge_tolls
from .episodes import EpisodeConfig, EpisodeResult, Response, assign_episodes, find_responses
from .linker import LinkStats, link_store

__all__ = [
    "EpisodeConfig",
    "EpisodeResult",
    "LinkConfig",
    "LinkResult",
    "LinkStats",
    "Response",
    "assign_episodes",
    "canonical_id_for",
    "find_responses",
    "link_events",
    "link_store",
    "merge_tolls",
]
