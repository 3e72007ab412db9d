"""Who says each sentence: speech verbs, frames, pronouns, role descriptions.

Reads sentences like a careful journalist:
- `X … اظهار کرد: …` — X (a name, a surname, a role description, `وی`) says
  this sentence, and the quote runs on through the next sentences and
  paragraphs until another attribution or reporter text;
- `به گفته X، …` — X says this sentence;
- `به گزارش …`, `گفتنی است …` — the reporter speaks (speaker None);
- a headline `معاون استاندار مازندران درباره تجمعات: …` — the official holding
  that post, named in the body;
- `وی`/`او`/`این مقام مسئول` — the current speaker, or when a text starts
  mid-quote, the first official named later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.document import Document, Statement
from kg.entities.gazetteer import Gazetteer
from kg.resources import load_table
from kg.text.lexmatch import PhraseMatcher
from kg.text.normalize import fold

# Prepositions that make a following name an object, not the speaker ("در دیدار با X").
# before a person reference that is not the subject: "با …", "به اظهارات …", "در پاسخ به سخنان …"
_THIS_WAS_SAID = re.compile(r"[ \u200c]*(?:این را|این مطلب را|این‌ها را|این سخنان را)(?![\w\u200c])")
_OBJECT_PREP = re.compile(r"(?:با|از|به|برای|دیدار|همراه|حضور|اظهارات|سخنان|گفته‌های|ادعای|انتقاد)\s*[«\"]?\s*$")


@dataclass(slots=True)
class SentenceVoice:
    """Attribution of one sentence (normalised offsets)."""

    start: int
    end: int
    paragraph: int
    speaker: str | None  # Person.key or None for the reporter
    cue: str | None
    cue_start: int | None = None
    cue_end: int | None = None
    explicit: bool = False  # attribution stated in this sentence
    headline: bool = False


class Attributor:
    def __init__(self, gaz: Gazetteer):
        self.gaz = gaz
        kinds = {r["fa"]: r["kind"] for r in load_table("speech_frames")}
        self.frames: PhraseMatcher[str] = PhraseMatcher(kinds.items())
        self.reporter_cues: PhraseMatcher[str] = PhraseMatcher(
            (r["fa"], r["kind"]) for r in load_table("reporter_cues")
        )
        self.interview: dict[str, str] = {fold(r["fa"]): r["role"] for r in load_table("interview_labels")}

    def __call__(self, doc: Document) -> list[SentenceVoice]:
        norm = doc.norm
        text = norm.text
        refs = self._person_refs(doc)  # (start, end, person key or None for pronoun)
        org_starts = {norm.norm_offset(m.start) for m in doc.mentions if m.label == "ORG"}
        voices: list[SentenceVoice] = []
        current: str | None = None
        pending_pronoun: list[SentenceVoice] = []  # `وی` before any name
        # who "پاسخ: …" turns belong to: the last official quoted, else the first one named
        interviewee: str | None = next((r[2] for r in refs if r[2] is not None), None)
        for i, sent in enumerate(doc.sentences):
            s, e = norm.norm_offset(sent.start), norm.norm_offset(sent.end)
            v = SentenceVoice(s, e, sent.paragraph, None, None)
            turn = None if self._is_headline(doc, sent, i) else self._turn(text, s, e, refs, current, interviewee)
            if turn is not None:
                v.speaker, v.explicit, v.cue = turn[0], True, ":"
                v.cue_start, v.cue_end = turn[1], turn[1] + 1
                current = v.speaker
                voices.append(v)
                continue
            cue = self._speech_cue(text, s, e)
            frame = self._frame(text, s, e)
            reporter = self._reporter(text, s, e)
            if frame is not None and frame[2] == "according_to":
                who = self._first_ref(refs, frame[1], e, text)
                if who is not None:  # "به گفته وی، …": the pronoun is the one speaking now
                    speaker = who[2] if who[2] is not None else current
                    v.speaker, v.cue, v.cue_start, v.cue_end, v.explicit = speaker, frame[3], frame[0], frame[1], True
                elif _skip_space(text, frame[1]) in org_starts:
                    # "به گفته وزارت بهداشت، …": a body is cited, in the reporter's voice
                    v.cue, v.cue_start, v.cue_end, v.explicit = frame[3], frame[0], frame[1], True
                    current = None
            if not v.explicit and cue is not None:
                cs, ce, verb = cue
                lo = s
                if frame is not None and frame[2] in ("reporter", "citation") and frame[1] < cs:
                    lo = self._after_comma(text, frame[1], cs)
                who = self._subject(refs, lo, cs, text)
                if who is None:
                    who = self._first_ref(refs, ce, min(e, ce + 40), text)  # "…، وی افزود"
                v.cue, v.cue_start, v.cue_end, v.explicit = verb, cs, ce, True
                if who is not None:
                    # "وی گفت" after the reporter's sentence that named him: the last person named
                    v.speaker = who[2] if who[2] is not None else current or _last_named(refs, s)
                    if v.speaker is None:
                        pending_pronoun.append(v)
                else:
                    v.speaker = current
            if not v.explicit:
                if self._is_headline(doc, sent, i):
                    # its figures repeat the body's; "معاون استاندار …: …" names the speaker
                    v.headline = True
                    who = self._subject(refs, s, e, text)
                    if who is not None and who[2] is not None and text.find(":", s, e) > 0:
                        v.speaker, v.explicit, v.cue = who[2], True, ":"
                    voices.append(v)
                    continue
                if reporter or (frame is not None and frame[2] == "reporter"):
                    v.speaker = None
                    current = None
                elif sent.paragraph != (voices[-1].paragraph if voices else -1) and not self._quoted_paragraph(text, s, e):
                    # a quote closed with » at the end of the last paragraph: what follows is the reporter's
                    closed = bool(voices) and self._closed_quote(text, voices[-1])
                    v.speaker = current if self._continues(text, s, e) and not closed else None
                    current = v.speaker  # the reporter's paragraph goes on in the reporter's voice
                else:
                    v.speaker = current
            if v.explicit and v.speaker is not None:
                current = interviewee = v.speaker
                for p in pending_pronoun:
                    p.speaker = v.speaker
                pending_pronoun = []
            elif v.explicit and v.speaker is None and cue is not None:
                current = None
            voices.append(v)
        # a text that starts mid-quote with `وی`: the first official named anywhere
        if pending_pronoun:
            first = next((r[2] for r in refs if r[2] is not None), None)
            for p in pending_pronoun:
                p.speaker = first
        # «… .» این را سردار X گفت: the quote before, split into sentences, is X's
        for i, v in enumerate(voices):
            if v.speaker is not None and _THIS_WAS_SAID.match(text, v.start):
                j = i - 1
                while j >= 0 and voices[j].paragraph == v.paragraph and not voices[j].explicit:
                    voices[j].speaker = v.speaker
                    j -= 1
        return voices

    # -- pieces ----------------------------------------------------------
    def _turn(self, text: str, s: int, e: int, refs, current: str | None, interviewee: str | None = None):
        """A turn of an interview: "تقوی‌نسب: …" (speaker, colon offset), "خبرنگار: …" (None),
        "ج: …" (the current speaker). None when the sentence is not a turn."""
        colon = text.find(":", s, min(e, s + 40))
        if colon < 0:
            return None
        label = text[s:colon].strip()
        role = self.interview.get(fold(label))
        if role == "interviewer":
            return None, colon
        if role == "answer":  # "پاسخ: …": the one interviewed, even right after a question
            return current or interviewee, colon
        for r in refs:
            if r[0] == s and r[2] is not None and not text[r[1]:colon].strip():
                return r[2], colon
        return None


    def _person_refs(self, doc: Document) -> list[tuple[int, int, str | None]]:
        norm = doc.norm
        text = norm.text
        refs: list[tuple[int, int, str | None]] = []
        for p in doc.people.values():
            for s, e in p.spans:
                refs.append((norm.norm_offset(s), norm.norm_offset(e), p.key))
        for m in self.gaz.pronouns.finditer(text, norm.norm_offset(doc.body_start)):
            refs.append((m.start, m.end, self._described(doc, text, m) if m.payloads[0] == "description" else None))
        refs.sort()
        return refs

    def _described(self, doc: Document, text: str, m) -> str | None:
        """The official a description names by the words after it, if exactly one post has them all."""
        words = []
        for w in re.finditer(r"[^\W\d_]+(?:\u200c[^\W\d_]+)*", text[m.end:m.end + 60]):
            k = fold(w.group())
            if k in self.gaz.function_words or self.gaz.speech_verbs.match_at(text, m.end + w.start()):
                break
            words.append(k)
        if not words:
            return None
        hits = [p.key for p in doc.people.values()
                if any(set(words) <= {fold(x) for x in q.title.split()} for q in p.posts)]
        return hits[0] if len(hits) == 1 else None

    def _speech_cue(self, text: str, s: int, e: int) -> tuple[int, int, str] | None:
        for m in self.gaz.speech_verbs.finditer(text, s, e):
            return m.start, m.end, m.text
        # (a colon after a name also introduces a quote: see _turn and the headline rule)
        return None

    def _frame(self, text: str, s: int, e: int) -> tuple[int, int, str, str] | None:
        for m in self.frames.finditer(text, s, e):
            return m.start, m.end, m.payloads[0], m.text
        return None

    def _reporter(self, text: str, s: int, e: int) -> bool:
        m = self.reporter_cues.match_at(text, s)
        if m:
            return True
        head = text[s:min(e, s + 40)]
        return bool(next(self.reporter_cues.finditer(head), None)) and head.startswith(("به گزارش", "بنا بر", "براساس", "بر اساس"))

    @staticmethod
    def _after_comma(text: str, a: int, b: int) -> int:
        c = text.find("،", a, b)
        return c + 1 if c >= 0 else a

    def _subject(self, refs, lo: int, hi: int, text: str):
        """The speaker before the verb: the first person reference that is not an object."""
        for r in refs:
            if lo <= r[0] < hi:
                if _OBJECT_PREP.search(text[max(lo, r[0] - 12):r[0]]):
                    continue
                return r
        return None

    @staticmethod
    def _first_ref(refs, lo: int, hi: int, text: str):
        for r in refs:
            if lo <= r[0] < hi:
                return r
        return None

    @staticmethod
    def _is_headline(doc: Document, sent, i: int) -> bool:
        """The first line of the body, short, without a final full stop."""
        if i != 0:
            return False
        line = doc.text[sent.start:sent.end]
        return "\n" in doc.text[sent.end:sent.end + 2] and len(line) < 200 and not line.rstrip().endswith(".")

    @staticmethod
    def _closed_quote(text: str, last: SentenceVoice) -> bool:
        """Did the last paragraph close its quote: «…» at its end, or «…»، X گفت (the quote
        first, its speaker after it)?"""
        said = text[last.start:last.end].strip(" .؛;\n")
        if said.endswith("»"):
            return True
        return said.startswith("«") and last.cue_start is not None \
            and last.start < text.rfind("»", last.start, last.end) < last.cue_start

    @staticmethod
    def _quoted_paragraph(text: str, s: int, e: int) -> bool:
        return text[s:e].lstrip().startswith("«")

    def _continues(self, text: str, s: int, e: int) -> bool:
        """Does a new paragraph with no attribution still quote the last speaker?

        Yes unless the reporter's voice shows (a reporter cue at its start).
        """
        return not self._reporter(text, s, e)


def _last_named(refs, pos: int) -> str | None:
    """The person named last before ``pos`` (refs are sorted by start)."""
    last = None
    for r in refs:
        if r[0] >= pos:
            break
        if r[2] is not None:
            last = r[2]
    return last


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \u200c":
        pos += 1
    return pos


def statements_from(voices: list[SentenceVoice], doc: Document) -> list[Statement]:
    """Runs of consecutive sentences by one speaker, as Statements (original offsets)."""
    out: list[Statement] = []
    norm = doc.norm
    run: list[SentenceVoice] = []

    def flush():
        if run and run[0].speaker is not None:
            first = run[0]
            s, _ = norm.to_original(first.start, first.end)
            _, e = norm.to_original(run[-1].start, run[-1].end)
            cs = ce = None
            if first.cue_start is not None:
                cs, ce = norm.to_original(first.cue_start, first.cue_end)
            out.append(Statement(s, e, first.speaker, first.cue, cs, ce))

    for v in voices:
        if run and (v.speaker != run[-1].speaker or v.explicit or v.headline):
            flush()
            run = []
        run.append(v)
    flush()
    return out
