"""Dyad charts: a PNG (matplotlib, Agg) and a self-contained HTML page with an inline SVG (no scripts, no CDN).

Both show cooperation counts as bars above the axis, conflict counts below it, and the net intensity as a line.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from ..errors import DetenteError


def _prefix(path: str | Path) -> Path:
    p = Path(path)
    return p.with_suffix("") if p.suffix.lower() in (".png", ".html", ".svg") else p


def dyad_chart(df: pd.DataFrame, path: str | Path, *, title: str = "") -> tuple[Path, Path]:
    """Write ``<path>.png`` and ``<path>.html`` for a series from :func:`detente.analyze.dyad_series`.

    A ``.png``/``.html`` suffix on ``path`` is dropped. Returns the two paths written.
    """
    prefix = _prefix(path)
    png, page = prefix.with_suffix(".png"), prefix.with_suffix(".html")
    try:
        prefix.parent.mkdir(parents=True, exist_ok=True)
        _png(df, png, title)
        page.write_text(_html(df, title), encoding="utf-8")
    except OSError as exc:
        raise DetenteError("E707", path=str(prefix), detail=exc.strerror or str(exc)) from exc
    return png, page


def _png(df: pd.DataFrame, path: Path, title: str) -> None:
    import matplotlib  # noqa: PLC0415 - heavy import kept off the import path of the package

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt  # noqa: PLC0415

    fig, ax = plt.subplots(figsize=(9, 4), dpi=100)
    try:
        x = df.index
        width = 0.8 if len(df) < 2 else 0.8 * (x[1] - x[0]).days
        ax.bar(x, df["coop"], width=width, color="#2b8cbe", label="cooperation (events)")
        ax.bar(x, -df["conflict"], width=width, color="#d7301f", label="conflict (events)")
        ax.axhline(0, color="#444", linewidth=0.8)
        ax.set_ylabel("events (conflict below 0)")
        ax2 = ax.twinx()
        ax2.plot(x, df["intensity"], color="#222", marker="o", markersize=3, linewidth=1.2, label="net intensity")
        ax2.set_ylabel("net PLOVER intensity")
        lines = ax.get_legend_handles_labels()
        lines2 = ax2.get_legend_handles_labels()
        ax.legend(lines[0] + lines2[0], lines[1] + lines2[1], loc="upper left", fontsize=8)
        ax.set_title(title or "dyad series")
        fig.autofmt_xdate()
        fig.tight_layout()
        fig.savefig(path)
    finally:
        plt.close(fig)


def _html(df: pd.DataFrame, title: str) -> str:
    w, h, pad = 900, 360, 50
    n = max(len(df), 1)
    counts = list(df["coop"]) + list(df["conflict"]) + [1]
    cmax = max(float(c) for c in counts)
    imax = max([abs(float(v)) for v in df["intensity"]] + [1.0])
    mid = h / 2
    step = (w - 2 * pad) / n
    bar = max(step * 0.8, 1.0)
    scale = (h / 2 - pad) / cmax
    iscale = (h / 2 - pad) / imax
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
        'role="img" font-family="sans-serif" font-size="11">',
        f'<line x1="{pad}" y1="{mid}" x2="{w - pad}" y2="{mid}" stroke="#444"/>',
    ]
    points = []
    for i, (ts, row) in enumerate(df.iterrows()):
        x = pad + i * step
        day = ts.date().isoformat()
        tip = html.escape(f"{day}: {int(row['coop'])} coop, {int(row['conflict'])} conflict, "
                          f"intensity {row['intensity']:g}, killed {int(row['killed'])}")
        if row["coop"]:
            hc = row["coop"] * scale
            parts.append(f'<rect x="{x:.1f}" y="{mid - hc:.1f}" width="{bar:.1f}" height="{hc:.1f}" fill="#2b8cbe">'
                         f"<title>{tip}</title></rect>")
        if row["conflict"]:
            hc = row["conflict"] * scale
            parts.append(f'<rect x="{x:.1f}" y="{mid:.1f}" width="{bar:.1f}" height="{hc:.1f}" fill="#d7301f">'
                         f"<title>{tip}</title></rect>")
        points.append(f"{x + bar / 2:.1f},{mid - row['intensity'] * iscale:.1f}")
        if i == 0 or i == n - 1 or n <= 12 or i % max(n // 8, 1) == 0:
            parts.append(f'<text x="{x:.1f}" y="{h - 8}" fill="#333">{day}</text>')
    if points:
        parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="#222" stroke-width="1.5"/>')
    parts.append(f'<text x="{pad}" y="16" fill="#2b8cbe">▲ cooperation (max {cmax:g})</text>')
    parts.append(f'<text x="{pad + 200}" y="16" fill="#d7301f">▼ conflict</text>')
    parts.append(f'<text x="{pad + 300}" y="16" fill="#222">— net intensity (±{imax:g})</text>')
    parts.append("</svg>")
    table = df.reset_index().to_html(index=False, float_format=lambda v: f"{v:.3g}", border=0, na_rep="")
    t = html.escape(title or "dyad series")
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{t}</title><style>body{{font-family:sans-serif;margin:2em}}"
        "table{border-collapse:collapse;font-size:12px}td,th{padding:2px 8px;text-align:right}"
        "tr:nth-child(even){background:#f3f3f3}</style></head><body>"
        f"<h1>{t}</h1>{''.join(parts)}<h2>Series</h2>{table}</body></html>\n"
    )
