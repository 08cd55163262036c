"""Characters → text, exactly as pdfplumber's `extract_text(chars)` (default settings).

Every cell and every line of running text is assembled this way: thousands of calls per
document, and pdfplumber's general word extractor (directions, layout, extra attributes,
a generator per stage) was a fifth of the reader's time. This is the same algorithm for
the case a plan's pages hold, upright characters, written flat:

1. lines: the characters clustered by `top` within Y_TOLERANCE (pdfplumber's
   `cluster_objects`: sorted clusters, order kept inside each), each sorted by `x0`;
2. words: a line cut at whitespace characters (dropped) and wherever a character
   starts left of the previous one or more than X_TOLERANCE right of its end, or its
   `top` moves more than Y_TOLERANCE; ligatures expanded as pdfplumber does;
3. the words clustered again by their `top` (the smallest of their characters') within
   Y_TOLERANCE, joined by a space, the lines by "\\n".

Anything else (a rotated character, a character with empty text, which pdfplumber
splits off as a word of its own) goes to pdfplumber itself. tests/test_chars_text.py
holds the two equal on every cell and line of every PDF the tests read.
"""

from __future__ import annotations

from operator import itemgetter

from pdfplumber.utils import cluster_objects, extract_text
from pdfplumber.utils.text import DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE, LIGATURES

from extract.pdf_backend import Char

X_TOLERANCE = DEFAULT_X_TOLERANCE
Y_TOLERANCE = DEFAULT_Y_TOLERANCE
_TOP = itemgetter("top")
_X0 = itemgetter("x0")


def chars_text(chars: list[Char]) -> str:
    if not chars:
        return ""
    if not all(c["upright"] and c["text"] for c in chars):
        return extract_text(chars)
    words: list[tuple[float, str]] = []  # (top, text)
    for line in cluster_objects(chars, _TOP, Y_TOLERANCE):
        word: list[Char] = []
        for ch in sorted(line, key=_X0):
            if ch["text"].isspace():
                _flush(word, words)
                word = []
                continue
            if word:
                prev = word[-1]
                if ch["x0"] < prev["x0"] or ch["x0"] > prev["x1"] + X_TOLERANCE \
                        or abs(ch["top"] - prev["top"]) > Y_TOLERANCE:
                    _flush(word, words)
                    word = []
            word.append(ch)
        _flush(word, words)
    lines = cluster_objects(words, itemgetter(0), Y_TOLERANCE)
    return "\n".join(" ".join(text for _, text in line) for line in lines)


def _flush(word: list[Char], out: list[tuple[float, str]]) -> None:
    if word:
        out.append((min(c["top"] for c in word),
                    "".join(LIGATURES.get(c["text"], c["text"]) for c in word)))
