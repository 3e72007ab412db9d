"""Persian normalisation that remembers where every character came from.

Stages match patterns on the normalised text and report spans in the ORIGINAL
text, so the normaliser keeps a piecewise-linear map from normalised to
original offsets. The invariant, property-tested: for every normalised span
``(s, e)``, ``to_original(s, e)`` is the span of ``original`` it came from.

What it does (why: every later regex and lexicon sees one spelling):
- Arabic letters with Persian twins (ي ى ك ة ۀ أ إ ٱ) become the Persian letter;
- Persian and Arabic-Indic digits become ASCII digits, ٫ becomes ``.``,
  ٬ becomes ``,`` (number parsing then sees one script, also inside ``۸0``);
- tatweel, diacritics, bidi marks, BOM, soft hyphen, ZWJ and zero-width space
  are dropped; every kind of space becomes ``" "``; CR LF becomes LF;
- ZWNJ is kept where it separates two letters and dropped where it is noise
  (doubled, next to a space or punctuation); matching then treats ZWNJ, space
  and nothing alike (see `kg.text.lexmatch`), so ``بین‌المللی``,
  ``بین المللی`` and ``بینالمللی`` meet the same lexicon entry;
- Arabic presentation forms are decomposed with NFKC (one char may become two).

We do not use hazm's normaliser here: it rewrites text in ways that move
offsets (it inserts ZWNJ, for one, also before ``ها`` after non-joining
letters) and it pulls numpy 1.24, gensim and scikit-learn into the base
install; the rules it has that we need are the few table rows below.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

ZWNJ = "\u200c"

# One-to-one substitutions (same length, so offsets do not move).
_SUBST = {
    "\u064a": "ی",  # Arabic yeh
    "\u0649": "ی",  # alef maksura
    "\u06d2": "ی",  # yeh barree
    "\u0643": "ک",  # Arabic kaf
    "\u0629": "ه",  # teh marbuta
    "\u06c0": "ه",  # heh with yeh above (ۀ)
    "\u06c1": "ه",  # heh goal
    "\u0623": "ا",  # alef with hamza above (تأکید ~ تاکید)
    "\u0625": "ا",  # alef with hamza below
    "\u0671": "ا",  # alef wasla
    "\u0672": "ا",
    "\u0673": "ا",
    "\u066b": ".",  # Arabic decimal separator
    "\u066c": ",",  # Arabic thousands separator
    "\u00ab": "«",
    "\u00bb": "»",
    "\u201c": "\"",
    "\u201d": "\"",
    "\u00ac": ZWNJ,  # NOT SIGN, typed for ZWNJ by some old keyboards
    "\t": " ",
    "\u000b": " ",
    "\u000c": " ",
    "\u00a0": " ",
    "\u1680": " ",
    "\u202f": " ",
    "\u205f": " ",
    "\u3000": " ",
    "\u2028": "\n",
    "\u2029": "\n",
    "\u0085": "\n",
}
for _i in range(10):
    _SUBST[chr(0x06F0 + _i)] = str(_i)  # Persian digits
    _SUBST[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic digits
for _cp in range(0x2000, 0x200B):
    _SUBST[chr(_cp)] = " "  # en/em/thin/hair spaces
# str.translate would look up every character (~0.1 µs each on Persian text); a regex
# finds the few that change (a dozen per article, mostly digits) in a fraction of that.
_SUBST_RE = re.compile("[" + "".join(map(re.escape, _SUBST)) + "]")


def _substitute(text: str) -> str:
    """`_SUBST` applied to ``text`` (same length)."""
    return _SUBST_RE.sub(lambda m: _SUBST[m.group()], text)


# Characters dropped outright.
_DROP = (
    "\u0640"  # tatweel
    "\u064b-\u065f\u0670\u06d6-\u06ed"  # harakat, superscript alef, Quranic marks
    "\u200b\u200d\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad"
    "\u0000-\u0008\u000e-\u001f\u007f"  # C0 controls other than \t \n \v \f \r
)
# ZWNJ is noise when doubled or next to a space, line break, punctuation or text edge.
# Its neighbours are judged without the characters dropped anyway (tatweel is a "letter"
# to Unicode), so that normalising twice changes nothing.
_NOISE = re.compile(
    f"[{_DROP}]+"
    f"|\r+(?=[{_DROP}{ZWNJ}\r]*\n)"  # a CR before a line break, even with noise between them
    f"|(?<![^\\W\\d_{_DROP}]){ZWNJ}+|{ZWNJ}+(?![^\\W\\d_{_DROP}]|{ZWNJ})|(?<={ZWNJ}){ZWNJ}+"
)
_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")


@dataclass(slots=True)
class NormalizedText:
    """Normalised text plus the offset map back to the original."""

    text: str
    original: str
    # Piecewise-linear map: normalised offset _nstart[k] corresponds to original
    # offset _ostart[k], and the run continues one-to-one until the next break.
    _nstart: list[int]
    _ostart: list[int]

    def orig_offset(self, i: int) -> int:
        """Original offset of normalised character ``i`` (``len(text)`` maps to the end)."""
        if i >= len(self.text):
            return len(self.original)
        k = bisect_right(self._nstart, i) - 1
        return self._ostart[k] + (i - self._nstart[k])

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span to the original span it came from."""
        if end <= start:
            o = self.orig_offset(start)
            return o, o
        return self.orig_offset(start), self.orig_offset(end - 1) + 1

    def to_original_many(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """`to_original` for many spans sorted by start: one walk over the map."""
        out: list[tuple[int, int]] = []
        ns, os_ = self._nstart, self._ostart
        k = 0
        last = len(ns) - 1
        n_text = len(self.text)
        for s, e in spans:
            while k < last and ns[k + 1] <= s:
                k += 1
            o_s = len(self.original) if s >= n_text else os_[k] + (s - ns[k])
            if e <= s:
                out.append((o_s, o_s))
                continue
            j = k
            while j < last and ns[j + 1] <= e - 1:
                j += 1
            out.append((o_s, os_[j] + (e - 1 - ns[j]) + 1))
        return out

    def norm_offset(self, o: int) -> int:
        """Normalised offset of the first character at or after original offset ``o``."""
        k = bisect_right(self._ostart, o) - 1
        if k < 0:
            return 0
        # One original character expanded to several (ﻻ -> لا): start at the first.
        while k > 0 and self._ostart[k - 1] == self._ostart[k]:
            k -= 1
        n = self._nstart[k] + (o - self._ostart[k])
        nxt = self._nstart[k + 1] if k + 1 < len(self._nstart) else len(self.text)
        return min(n, nxt)


def normalize(original: str) -> NormalizedText:
    """Normalise Persian text, keeping the offset map to ``original``."""
    text = _substitute(original)  # same length as original
    nstart = [0]
    ostart = [0]
    pieces: list[str] = []
    pos = 0  # position in `text` (== original offset)
    npos = 0  # position in output
    for m in _NOISE.finditer(text):
        if m.start() > pos:
            pieces.append(text[pos : m.start()])
            npos += m.start() - pos
        pos = m.end()
        nstart.append(npos)
        ostart.append(pos)
    pieces.append(text[pos:])
    out = "".join(pieces)
    if _PRESENTATION.search(out):
        out, nstart, ostart = _expand_presentation(out, nstart, ostart)
    return NormalizedText(out, original, nstart, ostart)


def _expand_presentation(
    text: str, nstart: list[int], ostart: list[int]
) -> tuple[str, list[int], list[int]]:
    """Decompose Arabic presentation forms (rare: PDF copy-paste).

    Rare enough that a break point per character is affordable and simplest.
    """
    tmp = NormalizedText(text, "", nstart, ostart)
    out: list[str] = []
    ns: list[int] = []
    os_: list[int] = []
    for i, ch in enumerate(text):
        o = tmp.orig_offset(i)
        rep = ch
        if _PRESENTATION.match(ch):
            rep = re.sub(f"[{_DROP}]", "", _substitute(unicodedata.normalize("NFKC", ch)))
        for c in rep:
            ns.append(len(out))
            os_.append(o)
            out.append(c)
    # A form can expand to a space or a mark (U+FE70 -> " ً"), which turns a ZWNJ
    # beside it into noise: drop it too, or normalising twice would differ.
    expanded = "".join(out)
    drop = {i for m in _NOISE.finditer(expanded) for i in range(m.start(), m.end())}
    if drop:
        kept = [i for i in range(len(expanded)) if i not in drop]
        expanded = "".join(expanded[i] for i in kept)
        os_ = [os_[i] for i in kept]
        ns = list(range(len(kept)))
    return expanded, ns or [0], os_ or [0]


_SPACES = re.compile(r"[ \u200c]*\s+[ \u200c]*")


@lru_cache(maxsize=16384)  # pure; stages clean the same names and phrases in every article
def clean(s: str) -> str:
    """Normalised display form of a short string: one space between words."""
    return _SPACES.sub(" ", normalize(s).text).strip()


@lru_cache(maxsize=16384)  # lexicon matchers fold every match; the same words recur
def fold(s: str) -> str:
    """Identity key of a name: normalised, with spaces, ZWNJ and punctuation removed.

    ``علی اکبر``, ``علی‌اکبر`` and ``علیاکبر`` fold to the same key.
    """
    t = normalize(s).text
    return "".join(ch for ch in t if ch.isalnum())


def _register_stage() -> None:
    from kg.pipeline import stage

    @stage("normalize", provides=("normalize",))
    def normalize_stage(doc, ctx) -> None:
        doc.norm = normalize(doc.text)


_register_stage()
