"""Title and organisation phrases: `سرپرست معاونت سیاسی و امنیتی استانداری قم`.

A post phrase is a title (from titles.tsv) followed by a chain of organisation
segments, innermost first, each starting with an organisation head word
(org_heads.tsv) or a title that implies one (`استاندار` -> `استانداری`), and
possibly ending with a jurisdiction (`استان قم`, `شیراز`):

    سرپرست | معاونت سیاسی و امنیتی | استانداری قم
    role     unit (segment 1)        agency (segment 2, jurisdiction قم)

    معاون سیاسی امنیتی | استاندار مازندران
    role (implies unit معاونت سیاسی امنیتی) | agency استانداری مازندران

    مدیر کل | امور اتباع و مهاجرین خارجی استان قم
    role (implies اداره کل) -> agency اداره کل امور اتباع و مهاجرین خارجی استان قم

Later segments are parents of earlier ones (Persian ezafe order). Parsing runs
on normalised text over word tokens; spans are normalised offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from kg.entities.gazetteer import GazEntry, Gazetteer, OrgHead, TitleEntry, starts_verb
from kg.text.normalize import fold

_WORD = re.compile(r"\d+(?:[.,/]\d+)*|[^\W\d_]+(?:\u200c[^\W\d_]+)*|[^\s\w\u200c]")
MAX_NAME_WORDS = 6
# Heads of bodies that are themselves province-level, so "استانداری فارس",
# not "استانداری استان فارس".


_MARTYR = fold("شهید")
# a governorate's head word already says what its place is
_OWN_WORD = {"county_governorate": (fold("شهرستان"),), "district_governorate": (fold("بخش"),)}


@dataclass(slots=True)
class Tok:
    start: int
    end: int
    text: str
    key: str  # folded


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Tok]:
    """Word tokens of ``text[start:end]``."""
    return [Tok(m.start(), m.end(), m.group(), fold(m.group()) or m.group())
            for m in _WORD.finditer(text, start, len(text) if end is None else end)]


@lru_cache(maxsize=4)  # NER and resolution both tokenise each article body; a few recent ones suffice
def body_tokens(text: str, start: int) -> list[Tok]:
    """``tokenize(text, start)``, shared between callers: they must not modify the list or its tokens."""
    return tokenize(text, start)


@dataclass(slots=True)
class OrgSegment:
    head: str  # normalised head phrase, e.g. "اداره کل"
    kind: str
    words: list[str] = field(default_factory=list)
    jurisdiction: str | None = None  # place name, e.g. "قم"
    jurisdiction_word: str | None = None  # "استان", "شهرستان", ... as written
    bare_province: bool = False  # "… استان" with no name: the province the article is about
    province_word: bool = False  # its provincial branches are named "… استان X" (org_heads.tsv)
    place: GazEntry | None = None
    gaz: GazEntry | None = None  # when the whole segment is a gazetteer organisation
    surface: str | None = None  # the gazetteer name as written ("فراجا")
    start: int = 0
    end: int = 0
    implied: bool = False  # head came from a title, not from the text
    in_title: bool = False  # ... and the title spells it out ("رئیس سازمان", not "مدیرکل")

    @property
    def name(self) -> str:
        if self.gaz is not None and not self.words and not self.jurisdiction:
            return self.gaz.fa
        head = self.head
        if head and self.words and head.endswith(("ا", "و")):
            head += "ی"  # ezafe: "دادسرا" + "عمومی" -> "دادسرای عمومی"
        parts = [head, *self.words] if head else list(self.words)
        if self.bare_province and not self.jurisdiction:
            parts.append(self.jurisdiction_word or "استان")
        if self.jurisdiction:
            word = self.jurisdiction_word
            if word and fold(word) in _OWN_WORD.get(self.kind, ()):
                word = None  # "فرمانداری شهرستان دهلران" is "فرمانداری دهلران": one name for one body
            if word is None and self.place is not None and self.place.kind == "province" and self.province_word:
                word = "استان"
            parts += [word, self.jurisdiction] if word else [self.jurisdiction]
        return " ".join(p for p in parts if p)


@dataclass(slots=True)
class PostPhrase:
    start: int
    end: int
    role: str  # e.g. "سرپرست", "مدیر کل", "معاون"
    role_en: str
    title: TitleEntry
    segments: list[OrgSegment]  # innermost first; the last is the agency
    place: GazEntry | None = None  # jurisdiction of a title with no organisation (امام جمعه شیراز)
    place_text: str | None = None


class PhraseParser:
    """Parses post and organisation phrases with the gazetteer's word lists."""

    def __init__(self, gaz: Gazetteer):
        self.gaz = gaz

    # -- word classes -------------------------------------------------------
    def is_name_word(self, text: str, tok: Tok) -> bool:
        """Can this token be part of an organisation's name?"""
        if not tok.text[0].isalpha():
            return False
        if tok.key in self.gaz.function_words or tok.key in self.gaz.not_name_words:
            return False
        if self.gaz.speech_verbs.match_at(text, tok.start):
            return False
        if self.gaz.honorifics.match_at(text, tok.start):
            return False
        return True

    def place_at(self, text: str, tok: Tok) -> tuple[GazEntry, int] | None:
        m = self.gaz.places.match_at(text, tok.start)
        if m:
            return m.payloads[0], m.end
        return None

    # -- segments -----------------------------------------------------------
    def _head_at(self, text: str, pos: int) -> tuple[str, OrgHead | None, TitleEntry | None, int] | None:
        """An organisation head word, or a title implying one, at ``pos``."""
        m = self.gaz.org_heads.match_at(text, pos)
        t = self.gaz.titles.match_at(text, pos)
        if t and t.payloads[0].org_head and (not m or t.end > m.end):
            title = t.payloads[0]
            return self.implied_head(title), self.gaz.org_head_by_name.get(fold(title.org_head)), title, t.end
        if m:
            return m.payloads[0].fa, m.payloads[0], None, m.end
        return None

    def implied_head(self, title: TitleEntry) -> str:
        """`معاون سیاسی امنیتی` -> `معاونت سیاسی امنیتی`; `مدیر کل` -> `اداره کل`."""
        words = title.fa.split()
        if len(words) > 1:
            base = self.gaz.titles.lookup(words[0])
            if base and fold(base[0].org_head) == fold(title.org_head):
                return " ".join([title.org_head, *words[1:]])
        return title.org_head

    def parse_chain(self, text: str, toks: list[Tok], i: int, first: OrgSegment | None = None) -> tuple[list[OrgSegment], int]:
        """Organisation segments starting at token ``i``; returns them and the next token index."""
        segs: list[OrgSegment] = []
        cur = first
        named: OrgSegment | None = None
        n = len(toks)

        def close():
            nonlocal cur
            if cur is not None:
                segs.append(cur)
            cur = None

        while i < n:
            tok = toks[i]
            # a national body from the gazetteer
            g = self.gaz.organizations.match_at(text, tok.start)
            head = self._head_at(text, tok.start)
            alias = g is not None and fold(g.text) != fold(g.payloads[0].fa)
            if g and (not head or g.end >= head[3]) and cur is not None and not cur.jurisdiction \
                    and len(g.text.split()) <= 4 and (not cur.words or alias):
                # "مدیرکل بهزیستی" = "اداره کل بهزیستی"; "سازمان جهاد کشاورزی استان …"
                words = g.text.strip()
                # "مدیرعامل" + "شرکت آب و فاضلاب", "مدیرکل" + "بنیاد مسکن": the text names the body itself
                if cur.implied and (fold(words).startswith(fold(cur.head)) or self.gaz.org_heads.match_at(text, tok.start)):
                    cur.head = ""
                cur.words.append(words)
                cur.end = g.end
                if g.payloads[0].kind == "ministry":
                    named = cur  # a ministry's whole name: only a jurisdiction or a parent may follow
                i = _index_after(toks, i, g.end)
                continue
            if g and (not head or g.end >= head[3]):
                close()
                entry = g.payloads[0]
                cur = OrgSegment(entry.fa, entry.kind, gaz=entry, start=tok.start, end=g.end, surface=g.text.strip())
                i = _index_after(toks, i, g.end)
                # "سازمان بهزیستی" + "استان فارس": the gazetteer name is only the head
                if i < n and toks[i].key in self.gaz.place_words:
                    cur.gaz = None
                    cur.head, cur.words = g.text.strip(), []
                    continue
                close()
                break
            if cur is not None and tok.key == "مرکز" and i + 1 < n and toks[i + 1].key == "استان":
                cur.words.append(tok.text)  # "مرکز استان" is the provincial capital, not a body
                i += 1
                continue
            if head and cur is not None and head[1] is not None and head[1].needs_name and i + 1 < n \
                    and toks[i + 1].text[0].isdigit():
                cur.words += [tok.text, toks[i + 1].text]  # "شهرداری منطقه ۴ تهران"
                cur.end = toks[i + 1].end
                i += 2
                continue
            if head and head[2] is None and cur is not None and (not cur.implied or cur.in_title) and not cur.words \
                    and not cur.jurisdiction and cur.gaz is None and fold(cur.head) in self.gaz.org_head_by_name:
                cur.words.append(text[tok.start:head[3]])  # "ستاد مدیریت بحران": a head word inside a name
                cur.end = head[3]
                i = _index_after(toks, i, head[3])
                continue
            if head:
                name, oh, title, end = head
                if cur is not None and cur.implied and not cur.words and not cur.jurisdiction:
                    # "معاون مدیرکل …": the deputy of the DG, no own unit;
                    # "مدیرعامل شرکت آب …": the text names the head the title implied
                    cur = None
                close()
                cur = OrgSegment(name, oh.kind if oh else (title.kind if title else ""), start=tok.start, end=end,
                                 implied=title is not None and fold(name) == fold(title.org_head),
                                 province_word=bool(oh and oh.province_word))
                i = _index_after(toks, i, end)
                continue
            if cur is None:
                break
            # jurisdiction: "استان قم", "شهرستان کاشان", or a bare place name
            if tok.key in self.gaz.place_words and i + 1 < n:
                p = self.place_at(text, toks[i + 1])
                if p or self.gaz.place_words[tok.key] in ("county", "city") and self.is_name_word(text, toks[i + 1]):
                    entry, pend = p if p else (None, toks[i + 1].end)
                    cur.jurisdiction_word = tok.text
                    cur.jurisdiction = text[toks[i + 1].start:pend]
                    cur.place = entry
                    capital = self.gaz.province_capitals.get(entry.id) if entry is not None else None
                    if capital is not None and cur.words and cur.words[-1] == "مرکز":
                        # "دادسرای … مرکز استان خوزستان" is the one in the capital: "دادسرای … اهواز"
                        cur.words.pop()
                        cur.jurisdiction_word, cur.jurisdiction, cur.place = None, capital.fa, capital
                    cur.end = pend
                    i = _index_after(toks, i + 1, pend)
                    close()
                    break
            if tok.key == "استان" and (cur.words or not cur.implied):
                # "ستاد خدمات سفر استان": the article's own province, filled in by resolve
                cur.jurisdiction_word, cur.bare_province, cur.end = tok.text, True, tok.end
                i += 1
                close()
                break
            p = self.place_at(text, tok)
            if p and (cur.words or cur.head):
                cur.jurisdiction = text[tok.start:p[1]]
                cur.place = p[0]
                cur.end = p[1]
                i = _index_after(toks, i, p[1])
                close()
                break
            if tok.text in "،," and (cur.words or cur.head) and self._comma_list_ahead(text, toks, i + 1):
                if cur.words:
                    cur.words[-1] += "،"
                else:
                    cur.head += "،"
                i += 1
                continue
            if tok.key == "و" and (cur.words or not cur.implied) and i + 1 < n and self.is_name_word(text, toks[i + 1]) \
                    and not self.gaz.given_names.match_at(text, toks[i + 1].start) \
                    and not self.gaz.titles.match_at(text, toks[i + 1].start):
                cur.words.append("و")
                i += 1
                continue
            if i + 1 < n and self._verb_follows(toks[i + 1]):
                break  # "… تامین می‌شود": a verb's first part, not a name word
            if tok.key == _MARTYR and i + 1 < n and self.is_name_word(text, toks[i + 1]):
                cur.words.append(tok.text)  # "دانشگاه علوم پزشکی شهید صدوقی یزد": a name given in memory of a martyr
                cur.end = tok.end
                i += 1
                continue
            if cur is named and cur.words[-1] != "و" and not cur.words[-1].endswith("،"):
                break  # "وزیر راه و شهرسازی نوشتم": a word right after the full name is not part of it
            if self.is_name_word(text, tok) and len(cur.words) < MAX_NAME_WORDS \
                    and (not self.gaz.given_names.match_at(text, tok.start) or self._common_word_here(text, toks, i)) \
                    and not self.gaz.titles.match_at(text, tok.start) \
                    and not self.gaz.pronouns.match_at(text, tok.start):
                cur.words.append(tok.text)
                cur.end = tok.end
                i += 1
                continue
            break
        close()
        # a trailing "و" never ends a name
        for s in segs:
            while s.words and s.words[-1] == "و":
                s.words.pop()
        return segs, i

    def _more_places(self, text: str, toks: list[Tok], k: int, mp: bool) -> tuple[int, int | None]:
        """The end of more places after a first one ("تهران، ری، شمیرانات و پردیس"): (the token
        after them, their end), else (k, None). Kept when "در" and a national body follow them,
        or for a member of parliament (``mp``: "نماینده مردم …"), when every one is a known place."""
        j, end, all_places = k, None, True
        while j + 1 < len(toks) and toks[j].key in ("و", "،", ",") and j - k < 12:
            nxt = toks[j + 1]
            p = self.place_at(text, nxt)
            if not p and (not self.is_name_word(text, nxt) or self.gaz.titles.match_at(text, nxt.start)
                          or self.gaz.org_heads.match_at(text, nxt.start)):
                break
            all_places = all_places and p is not None
            end = p[1] if p else nxt.end
            j = _index_after(toks, j + 1, end)
        if end is None:
            return k, None
        if j + 1 < len(toks) and toks[j].key == "در" and self.gaz.organizations.match_at(text, toks[j + 1].start):
            return j, end
        return (j, end) if mp and all_places else (k, None)

    def _common_word_here(self, text: str, toks: list[Tok], i: int) -> bool:
        """A given name inside an organisation's name ("کمیسیون عمران و حمل‌ونقل", "… عمران شورای
        شهر"): no surname follows it, but "و", a comma, a head word or a place."""
        if i + 1 >= len(toks):
            return False
        nxt = toks[i + 1]
        return nxt.key in ("و", "،", ",") or bool(self.gaz.org_heads.match_at(text, nxt.start)) \
            or nxt.key in self.gaz.place_words or self.place_at(text, nxt) is not None

    def _verb_follows(self, tok: Tok) -> bool:
        return starts_verb(tok.key) \
            or self.gaz.function_words.get(tok.key) in ("auxiliary", "verb")

    def _comma_list_ahead(self, text: str, toks: list[Tok], i: int) -> bool:
        """After a comma: name words (and more commas), then "و" and a name word
        ("کار و رفاه", "صنایع، معادن و کشاورزی")."""
        for j in range(i, min(i + 8, len(toks) - 1)):
            tok = toks[j]
            if tok.text in "،,":
                continue
            if not self.is_name_word(text, tok) or self.gaz.places.match_at(text, tok.start):
                return False
            if toks[j + 1].key == "و":
                return j + 2 < len(toks) and self.is_name_word(text, toks[j + 2])
        return False

    # -- posts --------------------------------------------------------------
    def parse_post(self, text: str, toks: list[Tok], i: int) -> tuple[PostPhrase, int] | None:
        """A post phrase starting at token ``i``, or None."""
        t = self.gaz.titles.match_at(text, toks[i].start)
        if not t:
            return None
        title = t.payloads[0]
        j = _index_after(toks, i, t.end)
        first = None
        if title.org_head:
            oh = self.gaz.org_head_by_name.get(fold(title.org_head))
            head = self.implied_head(title)
            # "معاون عمرانی" names its unit ("معاونت عمرانی"); plain "معاون" does not
            first = OrgSegment(head, oh.kind if oh else title.kind, start=toks[i].start, end=t.end,
                               implied=fold(head) == fold(title.org_head), province_word=bool(oh and oh.province_word),
                               in_title=fold(title.org_head) in fold(title.fa))
        segs, k = self.parse_chain(text, toks, j, first)
        end = max([t.end] + [s.end for s in segs])
        post = PostPhrase(toks[i].start, end, title.fa, title.en, title, segs)
        # a title with no organisation: "امام جمعه شیراز", "نماینده مردم اراک در مجلس شورای اسلامی"
        if not segs or (len(segs) == 1 and segs[0].implied and not segs[0].words and not segs[0].jurisdiction):
            if j < len(toks):
                p = self.place_at(text, toks[j])
                if p:
                    post.place, post.place_text = p[0], text[toks[j].start:p[1]]
                    post.end = p[1]
                    k = _index_after(toks, j, p[1])
                    if segs and segs[0].implied:
                        segs[0].jurisdiction, segs[0].place, segs[0].end = post.place_text, p[0], p[1]
                        post.place = None
                    # a constituency of several places: "نماینده مردم یزد و اشکذر در مجلس …"
                    mp = fold(title.fa) == fold("نماینده مردم")
                    if title.kind == "representative":
                        k, more = self._more_places(text, toks, k, mp)
                        if more is not None:
                            post.place_text, post.end = text[toks[j].start:more], more
                    # "... در مجلس شورای اسلامی"
                    if k + 1 < len(toks) and toks[k].key == "در":
                        g = self.gaz.organizations.match_at(text, toks[k + 1].start)
                        if g:
                            e = g.payloads[0]
                            post.segments = [OrgSegment(e.fa, e.kind, gaz=e, start=toks[k + 1].start, end=g.end)]
                            post.end = g.end
                            k = _index_after(toks, k + 1, g.end)
                    elif mp and not post.segments:
                        # "نماینده مردم تکاب": a member of parliament, whether or not "در مجلس" follows
                        e = self.gaz.parliament
                        if e is not None:
                            post.segments = [OrgSegment(e.fa, e.kind, gaz=e, start=post.start, end=post.end,
                                                        implied=True)]
        if not post.segments and post.place is None and title.kind not in ("clergy", "representative"):
            return None
        if segs and all(s.implied and not s.words and not s.jurisdiction for s in segs) and post.place is None:
            return None  # "رئیس" or "معاون" alone is not a post
        return post, k


def _index_after(toks: list[Tok], i: int, end: int) -> int:
    while i < len(toks) and toks[i].start < end:
        i += 1
    return i
