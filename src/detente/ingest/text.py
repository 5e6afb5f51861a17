"""Bytes -> text: decoding with BOM handling, a binary check, newline normalisation, HTML fragments -> text.

>>> decode(b"\\xef\\xbb\\xbfcaf\\xc3\\xa9\\r\\n")
('café\\r\\n', None)
>>> normalise_newlines("a\\r\\nb\\rc")
'a\\nb\\nc'
>>> html_to_text("<p>One &amp; two.</p><p>Three<br>four</p>")
'One & two.\\n\\nThree\\nfour'
"""

from __future__ import annotations

import codecs
import re

__all__ = ["NotText", "decode", "bytes_look_binary", "looks_binary", "normalise_newlines", "html_to_text", "BINARY_SHARE"]

BINARY_SHARE = 0.30  # more than this share of control / replacement characters in a sample -> not text
_SAMPLE = 8192
_NUL = b"\x00"
_ASCII_TEXT = b"\t\n\x0c\r" + bytes(range(0x20, 0x7F))
_NON_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),  # before UTF-16: LE BOMs share a prefix
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_BLOCKS = ("p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr",
           "section", "article", "header", "footer", "figure", "figcaption", "dd", "dt", "hr")


class NotText(ValueError):
    """The bytes are not text in any encoding we accept; ``str(exc)`` says why in plain words."""


def bom_encoding(data: bytes) -> str | None:
    """The encoding named by a byte-order mark at the start of ``data``, if any."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def looks_binary(text: str) -> bool:
    """True when more than ``BINARY_SHARE`` of the first 8 KiB are control or replacement characters.

    >>> looks_binary("plain words"), looks_binary("\\x00\\x01\\x02ab")
    (False, True)
    """
    sample = text[:_SAMPLE]
    if not sample:
        return False
    if sample.isascii():  # the common case, ~10x faster than the regex: delete text bytes, count what is left
        bad = len(sample.encode("ascii").translate(None, _ASCII_TEXT))
    else:
        bad = len(_NON_TEXT.findall(sample))
    return bad > BINARY_SHARE * len(sample)


def bytes_look_binary(data: bytes) -> str | None:
    """Why ``data`` is not text (NUL bytes, mostly control characters), or ``None`` when it may be text.

    For formats that decode themselves (feeds): no charset guessing, only the cheap checks.

    >>> bytes_look_binary(b"<rss/>") is None, bytes_look_binary(b"\\x89PNG\\x00\\x00")
    (True, 'NUL bytes: a binary file')
    """
    if bom_encoding(data):
        return None
    if _NUL in data:
        return "NUL bytes: a binary file"
    if looks_binary(data[:_SAMPLE].decode("utf-8", "replace")):
        return f"more than {BINARY_SHARE:.0%} control characters"
    return None


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str | None]:
    """Decode file bytes; return ``(text, fallback_encoding)``, the second ``None`` when UTF-8 (or ``encoding``).

    A BOM wins; then ``encoding`` if given; then strict UTF-8; then ``charset_normalizer``'s best guess.
    NUL bytes (outside UTF-16/32) and mostly-control-character results raise :class:`NotText`.
    """
    bom = bom_encoding(data)
    fallback: str | None = None
    if bom:
        try:
            text = data.decode(bom)
        except UnicodeDecodeError as exc:
            raise NotText(f"invalid {bom} after its byte-order mark at byte {exc.start}") from None
        text = text.lstrip("\ufeff")
    elif _NUL in data:
        raise NotText(f"NUL bytes (the first at byte {data.index(_NUL)}): a binary file")
    elif encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise NotText(f"not valid {encoding} at byte {exc.start}") from None
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            text, fallback = _detect(data, exc)
    if looks_binary(text):
        raise NotText(f"more than {BINARY_SHARE:.0%} control characters")
    return text, fallback


def _best_match(data: bytes):
    """charset_normalizer's best guess, except that cp1252 (the commonest non-UTF-8 news charset) wins ties."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    for match in matches[1:]:
        if (match.encoding == "cp1252" and match.chaos <= best.chaos and match.coherence >= best.coherence):
            return match
    return best


def _detect(data: bytes, exc: UnicodeDecodeError) -> tuple[str, str]:
    best = _best_match(data)
    if best is None or best.encoding in ("utf_8", "utf-8"):
        raise NotText(f"not UTF-8 at byte {exc.start}, and no other charset fits")
    return str(best), best.encoding


def detect_encoding(head: bytes) -> str | None:
    """For streamed formats: ``None`` when ``head`` (the first bytes of a file) is UTF-8, else a charset guess.

    A multi-byte character cut at the end of ``head`` still counts as UTF-8.
    """
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return None
    except UnicodeDecodeError:
        best = _best_match(head)
        return best.encoding if best is not None else None


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``; nothing else changes."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def html_to_text(markup: str) -> str:
    """Text of an HTML fragment (a feed entry's content): block elements become paragraphs, ``<br>`` a newline,
    runs of spaces one space; scripts and styles are dropped. Plain text without tags comes back unchanged."""
    if "<" not in markup:
        return markup.strip()
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return ""
    for bad in list(root.iter("script", "style", "noscript")):
        bad.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.iter(*_BLOCKS):
        block.tail = "\n\n" + (block.tail or "")
        if block.text is not None or len(block):
            block.text = "\n\n" + (block.text or "")
    lines = (_SPACES.sub(" ", line).strip() for line in root.text_content().split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
