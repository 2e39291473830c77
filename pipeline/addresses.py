"""What counts as a URL, an e-mail address and a domain ending: the one definition that the glyph
fixes, triage, the segmenter and the repair's protection share.

A URL starts with a scheme (``https://``) or ``www.``, or is a bare domain with a known ending and
a path (``bibliotek.ekeby.se/kalender``; a bare ``falun.se`` is a URL only to the repair's
protection, which also keeps ``falun.se`` and e-mail addresses as printed). A URL printed over two
or three lines continues on the next line where the line ends inside it (after ``/``, ``-``,
``_``, ``=``, ``&``, ``?`` or ``#``) and the next line starts with what can only be more of it.

>>> [m.group() for m in URL.finditer("Se www.ekeby.se/barn, ekeby.io/for-barn och falun.se.")]
['www.ekeby.se/barn,', 'ekeby.io/for-barn']
>>> [m.group() for m in EMAIL.finditer("Skriv till info@brfimatra.se.")]
['info@brfimatra.se']
>>> text = "Läs på https://www.fou.sormland.se/\\nlansgemensamt-regionalt-stod/ nu"
>>> [text[a:b] for a, b in address_spans(text)]
['https://www.fou.sormland.se/\\nlansgemensamt-regionalt-stod/']
"""

from __future__ import annotations

import regex

#: The endings of the domain names that count as such where no scheme or ``www.`` says so (bare
#: domains and e-mail addresses). Swedish words that follow a full stop without a space in
#: damaged text (``de``, ``is``) are left out.
DOMAIN_ENDINGS: tuple[str, ...] = (
    "se", "nu", "com", "org", "net", "eu", "fi", "no", "dk", "ax", "info", "io", "app", "dev",
    "biz", "edu", "gov", "int",
)
#: The endings as a regex alternation (longest first, so ``info`` is not read as ``in``).
ENDINGS = "|".join(sorted(DOMAIN_ENDINGS, key=lambda e: (-len(e), e)))

#: A URL as printed: a scheme or ``www.``, or a bare domain with a path ("falun.se" alone is a
#: domain, not a link). Trailing punctuation is part of the match; `strip_tail` takes it off.
URL = regex.compile(
    r"\b(?:https?://|www\.)[^\s<>\"“”]+"
    rf"|(?<![@\w.])(?:[a-z0-9-]+\.)+(?:{ENDINGS})/[^\s<>\"“”]*",
    regex.IGNORECASE,
)
#: A line that is nothing but a URL with a scheme or ``www.``.
URL_ONLY = regex.compile(r"^\s*(?:https?://|www\.)\S+\s*$", regex.IGNORECASE)
#: Punctuation after a URL that belongs to the sentence, not to the URL.
URL_TAIL = regex.compile(r"[.,;:!?)\]”\"']+$")
#: An e-mail address with a known domain ending.
EMAIL = regex.compile(
    r"(?<![\w.@+-])[\w.+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,4}"
    rf"\.(?:{ENDINGS})(?![\w@-])",
    regex.IGNORECASE,
)

# What the repair keeps as printed: URLs, e-mail addresses (any ending) and bare domains. The runs
# before an @ or a domain ending are bounded (no address has 256 characters there): unbounded, a
# long run without spaces (a dotted leader, noise) made the search quadratic in its length.
_PROTECTED = regex.compile(
    r"(?i)\b(?:https?://|www\.)\S+|\S{1,256}@\S{1,256}\.\w+"
    rf"|\b[\w.-]{{1,256}}\.(?:{ENDINGS})\b\S*"
)
_MAYBE_PROTECTED = regex.compile(rf"(?i)@|://|www\.|\.(?:{ENDINGS})\b")
#: A dot and a domain ending (`_hits` looks for them, in any case).
_DOT_ENDINGS = tuple("." + ending for ending in DOMAIN_ENDINGS)
#: A token that is an address: an @, a scheme or www. first, or a domain ending last.
_ADDRESS_TOKEN = regex.compile(
    rf"@|^(?:https?:|www\.)|\.(?:{ENDINGS})$", regex.IGNORECASE
)
#: Where a line may end inside a URL (the URL goes on at the start of the next line).
_OPEN_ENDS = ("/", "-", "_", "=", "&", "?", "#")
#: What the first word of the next line must be to continue a URL: URL characters only.
_CONTINUATION = regex.compile(r"[\w\-./?=&#%~+]+")
#: Characters that only a URL's path has, not a word (the continuation of a URL that ends in "/"
#: must show one, or be all of its line).
_PATH_SIGN = regex.compile(r"[\d\-./?=&#%~+_]")


def is_address(token: str) -> bool:
    """A whitespace-free token that is (or holds) an e-mail address or a URL.

    >>> is_address("info@brfimatra.se"), is_address("www.hsb.se"), is_address("ekeby.io")
    (True, True, True)
    >>> is_address("t.ex."), is_address("vägen.De")
    (False, False)
    """
    return bool(_ADDRESS_TOKEN.search(token))


def strip_tail(url: str) -> str:
    """A printed URL without the sentence's punctuation after it."""
    return URL_TAIL.sub("", url)


