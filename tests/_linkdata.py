"""Hand-made events shared by the link / analyze / watch tests (not a test module)."""

from __future__ import annotations

import datetime as dt

from detente.schema import Count, Entity, Event, Evidence, Place, Toll


def mk(
    art: str,
    etype: str,
    actors: list[tuple[str, str | None]],
    recipients: list[tuple[str, str | None]],
    day: int,
    *,
    text: str,
    place: tuple[str, str] | None = None,
    killed: int | None = None,
    quad: int | None = None,
    intensity: float | None = None,
    start: int = 0,
) -> Event:
    return Event(
        article_id=art,
        event_type=etype,
        quad_class=quad,
        intensity=intensity,
        actor=[Entity(text=c, country=c, sector=s) for c, s in actors],
        recipient=[Entity(text=c, country=c, sector=s) for c, s in recipients],
        date=dt.date(2024, 1, day),
        date_precision="day",
        location=Place(name=place[1], country=place[0], admin1=place[1], precision="admin1") if place else None,
        toll=Toll(killed=Count(low=killed, best=killed, high=killed)) if killed is not None else None,
        evidence=Evidence(text=text, start=start, end=start + len(text)),
        published=dt.date(2024, 1, day + 1),
    )


def story() -> list[Event]:
    """Iran strikes militants in Pakistan (16th, two outlets), Pakistan strikes back in Iran (18th), talks and an
    agreement (19th); plus an unrelated Russia–Ukraine strike."""
    return [
        mk("art-1", "ASSAULT", [("IRN", "MIL")], [("IRN", "REB")], 16, place=("PAK", "Balochistan"), killed=2,
           text="Iranian missiles hit Jaish al-Adl bases in Balochistan, killing two children"),
        mk("art-2", "ASSAULT", [("IRN", "MIL")], [("IRN", "REB")], 16, place=("PAK", "Balochistan"), killed=3,
           text="Iran's missile and drone strike on militant bases in Balochistan killed three"),
        mk("art-3", "ASSAULT", [("PAK", "MIL")], [("PAK", "REB")], 18, place=("IRN", "Sistan and Baluchestan"),
           killed=9, text="Pakistan hit back with strikes on militant hideouts in Sistan and Baluchestan"),
        mk("art-4", "CONSULT", [("PAK", "GOV")], [("IRN", "GOV")], 19,
           text="Pakistan's foreign minister spoke with his Iranian counterpart"),
        mk("art-4", "AGREE", [("PAK", "GOV"), ("IRN", "GOV")], [], 19, start=100,
           text="Pakistan and Iran expressed a willingness to collaborate on security"),
        mk("art-5", "ASSAULT", [("RUS", "MIL")], [("UKR", None)], 16, place=("UKR", "Kharkiv"),
           text="Russian missiles struck Kharkiv"),
    ]
