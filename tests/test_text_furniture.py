"""Page furniture: related headlines, tag lines and bylines are no part of the article."""

from __future__ import annotations

from conftest import BASE
from kg.document import Document, Metadata
from kg.pipeline import Config, Pipeline
from kg.resources import load_table
from kg.text.furniture import furniture_spans

PAGE = (
    "گروه استان‌ها - خبرنگار: مریم آشتیانی‌پور | ۰۴ آذر ۱۴۰۴\n\n"
    "به گزارش ایرنا، کاوه نیسی‌پور مدیرکل بهزیستی استان مرکزی گفت: ۴۸ هزار خانوار زیر پوشش هستند.\n\n"
    "بیشتر بخوانید:\n"
    "آغاز کشت ۲۲ هزار هکتار گندم آبی در شهرستان شاهرود\n"
    "واگذاری ۱۲ پروژه گردشگری به بخش خصوصی\n\n"
    "وی افزود: ۳۷ هزار نفر معلول در استان شناسایی شده‌اند.\n\n"
    "اینفوگرافیک: ۷ خط، ۱۶۲ ایستگاه و ۲۷۰ کیلومتر\n"
    "منبع: روابط عمومی ۲۴\n"
    "برچسب‌ها: بهزیستی، ۱۴۰۴، استان مرکزی\n"
)


def test_the_lexicon_loads_with_known_kinds():
    assert {r["kind"] for r in load_table("furniture")} == {"related", "line"}


def test_spans_cover_the_headlines_tags_and_byline_not_the_article():
    spans = furniture_spans(PAGE)
    covered = "".join(PAGE[a:b] for a, b in spans)
    for part in ("آغاز کشت", "واگذاری ۱۲", "برچسب‌ها", "خبرنگار:", "اینفوگرافیک", "منبع:"):
        assert part in covered, part
    assert "۴۸ هزار" not in covered and "۳۷ هزار" not in covered


def test_read_more_inside_a_sentence_is_prose():
    text = "بیشتر بخوانید که چرا ۴۰ درصد واحدها تعطیل شدند و مدیران چه گفتند.\n"
    assert furniture_spans(text) == ()


def test_claims_and_sources_come_from_the_article_only():
    doc = Pipeline(Config(ner="rules", base_iri=BASE))(
        Document(id="t", text=PAGE, metadata=Metadata(date="2025-11-25", publisher="ایرنا")))
    assert sorted(c.value for c in doc.claims) == [37000, 48000]
    assert {p.name for p in doc.people.values()} == {"کاوه نیسی‌پور"}
