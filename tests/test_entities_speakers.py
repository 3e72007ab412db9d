"""Who speaks, for which body: rules that the fresh gold set (tests/data/fresh) showed were missing.

Each text here is written for the test; the names are invented.
"""

from __future__ import annotations

from conftest import BASE
from kg.document import Document, Metadata
from kg.pipeline import Config, Pipeline

PIPELINE = Pipeline(Config(ner="rules", base_iri=BASE))


def _run(body: str) -> Document:
    return PIPELINE(Document(id="t", text=body, metadata=Metadata(date="2025-11-20", publisher="ایرنا")))


def _claims(doc: Document) -> list[tuple[float, str | None, str | None]]:
    out = []
    for c in doc.claims:
        person = doc.people[c.speaker].name if c.speaker else None
        agency = doc.organizations[c.agency].name if c.agency else None
        out.append((c.value, person, agency))
    return out


def test_unknown_given_name_before_a_speech_verb_is_the_official_named_by_post():
    doc = _run(
        "به گزارش ایرنا، مدیرکل بهزیستی استان کردستان گفت: ۴۸ هزار خانوار زیر پوشش هستند.\n\n"
        "ژیار قادری‌پور افزود: ۳۷ هزار نفر معلول در استان شناسایی شده‌اند.\n"
    )
    assert {p.name for p in doc.people.values()} == {"ژیار قادری‌پور"}
    assert _claims(doc) == [(48000, "ژیار قادری‌پور", "اداره کل بهزیستی استان کردستان"),
                            (37000, "ژیار قادری‌پور", "اداره کل بهزیستی استان کردستان")]


def test_words_before_a_speech_verb_are_no_person_without_a_surname_shape():
    # "-ی" ends countless adjectives: "کارشناس اقتصادی" is not a name
    doc = _run("یک کارشناس اقتصادی گفت: ۳۰ درصد واحدها تعطیل شده‌اند.\n\nاین مقام مسئول گفت: ۱۲ واحد فعال است.\n")
    assert doc.people == {}


def test_a_member_of_parliament_for_several_places_speaks_for_the_parliament():
    doc = _run(
        "به گزارش ایرنا، کامران نیک‌سرشت نماینده مردم یزد، اشکذر و خاتم در مجلس شورای اسلامی گفت: "
        "۶۴ کیلومتر از این محور دوبانده شده است.\n"
    )
    assert _claims(doc) == [(64, "کامران نیک‌سرشت", "مجلس شورای اسلامی")]


def test_a_ministry_name_ends_where_the_gazetteer_name_ends():
    doc = _run("وی گفت: در نامه‌ای به وزیر راه و شهرسازی نوشتم که ۱۲۰ کیلومتر راه نیمه‌کاره است.\n")
    assert "وزارت راه و شهرسازی" in {o.name for o in doc.organizations.values()}
    assert not any("نوشتم" in o.name for o in doc.organizations.values())


def test_after_a_quote_closed_before_its_speaker_the_next_paragraph_is_the_reporters():
    doc = _run(
        "«۷۱ میلیون تن کالا در بنادر استان جابه‌جا شد»؛ این را بهرام صالحی‌فرد مدیرکل بنادر و دریانوردی "
        "استان هرمزگان امروز گفت.\n\n"
        "بندر شهید رجایی بزرگ‌ترین بندر کانتینری کشور است و حدود ۸۵ درصد عملیات کانتینری در آن انجام می‌شود.\n"
    )
    claims = _claims(doc)
    assert claims[0][:2] == (71_000_000, "بهرام صالحی‌فرد")
    assert claims[1] == (85, None, None)


def test_an_open_quote_still_carries_into_the_next_paragraph():
    doc = _run(
        "بهرام صالحی‌فرد مدیرکل بنادر و دریانوردی استان هرمزگان گفت: «۷۱ میلیون تن کالا جابه‌جا شد.\n\n"
        "۸۵ درصد این کالاها غیرنفتی بود.»\n"
    )
    assert [c[1] for c in _claims(doc)] == ["بهرام صالحی‌فرد", "بهرام صالحی‌فرد"]


def test_counted_people_and_subscribers():
    doc = _run("وی گفت: ۳۶۰۰ شالیکار و ۱۲ هزار پاکبان و ۱.۶ میلیون مشترک داریم.\n")
    assert [(c.value, c.unit) for c in doc.claims] == [(3600, "person"), (12000, "person"), (1_600_000, "count")]


