"""List item markers as the reader keeps them: a bullet glyph is dropped, a number or a letter
that marks an item (``1.``, ``2)``, ``b)``) is part of what is printed and stays."""

from __future__ import annotations

import regex

#: A number or a lower-case letter that marks a list item, at the start of its text.
ITEM_NUMBER = regex.compile(r"^(?:\d{1,2}[.)]|[a-z][)])(?=\s)")


def printed_marker(text: str) -> str | None:
    """The number or letter that marks a list item whose text is `text`, or None.

    >>> printed_marker("b) Val av styrelseledamöter"), printed_marker("Val av revisorer")
    ('b)', None)
    """
    m = ITEM_NUMBER.match(text)
    return m.group() if m else None


def item_prefix(text: str) -> str:
    """What goes before a list item's text where items are read as printed: a bullet, unless
    the item prints its own number or letter.

    >>> item_prefix("2. Skriv under avtalet"), item_prefix("Kaffe och bulle")
    ('', '• ')
    """
    return "" if printed_marker(text) else "• "
