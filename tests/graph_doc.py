"""A hand-built, fully annotated Document for the graph, query and validation
tests: the seed article's text with the layers the extraction stages would
add (two officials with posts, the governorate and its deputy, the foreign
nationals directorate, the publisher, 16 claims including the total
31673 = 18700 + 12973). Offsets are found in the real text, so every span is
checked against the article.
"""

from __future__ import annotations

from pathlib import Path

from kg.document import Claim, Document, Metadata, Organization, Person, Place, Post, Statement
from kg.text.normalize import clean, fold

SEED = Path(__file__).parent / "data" / "articles" / "abna-2025-08-18-qom.txt"
BASE = "https://kg.example.org/"


def find(text: str, phrase: str, nth: int = 1, after: int = 0) -> tuple[int, int]:
    pos = after - 1
    for _ in range(nth):
        pos = text.find(phrase, pos + 1)
        assert pos >= 0, f"{phrase!r} (#{nth}) not in the text"
    return pos, pos + len(phrase)


def sentence_of(text: str, start: int) -> tuple[int, int]:
    """The sentence around ``start``: from after the previous . : or newline to the next . or newline."""
    s = max(text.rfind(ch, 0, start) for ch in ".:\n") + 1
    while text[s] == " ":
        s += 1
    ends = [i for i in (text.find(ch, start) for ch in ".\n") if i >= 0]
    return s, min(ends) + 1 if ends else len(text)