def url_key(url: str) -> str:
    """What makes two printings of a URL the same: no scheme, case, trailing `/` or punctuation.

    >>> url_key("https://www.Falun.se/barn/.") == url_key("www.falun.se/barn")
    True
    """
    key = strip_tail(url.strip()).rstrip("/").lower()
    return regex.sub(r"^(?:https?://|mailto:)", "", key)


def breaks_off(text: str) -> bool:
    """Whether `text` ends in a URL that may go on at the start of the next line (it ends after
    ``/``, ``-``, ``_``, ``=``, ``&``, ``?`` or ``#``).

    >>> breaks_off("Se https://www.fou.sormland.se/"), breaks_off("Se www.hsb.se")
    (True, False)
    """
    last = text.rstrip().rsplit(None, 1)[-1] if text.strip() else ""
    if not last.endswith(_OPEN_ENDS):
        return False
    url = URL.search(last)
    return url is not None and url.end() == len(last)


def continues_url(before: str, after: str) -> bool:
    """Whether the line `after` goes on with a URL that ends the text `before` (a line end inside
    a URL: the two are joined without a space).

    >>> continues_url("Läs på https://www.fou.sormland.se/", "lansgemensamt-regionalt-stod/ nu")
    True
    >>> continues_url("Läs på https://www.ekeby.se/", "och sedan kom vi hem")
    False
    >>> continues_url("Läs på www.ekeby.se/kultur-", "och-fritid/program")
    True
    """
    last = before.rstrip().rsplit(None, 1)[-1] if before.strip() else ""
    head = after.lstrip().split(None, 1)[0] if after.strip() else ""
    if not head or not breaks_off(last):
        return False
    if not (head[0].islower() or head[0].isdigit()):
        return False
    if not _CONTINUATION.fullmatch(strip_tail(head) or head):
        return False
    # after "/" a plain word may start a new sentence ("www.ekeby.se/ och"): it continues the URL
    # only with a sign of a path, or as all of its line
    return last.endswith(("-", "_", "=", "&", "?", "#")) or bool(
        _PATH_SIGN.search(strip_tail(head))
    ) or head == after.strip()


def address_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the URLs, e-mail addresses and domains in `text`, which are never repaired; a URL
    that goes on over a line end (`continues_url`) is one span with its continuation.

    The full pattern is tried only on the words (runs without white space) where the quick
    screen (`_MAYBE_PROTECTED`: an @, ``://``, ``www.``, a domain ending) finds something: run
    over a whole page it cost as much as the rest of the repair (no address spans white space,
    so the spans are the same).
    """
    global _last
    last = _last  # one read: another thread may replace it
    if text is last[0]:  # the same page again (a stage's search, then its edits' filter)
        return list(last[1])
    spans = _spans(text)
    _last = (text, tuple(spans))  # (held here, so no other string takes its identity)
    return spans


#: The last text `address_spans` was asked about, and its answer.
_last: tuple[str | None, tuple[tuple[int, int], ...]] = (None, ())


def _spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    done = 0  # the end of the last word tried
    for hit in _hits(text):
        if hit < done:
            continue
        start, end = _word_around(text, hit)
        done = end
        for m in _PROTECTED.finditer(text, start, end, concurrent=False):
            if spans and m.start() < spans[-1][1]:
                continue  # inside a continuation already taken
            spans.append((m.start(), _continued(text, m.start(), m.end())))
            done = max(done, spans[-1][1])
    return spans


def _hits(text: str) -> list[int]:
    """Where `_MAYBE_PROTECTED` finds something, and now and then elsewhere: every @, every
    ``://``, and every dot that starts a domain ending or ends ``www`` (any case). Searches for
    single characters: a regex search for the screen, or the page put in lower case, cost more
    than the rest of the address search."""
    if "\u017f" in text or "\u212a" in text:  # ſ and the Kelvin sign: s and k in any case
        return [m.start() for m in _MAYBE_PROTECTED.finditer(text, concurrent=False)]
    hits: list[int] = []
    for mark in ("@", ":"):
        at = text.find(mark)
        while at >= 0:
            if mark == "@" or text.startswith("://", at):
                hits.append(at)
            at = text.find(mark, at + 1)
    at = text.find(".")
    while at >= 0:
        if text[at : at + 6].lower().startswith(_DOT_ENDINGS) or (
            text[max(at - 3, 0) : at].lower() == "www"
        ):
            hits.append(at)
        at = text.find(".", at + 1)
    return sorted(hits)


def _word_around(text: str, at: int) -> tuple[int, int]:
    """The run of non-white-space characters around text[at]."""
    start = at
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = at
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def _continued(text: str, start: int, end: int) -> int:
    """The end of the URL at text[start:end], followed over line ends (at most two)."""
    for _ in range(2):
        if not text.startswith("\n", end):
            return end
        line_end = text.find("\n", end + 1)
        nxt = text[end + 1 : line_end if line_end >= 0 else len(text)]
        if not continues_url(text[start:end], nxt):
            return end
        head = nxt.lstrip()
        end = end + 1 + (len(nxt) - len(head)) + len(head.split(None, 1)[0])
    return end