def test_a_body_of_the_provincial_capital_is_named_by_the_capital():
    # the same prosecutor's office in two wordings is one organisation
    a = _run("کاوه نیسی‌پور دادستان عمومی و انقلاب مرکز استان خوزستان گفت: ۶۴۰ نفر بازداشت شدند.\n")
    b = _run("کاوه نیسی‌پور دادستان عمومی و انقلاب اهواز گفت: ۶۴۰ نفر بازداشت شدند.\n")
    assert _claims(a) == _claims(b) == [(640, "کاوه نیسی‌پور", "دادسرای عمومی و انقلاب اهواز")]
    assert set(a.organizations) == set(b.organizations)


def test_the_scorer_takes_both_wordings_of_the_capitals_body_as_one():
    from kg.evaluate import _agency_key

    assert _agency_key("دادسرای عمومی و انقلاب مرکز استان زنجان") == _agency_key("دادسرای عمومی و انقلاب زنجان")
    assert _agency_key("استانداری زنجان") != _agency_key("استانداری قم")


def test_a_figure_restated_with_a_longer_measure_is_one_claim():
    doc = _run("وی گفت:\n• فعالیت ۲۱۸ مهدکودک در استان\n\nوی افزود: از ۲۱۸ مهدکودک فعال، ۸۶ مهد در روستاها است.\n")
    assert [(c.value, len(c.evidence)) for c in doc.claims] == [(218, 1), (86, 0)]


def test_a_member_of_parliament_without_the_words_in_the_parliament():
    doc = _run("صمد ایمانی‌خواه نماینده مردم میاندوآب، شاهین‌دژ و تکاب و عضو کمیسیون اجتماعی مجلس گفت: "
               "بدهی دولت بیش از ۹۰۰ هزار میلیارد تومان است.\n")
    assert [c[1:] for c in _claims(doc)] == [("صمد ایمانی‌خواه", "مجلس شورای اسلامی")]


def test_a_body_cited_by_the_reporter_is_not_the_last_speaker():
    doc = _run(
        "سعید نارویی رئیس دانشگاه علوم پزشکی زاهدان گفت: ۳۴۰ مورد مالاریا ثبت شد.\n\n"
        "به گفته وزارت بهداشت، ۸۵ درصد موارد مالاریای کشور در این استان است.\n"
    )
    assert [c[:2] for c in _claims(doc)] == [(340, "سعید نارویی"), (85, None)]


def test_according_to_him_is_the_current_speaker():
    doc = _run("ناصر قاسملو رئیس سازمان جهاد کشاورزی استان آذربایجان غربی گفت: ۱۴ هزار هکتار آبیاری قطره‌ای شد. "
               "به گفته وی، حجم آب دریاچه ۲۶۰ میلیون مترمکعب بیشتر شده است.\n")
    assert [c[1] for c in _claims(doc)] == ["ناصر قاسملو", "ناصر قاسملو"]


def test_two_posts_joined_by_and_the_head_of_a_body_names_the_agency():
    doc = _run("نادر شه‌بخش معاون وزیر راه و شهرسازی و مدیرعامل شرکت راه‌آهن جمهوری اسلامی ایران گفت: "
               "۱۴ میلیون مسافر جابه‌جا شدند.\n")
    (person,) = doc.people.values()
    assert [p.role for p in person.posts] == ["مدیرعامل", "معاون"]
    assert _claims(doc)[0][2].startswith("شرکت راه")


def test_a_surname_that_is_also_a_county_name():
    doc = _run("سردار بهمن ملکشاهی فرمانده انتظامی استان لرستان گفت: ۱۲۵۰ نفر دستگیر شدند.\n")
    assert [c[1] for c in _claims(doc)] == ["بهمن ملکشاهی"]


def test_a_prosecutor_serves_a_city_not_the_province_of_the_same_name():
    doc = _run("حجت‌الاسلام کاوه نیسی‌پور دادستان عمومی و انقلاب کرمانشاه گفت: ۸۶۰ زندانی آزاد شدند.\n")
    assert _claims(doc)[0][2] == "دادسرای عمومی و انقلاب کرمانشاه"


