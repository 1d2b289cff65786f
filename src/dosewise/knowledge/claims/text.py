"""Split an article into paragraphs and sentences, and tell whether it is English.

Rules, not a model: a line break ends a paragraph line; lines that only wrap a sentence (the next line starts
in lower case) are joined; a sentence ends at . ! or ? followed by a space and a capital, digit or quote,
except after common abbreviations; list numbers ("1. ") are dropped. Text typed without capitals (forum posts:
"it helps. my legs calm down") also ends a sentence at ". " before a lower-case word when the sentence so far
has at least MIN_LOWER_WORDS words and ends in a real word (not an abbreviation or a single letter). A line
without end punctuation is marked ``line`` (a heading or a title, if it also says nothing: see check.py).
A text is taken as English when at least ENGLISH_MIN_SHARE of its words are common English function words
(English prose: about 40 %).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS = ("e.g", "i.e", "dr", "mr", "mrs", "prof", "vs", "etc", "fig", "no", "approx", "u.s", "u.k", "st")
ENGLISH_WORDS = frozenset(
    "the and of to a in is it that for with on as are be this by or not can you from have was at an but your "
    "will may has more than which also they their its been do does did if so what when who how there these those "
    "people about into other some such only after before because should could would our we my".split()
)
ENGLISH_MIN_SHARE = 0.12
MIN_WORDS_FOR_LANGUAGE = 12
LANGUAGE_SAMPLE = 600  # words
_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")
_END_LOWER = re.compile(r"(?<=[a-z][.!?])\s+(?=[a-z])")
MIN_LOWER_WORDS = 4
_LIST_NUMBER = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*\u2022\u2023\u25e6])\s+")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class Sentence:
    """One sentence of the article: its number (from 1), paragraph (from 1) and text."""

    number: int
    paragraph: int
    text: str
    line: bool = False  # the whole of a line with no end punctuation (a heading or a title)


def _lines(text: str) -> list[list[str]]:
    """Return paragraphs as lists of lines; wrapped lines (next starts in lower case) are joined."""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = " ".join(raw.split())
        if not line:
            if current:
                paragraphs.append(current)
            current = []
            continue
        if current and line[0].islower() and not re.search(r"[.!?:]$", current[-1]):
            current[-1] = f"{current[-1]} {line}"
        else:
            current.append(line)
    if current:
        paragraphs.append(current)
    return paragraphs


def _split_line(line: str) -> list[str]:
    parts: list[str] = []
    start = 0
    ends = sorted(
        [(m, False) for m in _END.finditer(line)] + [(m, True) for m in _END_LOWER.finditer(line)],
        key=lambda e: e[0].start(),
    )
    for m, lower in ends:
        before = line[start : m.start()].rstrip("\"'\u201d\u2019)")
        word = before.rsplit(" ", 1)[-1].rstrip(".!?")
        if (word.lower() in ABBREVIATIONS and not word.isupper()) or (len(word) == 1 and word.isalpha()):
            continue
        if lower and (len(before.split()) < MIN_LOWER_WORDS or not word.isalpha()):
            continue
        parts.append(line[start : m.start()].strip())
        start = m.end()
    parts.append(line[start:].strip())
    return [p for p in parts if p]


def split_sentences(text: str) -> list[Sentence]:
    """Return the sentences of ``text`` in order, list numbers and bullets removed."""
    out: list[Sentence] = []
    for p_no, lines in enumerate(_lines(text), start=1):
        for line in lines:
            parts = _split_line(_LIST_NUMBER.sub("", line))
            for part in parts:
                part = _LIST_NUMBER.sub("", part).strip()
                if any(ch.isalpha() for ch in part):
                    heading = len(parts) == 1 and not re.search(r"[.!?:;\"'\u201d)]$", part)
                    out.append(Sentence(len(out) + 1, p_no, part, heading))
    return out


def words(text: str) -> list[str]:
    """Return the words (letters only) of ``text``."""
    return _WORD.findall(text)


def is_english(text: str) -> bool:
    """True if ``text`` reads as English (see the module docstring); short texts are judged by their letters.

    Judged on the first LANGUAGE_SAMPLE words, which is enough and keeps a long article fast.
    """
    ws = _WORD.findall(text[: LANGUAGE_SAMPLE * 12])[:LANGUAGE_SAMPLE]
    letters = "".join(ws)
    if letters and len(letters.encode("ascii", "ignore")) / len(letters) < 0.7:
        return False
    if len(ws) < MIN_WORDS_FOR_LANGUAGE:
        return True
    share = sum(map(ENGLISH_WORDS.__contains__, map(str.lower, ws))) / len(ws)
    return share >= ENGLISH_MIN_SHARE
