"""The review page: one self-contained HTML file (inline CSS and JavaScript, crops embedded as
PNG data URLs, no network), made from `templates/review.html.j2` with Jinja2."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from .page import REVIEW_BELOW, Item, PageItem


def review_html(
    items: list[Item], below: float = REVIEW_BELOW, pages: list[PageItem] | None = None
) -> str:
    """The page listing `items` in their order, then the `pages` to look at as a whole; the
    same items give the same bytes."""
    environment = Environment(
        loader=PackageLoader("pipeline.review", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
    )
    records = [{k: v for k, v in item.to_json().items() if k != "crop"} for item in items]
    return environment.get_template("review.html.j2").render(
        items=items,
        pages=pages or [],
        records=records,
        below=below,
        documents=sorted({item.path for item in items}),
        stages=sorted({item.stage for item in items}),
    )
