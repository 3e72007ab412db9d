"""Mentions -> entities within one document.

- people: one per name (full name and surname-alone mentions merge);
- posts: a post phrase right before or after a name belongs to that person
  (`مرتضی حیدری سرپرست معاونت …`, `مدیرکل … فارس، کیوان ملک‌زاده`); a post
  phrase with no name next to it is a role description: it refers to the
  person holding that post, or, when the title comes first and the name a
  sentence later, to the next person named without a post;
- organisations with their parents (unit -> agency), places, the publisher.

Identity keys are normalised names (`kg.text.normalize.fold`), so the same
official in two articles gets the same key; a person's key includes the top
agency they speak for, so two `رضایی`s of different provinces stay apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.document import Document, Mention, Organization, Person, Place, Post
from kg.entities.gazetteer import GazEntry, Gazetteer, gazetteer
from kg.entities.posts import OrgSegment, PhraseParser, PostPhrase, body_tokens, tokenize
from kg.pipeline import Context, stage
from kg.text.normalize import clean, fold

_AND = re.compile(r"[ \u200c]*و[ \u200c]*")
_AD_HOC_KINDS = ("headquarters", "council", "committee")
_SUB_UNIT_KINDS = ("deputy", "department", "directorate", "committee")  # "کمیسیون عمران … شورای شهر" speaks for the council
_GAP = re.compile(r"[\s،,:«»\"()]*")


@dataclass(slots=True)
class TitleRef:
    """A post phrase in the text and whom it was resolved to."""

    mention: Mention
    post: Post | None
    person: str | None  # Person.key (document-local until keys are finalised)
    reference: bool = False  # a role description naming a post someone already holds
    orgs: list[Organization] = field(default_factory=list)  # the bodies its title names, innermost first


def org_key(name: str) -> str:
    return fold(name)


class Resolver:
    def __init__(self, gaz: Gazetteer):
        self.gaz = gaz
        self.parser = PhraseParser(gaz)

    def __call__(self, doc: Document) -> None:
        assert doc.norm is not None
        per = [m for m in doc.mentions if m.label == "PER"]
        self._province = self._main_province(doc)
        titles = [m for m in doc.mentions if m.label == "TITLE"]

        # -- people ------------------------------------------------------
        people: dict[str, Person] = {}
        for m in per:
            name = clean(m.text.strip("«»\"' "))
            key = fold(name)
            p = people.setdefault(key, Person(key=key, name=name))
            p.spans.append((m.start, m.end))
            hon = self._honorifics_before(doc, m)
            for h in hon:
                if h not in p.honorifics:
                    p.honorifics.append(h)

        # -- posts ---------------------------------------------------------
        refs: list[TitleRef] = []
        for t in titles:
            post, orgs = self._post(doc, t)
            owner = self._adjacent_person(doc, t, per, titles)
            refs.append(TitleRef(t, post, fold(clean(owner.text.strip("«»\"' "))) if owner else None, orgs=orgs))
        for r in refs:
            if r.person and r.post:
                _add_post(people[r.person], r.post)
        # "معاون وزیر راه و شهرسازی و مدیرعامل شرکت راه‌آهن": a second post joined by "و" is the
        # same person's; the one that heads its body goes first (it names the agency spoken for)
        for prev, r in zip(refs, refs[1:]):
            if r.person is None and r.post and prev.person and prev.post \
                    and _AND.fullmatch(doc.text, prev.mention.end, r.mention.start):
                r.person = prev.person
                holder = people[r.person]
                # ... unless it chairs a task force or council ("… و رئیس ستاد اربعین استان"): the
                # governorate or ministry of the first post still speaks
                ad_hoc = bool(r.orgs) and r.orgs[-1].kind in _AD_HOC_KINDS
                if not ad_hoc and self._rank(r.post) < self._rank(holder.posts[0]):
                    holder.posts.insert(0, r.post)
                else:
                    _add_post(holder, r.post)
        # role descriptions and title-first-name-later
        for idx, r in enumerate(refs):
            if r.person or r.post is None:
                continue
            holder = self._holder_of(people, r.post)
            r.reference = holder is not None
            if holder is None:
                holder = self._next_unposted(people, r.mention, per)
                if holder is not None:
                    _add_post(holder, r.post)
            if holder is not None:
                r.person = holder.key
                holder.spans.append((r.mention.start, r.mention.end))

        # surnames alone ("حیدری گفت") refer to the person with that surname
        self._surname_mentions(doc, people)

        # -- organisations and places --------------------------------------
        orgs: dict[str, Organization] = {}
        for r in refs:
            if r.reference:
                continue  # "دادستان مرکز استان زنجان" again: the holder's post already names the body
            for o in r.orgs:
                o.spans.append((r.mention.start, r.mention.end))
                _merge_org(orgs, o)
        for m in doc.mentions:
            if m.label == "ORG" and m.kind != "news_agency":
                for o in self._mention_organizations(doc, m):
                    _merge_org(orgs, o)
        places: dict[str, Place] = {}
        for m in doc.mentions:
            if m.label == "LOC":
                name = clean(m.text)
                if name.startswith("استان ") and m.kind == "province":
                    name = "استان " + clean(name[6:])
                key = m.gazetteer_id or fold(name)
                pl = places.setdefault(key, Place(key=key, name=name, kind=m.kind, en=m.en, gazetteer_id=m.gazetteer_id,
                                                  parent=self._place_parent(m)))
                pl.spans.append((m.start, m.end))
        # the places organisations are in, and the provinces cities are in
        for o in orgs.values():
            if o.place and o.place not in places:
                o.place = None  # only places the article names
        for pl in list(places.values()):
            if pl.parent and pl.parent not in places:
                prov = next((e for e in self.gaz.provinces if e.id == pl.parent), None)
                if prov is not None:
                    places[pl.parent] = Place(key=prov.id, name=prov.fa, kind="province", en=prov.en,
                                              gazetteer_id=prov.id)
        doc.publisher = self._publisher(doc, orgs)

        # -- final keys: name + agency, so namesakes in different agencies stay apart
        final: dict[str, Person] = {}
        for p in people.values():
            agency = p.agency
            p.key = f"{p.key}_{agency}" if agency else p.key
            final[p.key] = p
        doc.people = final
        doc.organizations = orgs
        doc.places = places

    # ------------------------------------------------------------------
    def _rank(self, post: Post) -> int:
        """1 for the head of a body, 2 for a deputy, 3 for others (titles.tsv), 9 if unknown."""
        hits = self.gaz.titles.lookup(post.role)
        return int(hits[0].rank) if hits and hits[0].rank.isdigit() else 9

    def _place_parent(self, m: Mention) -> str | None:
        hits = self.gaz.places.lookup(m.text.removeprefix("استان ").strip()) if m.kind == "city" else []
        return hits[0].parent if hits and hits[0].parent else None

    def _main_province(self, doc: Document) -> GazEntry | None:
        """The province the article is mostly about (its own or its cities' mentions)."""
        counts: dict[str, int] = {}
        for m in doc.mentions:
            if m.label != "LOC" or not m.gazetteer_id:
                continue
            for e in self.gaz.places.lookup(m.text.removeprefix("استان ").strip()):
                pid = e.id if e.kind == "province" else e.parent if e.kind == "city" else None
                if pid:
                    counts[pid] = counts.get(pid, 0) + 1
        if not counts:
            return None
        best = max(counts, key=lambda k: counts[k])
        for e in self.gaz.provinces:
            if e.id == best:
                return e
        return None

    def _honorifics_before(self, doc: Document, m: Mention) -> list[str]:
        norm = doc.norm
        ns = norm.norm_offset(m.start)
        before = norm.text[max(0, ns - 40):ns]
        out = []
        toks = tokenize(before)
        i = len(toks) - 1
        while i >= 0 and toks[i].text in "«\"":
            i -= 1
        while i >= 0:
            h = self.gaz.honorifics.lookup(toks[i].text)
            if not h:
                break
            out.insert(0, toks[i].text)
            i -= 1
        return out

    def _post(self, doc: Document, t: Mention) -> tuple[Post | None, list[Organization]]:
        """The post a title phrase names, and the organisations in it (innermost first)."""
        parsed = self._parse_title(doc, t)
        if parsed is None:
            return None, []
        org = self._segment_orgs(parsed.segments)
        unit = org[0].key if org else None
        # the agency: the innermost body that speaks for itself; a deputy office or
        # department speaks for its parent ("معاونت سیاسی …" -> "استانداری قم")
        agency = None
        for o in org:
            agency = o.key
            if o.kind not in _SUB_UNIT_KINDS:
                break
        post = Post(title=clean(t.text), role=parsed.role, role_en=parsed.role_en or None,
                    organization=unit, agency=agency, start=t.start, end=t.end)
        return post, org

    def _parse_title(self, doc: Document, t: Mention) -> PostPhrase | None:
        norm = doc.norm
        s, e = norm.norm_offset(t.start), norm.norm_offset(t.end)
        toks = tokenize(norm.text, s, e)
        if not toks:
            return None
        parsed = self.parser.parse_post(norm.text[:e], toks, 0)
        return parsed[0] if parsed else None

    def _segment_orgs(self, segs: list[OrgSegment]) -> list[Organization]:
        """Organisations for a chain of segments, innermost first, parents linked.

        A unit's name includes its parent's as written ("پلیس راهور فراجا"), and
        any name the gazetteer knows is replaced by its canonical form.
        """
        out: list[Organization] = []
        segs = [s for s in segs if s.words or s.jurisdiction or s.gaz or not s.implied]
        parent_text: str | None = None
        for idx in range(len(segs) - 1, -1, -1):
            s = segs[idx]
            if s.bare_province and not s.jurisdiction and self._province is not None:
                s.jurisdiction, s.place = self._province.fa, self._province
            parent = out[0] if out else None
            own = s.surface if s.gaz is not None and s.surface and not s.words and not s.jurisdiction else s.name
            own = self._expand_abbreviations(own)
            full = f"{own} {parent_text}" if parent_text and s.gaz is None and not s.jurisdiction else own
            gaz_hits = self.gaz.organizations.lookup(full) or ([s.gaz] if s.gaz else [])
            g = gaz_hits[0] if gaz_hits else None
            name = g.fa if g is not None else full
            o = Organization(key=org_key(name), name=clean(name), kind=s.kind or (g.kind if g else None),
                             en=g.en if g else None, gazetteer_id=g.id if g else None,
                             parent=parent.key if parent is not None else None,
                             place=s.place.id if s.place is not None else (parent.place if parent is not None else None))
            out.insert(0, o)
            parent_text = full
        return out

    def _expand_abbreviations(self, name: str) -> str:
        words = []
        for w in name.split():
            key = fold(w)
            exp = self.gaz.abbreviations.get(key) or (self.gaz.abbreviations.get(key[:-1]) if key.endswith("ی") else None)
            words.append(exp or w)
        return " ".join(words)

    def _mention_organizations(self, doc: Document, m: Mention) -> list[Organization]:
        if m.gazetteer_id:
            e = next((x for x in self.gaz.organizations.lookup(m.text)), None)
            name = e.fa if e else clean(m.text)
            return [Organization(key=org_key(name), name=name, kind=m.kind, en=m.en, gazetteer_id=m.gazetteer_id,
                                 spans=[(m.start, m.end)])]
        norm = doc.norm
        s, e = norm.norm_offset(m.start), norm.norm_offset(m.end)
        toks = tokenize(norm.text, s, e)
        segs, _ = self.parser.parse_chain(norm.text[:e], toks, 0)
        orgs = self._segment_orgs(segs)
        for o in orgs:
            o.spans.append((m.start, m.end))
        return orgs

    def _adjacent_person(self, doc: Document, t: Mention, per: list[Mention],
                         titles: list[Mention]) -> Mention | None:
        text = doc.text
        for p in per:  # name, then title: "مرتضی حیدری سرپرست …"
            if p.end <= t.start and _GAP.fullmatch(text, p.end, t.start):
                return p
        for p in per:  # title, then name: "مدیرکل … فارس، کیوان ملک‌زاده"
            if t.end <= p.start:
                gap = text[t.end:p.start]
                if _GAP.fullmatch(gap) or self._only_honorifics(gap):
                    # "… به اظهارات مدیرکل محیط زیست استان، بهمن اصلان‌پور مدیرعامل …": a name
                    # followed by a title of its own is that title's holder, not this one's
                    if any(u is not t and _GAP.fullmatch(text, p.end, u.start) for u in titles if u.start >= p.end):
                        return None
                    return p
        return None

    def _only_honorifics(self, gap: str) -> bool:
        toks = tokenize(clean(gap))
        return bool(toks) and all(self.gaz.honorifics.lookup(t.text) or t.text in "،,«»\"" for t in toks)

    def _holder_of(self, people: dict[str, Person], post: Post) -> Person | None:
        """The person already holding this post (role description as subject).

        Titles are compared without jurisdiction words and ezafe, so
        "مدیر جهاد کشاورزی دزفول" refers to the holder of
        "مدیر جهاد کشاورزی شهرستان دزفول"; a shorter description matches a longer
        post of the same role when all its words are in it.
        """
        want = self._signature(post.title)
        best = None
        for p in people.values():
            for q in p.posts:
                have = self._signature(q.title)
                if have == want or (q.organization == post.organization and q.role == post.role and post.organization):
                    return p
                a, b = fold(q.role), fold(post.role)
                # "دادستان مرکز استان زنجان" = "دادستان عمومی و انقلاب مرکز استان زنجان"
                if (a.startswith(b) or b.startswith(a)) and want and set(want) <= set(have):
                    best = best or p
        return best

    def _signature(self, title: str) -> tuple[str, ...]:
        out = []
        for w in clean(title).split():
            k = fold(w)
            if k in self.gaz.place_words:
                continue
            if k.endswith("ی") and (k[:-1] in self.gaz.org_head_by_name or self.gaz.titles.lookup(w[:-1])):
                k = k[:-1]  # ezafe: "سخنگوی" = "سخنگو"
            out.append(k)
        return tuple(out)

    @staticmethod
    def _next_unposted(people: dict[str, Person], t: Mention, per: list[Mention]) -> Person | None:
        """Title first, name later: the first person named after the title who has no post."""
        later = sorted((m for m in per if m.start > t.end), key=lambda m: m.start)
        for m in later:
            p = people.get(fold(clean(m.text.strip("«»\"' "))))
            if p is not None and not p.posts:
                return p
        return None

    def _surname_mentions(self, doc: Document, people: dict[str, Person]) -> None:
        norm = doc.norm
        text = norm.text
        taken = [(norm.norm_offset(m.start), norm.norm_offset(m.end)) for m in doc.mentions]
        by_surname: dict[str, list[Person]] = {}
        for p in people.values():
            words = p.name.split()
            if len(words) >= 2:
                by_surname.setdefault(fold(words[-1]), []).append(p)
        if not by_surname:
            return
        for tok in body_tokens(text, norm.norm_offset(doc.body_start)):
            owners = by_surname.get(tok.key)
            if not owners or len(owners) != 1 or any(s <= tok.start < e for s, e in taken):
                continue
            os_, oe = norm.to_original(tok.start, tok.end)
            owners[0].spans.append((os_, oe))
            doc.mentions.append(Mention(os_, oe, "PER", tok.text, source="resolve", kind="surname"))
        doc.mentions.sort(key=lambda m: (m.start, -m.end))

    def _publisher(self, doc: Document, orgs: dict[str, Organization]) -> str | None:
        """The news agency that published the article: metadata first, then `به گزارش X`."""
        entry: GazEntry | None = None
        span: tuple[int, int] | None = None
        if doc.metadata.publisher:
            hits = self.gaz.news_agencies.lookup(doc.metadata.publisher)
            entry = hits[0] if hits else None
            if entry is None:
                name = clean(doc.metadata.publisher)
                o = Organization(key=org_key(name), name=name, kind="news_agency")
                _merge_org(orgs, o)
                return o.key
        if entry is None:
            agencies = [m for m in doc.mentions if m.kind == "news_agency"]
            if agencies:
                first = agencies[0]
                span = (first.start, first.end)
                entry = next(iter(self.gaz.news_agencies.lookup(first.text)), None)
        if entry is None:
            return None
        o = Organization(key=org_key(entry.fa), name=entry.fa, kind="news_agency", en=entry.en,
                         gazetteer_id=entry.id, spans=[span] if span else [])
        _merge_org(orgs, o)
        return o.key


def _add_post(person: Person, post: Post) -> None:
    if all(fold(q.title) != fold(post.title) for q in person.posts):
        person.posts.append(post)


def _merge_org(orgs: dict[str, Organization], o: Organization) -> None:
    have = orgs.get(o.key)
    if have is None:
        orgs[o.key] = o
        return
    have.spans.extend(s for s in o.spans if s not in have.spans)
    have.parent = have.parent or o.parent
    have.en = have.en or o.en
    have.gazetteer_id = have.gazetteer_id or o.gazetteer_id
    have.kind = have.kind or o.kind
    have.place = have.place or o.place


@stage("resolve", requires=("mentions",), provides=("entities",))
def resolve(doc: Document, ctx: Context) -> None:
    ctx.get("resolver", lambda: Resolver(gazetteer(ctx)))(doc)