def test_the_reporters_lead_and_a_second_official_restating_a_figure_add_no_claim():
    doc = _run(
        "جمعیت کیفری زندان‌های استان ۱۳ درصد کاهش یافته است.\n\n"
        "کاوه نیسی‌پور رئیس کل دادگستری استان مرکزی گفت: جمعیت کیفری زندان‌ها ۱۳ درصد کم شد.\n\n"
        "صمد دالوند مدیرکل زندان‌های استان مرکزی گفت: کاهش ۱۳ درصدی جمعیت کیفری نتیجه همکاری است و "
        "۲۱۰ زندانی آموزش دیدند.\n"
    )
    claims = _claims(doc)
    assert [c[:2] for c in claims] == [(13, "کاوه نیسی‌پور"), (210, "صمد دالوند")]
    assert len(doc.claims[0].evidence) == 2


def test_a_figure_after_a_demonstrative_was_given_before():
    doc = _run("وی گفت: سه نفر از گرمازدگان در بیمارستان بستری شدند و حال این سه بیمار رو به بهبود است.\n")
    assert [(c.value, c.unit) for c in doc.claims] == [(3, "person")]


def test_a_time_is_a_statistic_when_its_clause_says_it_is_measured():
    doc = _run("وی گفت: میانگین زمان رسیدگی به پرونده‌ها در دادگاه‌های حقوقی اراک از ۱۴۵ روز به ۹۸ روز کاهش یافت.\n")
    assert [(c.value, c.unit) for c in doc.claims] == [(145, "day"), (98, "day")]


def test_an_organisation_spelled_out_in_the_title_keeps_its_head_word():
    doc = _run("حمیدرضا شهمیرزادی رئیس سازمان مدیریت و برنامه‌ریزی استان سمنان گفت: ۹۲ طرح تمام شد.\n")
    assert _claims(doc)[0][2] == "سازمان مدیریت و برنامه‌ریزی استان سمنان"


def test_a_county_governorate_has_one_name():
    a = _run("حمید کعب‌عمیر فرماندار شهرستان دهلران گفت: ۱۴ روستا آب ندارند.\n")
    b = _run("حمید کعب‌عمیر فرماندار دهلران گفت: ۱۴ روستا آب ندارند.\n")
    assert _claims(a) == _claims(b) == [(14, "حمید کعب‌عمیر", "فرمانداری دهلران")]


def test_a_name_between_two_titles_holds_the_one_after_it():
    doc = _run("در واکنش به اظهارات مدیرکل حفاظت محیط زیست استان آذربایجان شرقی، بهمن اصلان‌پور مدیرعامل "
               "شرکت پتروشیمی تبریز گفت: انتشار آلاینده‌ها ۴۰ درصد کم شده است.\n")
    assert _claims(doc) == [(40, "بهمن اصلان‌پور", "شرکت پتروشیمی تبریز")]


def test_a_council_commission_member_speaks_for_the_council():
    doc = _run("جواد قلعه‌بانی عضو کمیسیون عمران و حمل‌ونقل شورای اسلامی شهر تهران گفت: ۳۸ ایستگاه آماده است.\n")
    assert _claims(doc) == [(38, "جواد قلعه‌بانی", "شورای اسلامی شهر تهران")]


def test_chairing_a_task_force_does_not_change_the_body_spoken_for():
    doc = _run("رحمان ملکشاهی‌راد معاون سیاسی، امنیتی و اجتماعی استاندار ایلام و رئیس ستاد اربعین استان گفت: "
               "۱.۹ میلیون زائر از مرز مهران تردد کردند.\n")
    assert _claims(doc)[0][2] == "استانداری ایلام"


def test_a_metropolitan_area_names_its_police():
    doc = _run("رحیم موسوی‌فر رئیس پلیس راهور تهران بزرگ گفت: ۴۱۲ نفر جان باختند.\n")
    assert _claims(doc)[0][2] == "پلیس راهور تهران بزرگ"


def test_days_of_a_kind_are_counted_and_a_criterion_after_a_count_is_not():
    doc = _run("وی گفت: هوای تبریز ۴۲ روز در وضعیت ناسالم بود و طی ۱۵ روز گذشته ۴۲۰ کلاس با بیش از ۳۵ دانش‌آموز "
               "شناسایی شد. ۱۲ درصد مشترکان بیش از دو برابر الگو مصرف می‌کنند.\n")
    assert [(c.value, c.unit) for c in doc.claims] == [(42, "day"), (420, "count"), (12, "percent")]


