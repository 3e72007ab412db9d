"""The offline `rules` NER backend: gazetteers plus title, name and organisation patterns.

Finds, on normalised text:
- places (provinces, cities, countries) and national bodies from gazetteers;
- news agencies: full names anywhere, short names (`مهر`, `فارس`) only in a
  reporting frame (`به گزارش`, `به نقل از`) since they are also common words;
- post phrases (TITLE): a title and its organisation chain (see `kg.entities.posts`);
- organisation phrases (ORG) headed by an organisation word (`اداره کل …`);
- people (PER): honorifics, a known given name and a surname; or two name-like
  words right before or after a post phrase (`…استان فارس، کیوان ملک‌زاده گفت`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from kg.document import Document, Mention
from kg.entities.gazetteer import Gazetteer, shared_gazetteer
from kg.entities.posts import PhraseParser, Tok, _index_after, body_tokens
from kg.entities.ner.base import register_backend
from kg.pipeline import Config
from kg.text.normalize import fold

_QUOTES = "«»\"'“”"
_REPORT_FRAMES = ("به گزارش", "به نقل از", "گزارش", "خبرگزاری", "پایگاه خبری", "روزنامه")


class RulesNer:
    name = "rules"

    def __init__(self, config: Config, gaz: Gazetteer | None = None):
        self.gaz = gaz or shared_gazetteer()
        self.parser = PhraseParser(self.gaz)

    def annotate(self, docs: Sequence[Document]) -> list[list[Mention]]:
        return [self.annotate_one(d) for d in docs]

    # ------------------------------------------------------------------
    def annotate_one(self, doc: Document) -> list[Mention]:
        assert doc.norm is not None, "rules NER needs the normalize stage"
        text = doc.norm.text
        start = doc.norm.norm_offset(doc.body_start)
        toks = body_tokens(text, start)
        found: list[Mention] = []  # in normalised offsets, converted at the end
        found += self._agencies(text, start)
        found += self._posts(text, toks)
        found += self._orgs(text, toks)
        found += self._gazetteer(text, start)
        found += self._people(text, toks, found)
        mentions = _resolve_overlaps(found)
        out = []
        for m in mentions:
            s, e = doc.norm.to_original(m.start, m.end)
            out.append(Mention(s, e, m.label, m.text, "rules", m.gazetteer_id, m.kind, m.en))
        return out

    def _agencies(self, text: str, start: int) -> list[Mention]:
        out = []
        for m in self.gaz.news_agencies.finditer(text, start):
            e = m.payloads[0]
            full = len(m.text.split()) > 1 or m.text.strip() == e.fa
            before = text[max(0, m.start - 25):m.start]
            if full or any(f in before for f in _REPORT_FRAMES):
                out.append(Mention(m.start, m.end, "ORG", m.text, gazetteer_id=e.id, kind="news_agency", en=e.en))
        return out

    def _gazetteer(self, text: str, start: int) -> list[Mention]:
        out = []
        for m in self.gaz.places.finditer(text, start):
            e = m.payloads[0]
            s = m.start
            # place names that are common words too ("مرکزی", "بم"): need a cue word
            if fold(m.text) in self.gaz.ambiguous_places:
                prev = text[max(0, s - 8):s].split()
                if not prev or prev[-1] not in ("استان", "شهرستان", "شهر", "بخش"):
                    continue
            # "استان قم" is one mention of the province
            if e.kind == "province" and text[max(0, s - 6):s] == "استان ":
                s -= 6
            out.append(Mention(s, m.end, "LOC", text[s:m.end], gazetteer_id=e.id, kind=e.kind, en=e.en))
        for m in self.gaz.organizations.finditer(text, start):
            e = m.payloads[0]
            # a one-word alias ("بهزیستی", "آبفا") names the national body only on its own,
            # not inside a provincial pattern ("بهزیستی استان فارس")
            if fold(m.text) != fold(e.fa):
                after = text[m.end:m.end + 30]
                nxt = after.split()
                prev = text[max(0, m.start - 12):m.start].split()
                # "آبفای فارس", "جهاد کشاورزی گیلان": a provincial branch, not the national body
                place_next = bool(nxt) and (fold(nxt[0]) in self.gaz.place_words
                                            or self.gaz.places.match_at(text, m.end + len(after) - len(after.lstrip())))
                if place_next or (prev and (self.gaz.org_heads.lookup(prev[-1]) or self.gaz.titles.lookup(prev[-1]))):
                    continue
            out.append(Mention(m.start, m.end, "ORG", m.text, gazetteer_id=e.id, kind=e.kind, en=e.en))
        return out

    def _posts(self, text: str, toks: list[Tok]) -> list[Mention]:
        out = []
        i = 0
        # parse only where a title starts (one regex pass), not at every token
        starts = {m.start for m in self.gaz.titles.finditer(text, toks[0].start)} if toks else set()
        while i < len(toks):
            if toks[i].start not in starts:
                i += 1
                continue
            parsed = self.parser.parse_post(text, toks, i)
            if parsed:
                post, nxt = parsed
                out.append(Mention(post.start, post.end, "TITLE", text[post.start:post.end], kind=post.title.kind,
                                   en=post.role_en))
                i = max(nxt, i + 1)
            else:
                i += 1
        return out

    def _orgs(self, text: str, toks: list[Tok]) -> list[Mention]:
        """Organisation phrases not introduced by a title: `در استانداری قم`."""
        out = []
        i = 0
        while i < len(toks):
            head = self.gaz.org_heads.match_at(text, toks[i].start)
            if head is None or (i > 0 and toks[i - 1].text[0].isdigit()):
                i += 1  # "۳۷ اداره پرمصرف": a counted noun, not a body
                continue
            segs, nxt = self.parser.parse_chain(text, toks, i)
            # generic heads ("مرکز درمانی", "مدیریت مصرف") name a body only with its territory
            segs = [s for s in segs if (s.words and (not self._needs_name(s) or s.jurisdiction or s.bare_province))
                    or s.gaz or (s.jurisdiction and not self._needs_name(s))]
            # a head and one common noun ("نهاد دین") is too weak alone
            if segs and (any(s.jurisdiction or s.gaz or (s.bare_province and s.words) for s in segs)
                         or sum(len(s.words) for s in segs) >= 2):
                s, e = segs[0].start, segs[-1].end
                out.append(Mention(s, e, "ORG", text[s:e], kind=segs[0].kind))
            i = max(nxt, i + 1)
        return out

    def _needs_name(self, seg) -> bool:
        head = self.gaz.org_head_by_name.get(fold(seg.head))
        return bool(head and head.needs_name)

    def _people(self, text: str, toks: list[Tok], found: list[Mention]) -> list[Mention]:
        out: list[Mention] = []
        taken = [(m.start, m.end) for m in found if m.label in ("TITLE", "ORG")]
        n = len(toks)
        i = 0
        while i < n:
            j = i
            # honorifics, possibly several ("حجت‌الاسلام والمسلمین سید")
            while j < n:
                h = self.gaz.honorifics.match_at(text, toks[j].start)
                if not h:
                    break
                j = _index_after(toks, j, h.end)
            while j < n and toks[j].text in _QUOTES:
                j += 1
            if j >= n:
                break
            g = self.gaz.given_names.match_at(text, toks[j].start)
            if g and not _inside(taken, toks[j].start):
                k = _index_after(toks, j, g.end)
                # a second given name ("محمد علی") only if a surname still follows
                g2 = self.gaz.given_names.match_at(text, toks[k].start) if k < n else None
                if g2:
                    k2 = _index_after(toks, k, g2.end)
                    if k2 < n and self._surname_word(text, toks[k2]):
                        k = k2
                end = self._surname_end(text, toks, k)
                if end is not None and (j > i or self._person_evidence(text, toks, j, k, end, taken)):
                    s = toks[j].start
                    out.append(Mention(s, end, "PER", text[s:end]))
                    i = _index_after(toks, k, end)
                    continue
            i += 1
        # unknown given names next to a post: "مدیرکل … فارس، کیوان ملک‌زاده گفت"
        have = [(m.start, m.end) for m in out]
        spans = [span for t in (m for m in found if m.label == "TITLE")
                 for span in (self._name_after(text, toks, t.end), self._name_before(text, toks, t.start))]
        # or opening a clause, with a surname of a telling shape, right before a speech verb:
        # "هیمن قادری‌پور افزود: …" (a second mention of an official named by post before)
        spans += [self._name_before_speech(text, toks, v) for v, t in enumerate(toks)
                  if self.gaz.speech_verbs.match_at(text, t.start)]
        for span in spans:
            if span and not _inside(have + taken, span[0]) and not _inside(have + taken, span[1] - 1):
                out.append(Mention(span[0], span[1], "PER", text[span[0]:span[1]]))
                have.append(span)
        return out

    def _name_before_speech(self, text: str, toks: list[Tok], v: int) -> tuple[int, int] | None:
        """Given name + surname ending in the token before the speech verb at token ``v``, when the
        surname is a known one or ends in a surname part (-پور, -زاده, -نژاد, …; not just -ی, which
        ends countless adjectives) and the name opens its clause."""
        k = v - 1
        if k >= 1 and toks[k].key in self.gaz.surname_suffixes and toks[k].start - toks[k - 1].end <= 1:
            k -= 1  # "قادری پور": the surname's second part written apart
        j = k - 1
        if j < 0 or not (self._name_like(text, toks[j]) and self._name_like(text, toks[k])):
            return None
        surname = fold(text[toks[k].start:toks[v - 1].end])
        if surname not in self.gaz.surnames and not any(
                surname.endswith(part) and len(surname) > len(part) + 1 for part in self.gaz.surname_suffixes):
            return None
        prev = toks[j - 1] if j >= 1 else None
        if prev is not None and prev.text[0].isalpha() and not self.gaz.honorifics.match_at(text, prev.start):
            return None
        return toks[j].start, toks[v - 1].end

    def _person_evidence(self, text: str, toks: list[Tok], j: int, k: int, end: int,
                         posts: list[tuple[int, int]]) -> bool:
        """Is given name + word really a person? (`کسری برق` is "power shortage").

        Yes with an honorific (checked by the caller), a known surname or surname
        shape, a post phrase right next to it, or a speech frame right after it.
        """
        if toks[j].key in self.gaz.ambiguous_given_names:
            # "پروانه بهره‌برداری" is a permit: needs a post or a speech verb next to it
            return self._strong_person_evidence(text, toks, j, end, posts)
        surname = text[toks[k].start:end]
        last = fold(surname.split()[-1]) if surname.split() else ""
        if self.gaz.surnames_or_shape(surname):
            return True
        if _beside(toks[j].start, end, posts):
            return True
        after = _first_at_or_after(toks, end)
        for t in toks[after:after + 4]:
            if self.gaz.speech_verbs.match_at(text, t.start) or self.gaz.speech_frames.match_at(text, t.start):
                return True
        # "به گفته علیرضا خلیلیان، …"
        before = text[max(0, toks[j].start - 20):toks[j].start].rstrip()
        if any(before.endswith(f.fa) for f in self.gaz.according_to_frames):
            return True
        return bool(last) and last in self.gaz.surname_suffixes

    def _strong_person_evidence(self, text, toks, j, end, posts) -> bool:
        if _beside(toks[j].start, end, posts):
            return True
        after = _first_at_or_after(toks, end)
        return any(self.gaz.speech_verbs.match_at(text, t.start) for t in toks[after:after + 3])

    def _surname_word(self, text: str, tok: Tok) -> bool:
        if not tok.text[0].isalpha() or tok.key in self.gaz.not_name_words:
            return False
        for matcher in (self.gaz.titles, self.gaz.org_heads, self.gaz.speech_verbs, self.gaz.honorifics):
            if matcher.match_at(text, tok.start):
                return False
        if self.gaz.places.match_at(text, tok.start) and tok.key not in self.gaz.given_name_keys \
                and tok.key not in self.gaz.ambiguous_places and not tok.key.endswith("ی"):
            # a city after a given name is rarely a surname ("بیمارستان امام رضا مشهد"); places that
            # are also common words or shaped like surnames are surnames too ("بهمن ملکشاهی", "دشتی")
            return False
        return True

    def _surname_end(self, text: str, toks: list[Tok], k: int) -> int | None:
        """End of the surname starting at token k (one word, two with a known second part)."""
        while k < len(toks) and toks[k].text in _QUOTES:
            k += 1
        if k >= len(toks) or not self._surname_word(text, toks[k]):
            return None
        end = toks[k].end
        if k + 1 < len(toks) and toks[k + 1].key in self.gaz.surname_suffixes and toks[k + 1].start - end <= 1:
            end = toks[k + 1].end
        elif toks[k].key in self.gaz.surname_prefixes and k + 1 < len(toks) and toks[k + 1].start - end <= 1 \
                and self._surname_word(text, toks[k + 1]) and not self.gaz.speech_verbs.match_at(text, toks[k + 1].start):
            end = toks[k + 1].end  # "یوسف قره خانلو": the surname's first part written apart
        return end

    def _name_like(self, text: str, tok: Tok) -> bool:
        return self._surname_word(text, tok) and not self.gaz.pronouns.match_at(text, tok.start)

    def _name_after(self, text: str, toks: list[Tok], pos: int) -> tuple[int, int] | None:
        i = _first_at_or_after(toks, pos)
        if i < len(toks) and toks[i].text in "،,":
            i += 1
        while i < len(toks) and self.gaz.honorifics.match_at(text, toks[i].start):
            i += 1
        if i + 2 < len(toks) and self._name_like(text, toks[i]) and self._name_like(text, toks[i + 1]):
            after = toks[i + 2]
            if self.gaz.speech_verbs.match_at(text, after.start) or after.text in "،,:" or after.key in ("نیز", "با", "در"):
                return toks[i].start, toks[i + 1].end
        return None

    def _name_before(self, text: str, toks: list[Tok], pos: int) -> tuple[int, int] | None:
        i = _first_at_or_after(toks, pos) - 1
        if i >= 0 and toks[i].text in "،,":
            i -= 1
        if i >= 1 and self._name_like(text, toks[i]) and self._name_like(text, toks[i - 1]):
            prev = toks[i - 2] if i >= 2 else None
            # the name must open a clause or a prepositional phrase ("گفت‌وگو با X Y مدیرکل …"):
            # start of text, punctuation, an honorific or a preposition before it
            if prev is None or not prev.text[0].isalpha() or self.gaz.honorifics.match_at(text, prev.start) \
                    or self.gaz.function_words.get(prev.key) == "preposition":
                return toks[i - 1].start, toks[i].end
        return None


def _first_at_or_after(toks: list[Tok], pos: int) -> int:
    return bisect_left(toks, pos, key=lambda t: t.start)


def _beside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Does a span (a post phrase) touch ``start..end`` within a space or a comma?"""
    return any(abs(s - end) <= 2 or abs(e - start) <= 2 for s, e in spans)


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(s <= pos < e for s, e in spans)


_PRIORITY = {"TITLE": 0, "PER": 1, "ORG": 2, "LOC": 3, "MISC": 4}


def _resolve_overlaps(found: list[Mention]) -> list[Mention]:
    """Keep non-overlapping mentions: longer first, then by label priority.

    Places and organisations nested inside a post or organisation phrase are kept
    (they are the jurisdiction or parent body); other overlaps are dropped.
    """
    ordered = sorted(found, key=lambda m: (-(m.end - m.start), _PRIORITY[m.label], m.start))
    kept: list[Mention] = []
    for m in ordered:
        clash = False
        for k in kept:
            if m.start < k.end and k.start < m.end:
                nested = (k.start <= m.start and m.end <= k.end and k.label in ("TITLE", "ORG")
                          and m.label in ("LOC", "ORG") and not (k.label == "ORG" and k.gazetteer_id))
                if not nested:
                    clash = True
                    break
        if not clash:
            kept.append(m)
    return sorted(kept, key=lambda m: (m.start, -m.end))


@register_backend("rules")
def _factory(config: Config) -> RulesNer:
    return RulesNer(config)