def seed_like_document() -> Document:
    text = SEED.read_text(encoding="utf-8")
    doc = Document(
        id="abna-2025-08-18-qom",
        text=text,
        metadata=Metadata(url="https://news.example.org/fa/qom-1", publisher="ابنا", date="2025-08-18",
                          title="سومین نشست رسانه‌ای «برای قم»"),
    )

    def org(name, kind=None, en=None, parent=None, gid=None, spans=()):
        o = Organization(key=fold(name), name=clean(name), kind=kind, en=en, gazetteer_id=gid,
                         parent=fold(parent) if parent else None, spans=list(spans))
        doc.organizations[o.key] = o
        return o

    gov = org("استانداری قم", "governorate", "Qom Governorate", spans=[find(text, "استانداری قم")])
    deputy = org("معاونت سیاسی و امنیتی استانداری قم", "deputy",
                 "Political and Security Deputy of the Qom Governorate", parent="استانداری قم",
                 spans=[find(text, "معاونت سیاسی و امنیتی استانداری قم")])
    directorate = org("اداره کل امور اتباع و مهاجرین خارجی استان قم", "directorate",
                      "Directorate-General for Foreign Nationals and Immigrants Affairs of Qom Province")
    abna = org("خبرگزاری بین‌المللی اهل‌بیت (ع)", "news_agency", "AhlulBayt News Agency (ABNA)",
               gid="agency:abna", spans=[find(text, "خبرگزاری بینالمللی اهلبیت(ع)")])
    org("امارات اسلامی افغانستان", "foreign_government", "Islamic Emirate of Afghanistan",
        spans=[find(text, "امارات اسلامی افغانستان")])
    doc.publisher = abna.key

    def place(name, kind, en, gid, spans):
        p = Place(key=fold(name), name=name, kind=kind, en=en, gazetteer_id=gid, spans=spans)
        doc.places[p.key] = p
        return p

    province = place("استان قم", "province", "Qom Province", "province:qom",
                     [find(text, "استان قم", n) for n in (1, 2, 3)])
    qom_left = find(text, "قم را ترک کردند")[0]
    city = place("قم", "city", "Qom", "city:qom", [(qom_left, qom_left + 2)])
    place("افغانستان", "country", "Afghanistan", "country:af", [find(text, "افغانستان")])

    h_title = find(text, "سرپرست معاونت سیاسی و امنیتی استانداری قم")
    heydari = Person(
        key=fold("مرتضی حیدری"), name="مرتضی حیدری", honorifics=["دکتر"], en="Morteza Heydari",
        posts=[Post(title="سرپرست معاونت سیاسی و امنیتی استانداری قم", role="سرپرست", role_en="acting head",
                    organization=deputy.key, agency=gov.key, start=h_title[0], end=h_title[1])],
        spans=[find(text, "مرتضی حیدری", 1), find(text, "مرتضی حیدری", 2), find(text, "وی"),
               find(text, "سرپرست معاونت سیاسی و امنیتی استانداری قم", 2), find(text, "حیدری", 3)],
    )
    z_title = find(text, "مدیر کل امور اتباع و مهاجرین خارجی استان قم")
    zarei = Person(
        key=fold("علی اکبر زارعی"), name="علی اکبر زارعی", en="Ali Akbar Zarei",
        posts=[Post(title="مدیر کل امور اتباع و مهاجرین خارجی استان قم", role="مدیر کل",
                    role_en="director-general", organization=directorate.key, agency=directorate.key,
                    start=z_title[0], end=z_title[1])],
        spans=[find(text, "علی اکبر زارعی")],
    )
    doc.people = {heydari.key: heydari, zarei.key: zarei}

    # statements: from each speech cue to the end of its paragraph
    def statement(cue: str, speaker: str, nth: int = 1) -> None:
        cs, ce = find(text, cue, nth)
        end = text.find("\n", ce)
        doc.statements.append(Statement(start=ce + 1, end=end if end > 0 else len(text), speaker=speaker,
                                        cue=cue.strip(":"), cue_start=cs, cue_end=ce))

    statement("اظهار کرد:", heydari.key)
    statement("ادامه داد:", heydari.key)
    statement("تصریح کرد:", heydari.key)
    statement("افزود:", heydari.key, 2)
    statement("اظهار کرد:", zarei.key, 2)

    P, MW, PCT = "person", "MW", "percent"
    rows = [  # (number text, nth, value, unit, approx, direction, measure, period, place)
        ("۲۳۰ هزار نفر", 1, 230000, P, True, None, "اتباع خارجی ساکن استان قم", None, province),
        ("۱۲۰ کشور", 1, 120, "country", False, None, "کشورهای مبدأ اتباع خارجی ساکن قم", None, province),
        ("۱۵۸ هزار نفر", 1, 158000, P, False, None, "اتباع دارای مجوز اقامت قانونی", None, province),
        ("۱۸ هزار و ۷۰۰ نفر", 1, 18700, P, True, None, "اتباع غیرمجاز اخراج‌شده از استان", "1404", province),
        ("۱۲ هزار و ۹۷۳ نفر", 1, 12973, P, False, None, "اتباع غیرمجاز که خودمعرف قم را ترک کردند", "1404", city),
        ("۳۱ هزار و ۶۷۳ نفر", 1, 31673, P, False, None, "مجموع اتباع غیرمجاز که از استان قم رفتند",
         "سال جاری (1404)", province),
        ("۳۶ مگاوات", 1, 36, MW, False, None, "ظرفیت نیروگاه برق خورشیدی در آستانه افتتاح", None, province),
        ("۲۰۰ مگاوات", 1, 200, MW, True, None, "کسری برق استان", None, province),
        ("۲ هزار مگاوات", 1, 2000, MW, False, None, "مجوزهای صادرشده تولید برق خورشیدی", None, province),
        ("۳۱ درصدی", 1, 31, PCT, False, "decrease", "سرقت‌های مهم", "four", province),
        ("۳۷ درصدی", 1, 37, PCT, False, "decrease", "سرقت‌های خرد", "four", province),
        ("۶۸ درصدی", 1, 68, PCT, False, "decrease", "شرارت", "four", province),
        ("۱۱ درصدی", 1, 11, PCT, False, "decrease", "قاچاق سوخت", "four", province),
        ("۱۰ درصدی", 1, 10, PCT, False, "decrease", "تصادفات درون‌شهری", "four", province),
        ("۱۰ درصدی", 2, 10, PCT, False, "increase", "تصادفات برون‌شهری", "four", province),
        ("هیچ کدام", 1, 0, P, False, None,
         "اتباع خارجی ساکن استان که در جنگ ۱۲ روزه به جرم جاسوسی بازداشت شدند", "جنگ تحمیلی ۱۲ روزه", province),
    ]
    for phrase, nth, value, unit, approx, direction, measure, period, where in rows:
        s, e = find(text, phrase, nth)
        ss, se = sentence_of(text, s)
        zarei_speaks = value == 0
        claim = Claim(
            value=float(value), unit=unit, start=s, end=e, sentence_start=ss, sentence_end=se,
            measure=measure, approximate=approx, direction=direction,
            period="چهار ماه نخست سال جاری نسبت به سال گذشته" if period == "four" else period,
            baseline="سال گذشته" if period == "four" else None,
            place=where.key, speaker=(zarei if zarei_speaks else heydari).key,
            agency=(directorate if zarei_speaks else gov).key,
        )
        if period == "1404":
            claim.period_start, claim.period_end = "2025-03-21", "2026-03-20"
        doc.claims.append(claim)
    total = doc.claims[5]
    total.is_total, total.total_of, total.total_consistent = True, [3, 4], True
    doc.done = ["normalize", "segment", "ner", "resolve", "quantities", "claims"]
    return doc