def test_answers_of_a_press_conference_belong_to_the_official_interviewed():
    doc = _run(
        "به گزارش ایرنا، دکتر کیومرث دیرکوندی معاون بهداشت وزارت بهداشت، درمان و آموزش پزشکی امروز به پرسش‌های "
        "خبرنگاران پاسخ داد.\n\n"
        "سوال: وضعیت واکسیناسیون چگونه است؟\n\n"
        "پاسخ: پوشش واکسیناسیون کودکان ۹۸.۴ درصد است.\n\n"
        "سوال: آمار سرخک چیست؟\n\n"
        "پاسخ: ۲۳۷ مورد قطعی سرخک ثبت شده است.\n"
    )
    assert [c[:2] for c in _claims(doc)] == [(98.4, "کیومرث دیرکوندی"), (237, "کیومرث دیرکوندی")]


def test_a_surname_whose_first_part_is_written_apart():
    doc = _run("یوسف قره خانلو رئیس جمعیت هلال احمر استان قم اظهار کرد: ۱۲ هزار و ۵۰۰ نفر عضو داوطلب هستند.\n")
    assert _claims(doc) == [(12500, "یوسف قره خانلو", "جمعیت هلال احمر استان قم")]


def test_a_club_is_a_body_of_its_own():
    doc = _run("کیومرث ابراهیم‌پور مدیرعامل باشگاه ملوان بندرانزلی گفت: بدهی باشگاه ۸۵ میلیارد تومان است.\n")
    assert _claims(doc)[0][2] == "باشگاه ملوان بندرانزلی"


def test_hours_without_power_are_counted():
    doc = _run("وی گفت: ۹ روستا ۱۴ ساعت قطعی برق داشتند.\n")
    assert [(c.value, c.unit) for c in doc.claims] == [(9, "village"), (14, "hour")]


def test_he_said_after_the_reporters_sentence_naming_him_and_what_follows():
    doc = _run(
        "به گزارش تسنیم، دکتر مهدی بسطامی‌نیا رئیس دانشگاه صنعتی شاهرود امروز گزارشی ارائه کرد.\n\n"
        "وی گفت: ۹ هزار و ۶۰۰ دانشجو در دانشگاه هستند. امسال ۲ هزار و ۲۵۰ دانشجوی جدید پذیرش شدند.\n"
    )
    assert [c[1] for c in _claims(doc)] == ["مهدی بسطامی‌نیا", "مهدی بسطامی‌نیا"]


def test_a_quote_split_into_sentences_belongs_to_the_one_named_after_it():
    doc = _run("«۱۸۶۰ نفر دستگیر شدند. این رقم ۹ درصد بیشتر است.» این را سردار عبدالرضا خدابنده‌لو "
               "فرمانده انتظامی استان زنجان امروز گفت.\n")
    assert [c[1] for c in _claims(doc)] == ["عبدالرضا خدابنده‌لو", "عبدالرضا خدابنده‌لو"]


def test_a_deputy_of_a_university_named_after_a_martyr_speaks_for_the_university():
    doc = _run("دکتر منیژه میرجلیلی معاون درمان دانشگاه علوم پزشکی شهید صدوقی یزد گفت: ۳۱۸۰ تخت فعال است.\n")
    assert _claims(doc)[0][2] == "دانشگاه علوم پزشکی شهید صدوقی یزد"


def test_a_fair_and_the_medical_council_are_bodies_of_their_own():
    doc = _run(
        "یونس آقاجانلو مدیر اجرایی نمایشگاه بین‌المللی کتاب تهران گفت: ۲ هزار و ۴۶۰ ناشر حضور داشتند.\n\n"
        "دکتر سیروان مرادویسی رئیس نظام پزشکی قزوین نیز گفت: ۴۵ پزشک مهاجرت کرده‌اند.\n"
    )
    claims = _claims(doc)
    assert claims[0] == (2460, "یونس آقاجانلو", "نمایشگاه بین‌المللی کتاب تهران")
    assert claims[1][1] == "سیروان مرادویسی" and "نظام پزشکی" in claims[1][2]


def test_a_compound_surname_with_a_surname_part_inside_it():
    doc = _run("معاون حمل‌ونقل و ترافیک شهرداری مشهد گفت: ۲۸۰ اتوبوس فعال است.\n\n"
               "علیرضا قاسم‌زاده‌طرقبه درباره عملکرد قطار شهری گفت: مترو ۳ میلیون مسافر جابه‌جا کرد.\n")
    assert [c[1] for c in _claims(doc)] == ["علیرضا قاسم‌زاده‌طرقبه", "علیرضا قاسم‌زاده‌طرقبه"]


def test_the_scorer_takes_the_provinces_chief_justice_office_in_both_wordings():
    from kg.evaluate import _agency_key

    assert _agency_key("دادگستری کل استان همدان") == _agency_key("دادگستری استان همدان")
