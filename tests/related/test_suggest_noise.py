"""Tag suggestions never offer time words, adverbs, numbers or sentence fragments (issue 15)."""

from __future__ import annotations

from akhbar.related.suggest import key_of, suggest

TITLE = "افتتاح محطة تحلية جديدة في الموصل بعد ثلاث سنوات من العمل"
BODY = (
    "افتتحت محافظة نينوى صباح اليوم محطة تحلية المياه في الموصل، إيذاناً بانتهاء أزمة "
    "العطش التي استمرت ثلاث سنوات. وقال المدير إن المحطة تنتج 40 ألف متر مكعب يومياً، "
    "وإن تشغيلها استغرق عشرين دقيقة فقط. وتبدأ توزيع البطاقات على السكان خلال أسبوع. "
    "وتنتج محطة تحلية المياه ما يكفي نصف المدينة تقريباً. محطة تحلية المياه هي الأكبر."
)
NOISE = {"دقيقة", "إيذاناً", "ثلاث سنوات", "سنوات", "يومياً", "تقريباً", "أسبوع", "صباح"}


def test_no_time_words_adverbs_numbers_or_fragments():
    labels = [s.label for s in suggest(TITLE, BODY, 10)]
    assert labels, "the story has real topics to suggest"
    noise_keys = {key_of(w) for w in NOISE}
    for label in labels:
        assert key_of(label) not in noise_keys, label
        assert not any(ch.isdigit() for ch in label), label
        assert not label.startswith(("تبدأ", "تنتج", "يكلف")), label
    assert any("الموصل" in label for label in labels)
    assert any("تحلية" in label for label in labels)


def test_vocabulary_first_new_tags_only_when_salient():
    # An established vocabulary (ESTABLISHED_VOCABULARY tags) switches on the strict rule.
    tags = ["الموصل", "المياه", "نينوى", "الكهرباء", *(f"وسم {n}" for n in range(60))]
    got = suggest(TITLE, BODY, 5, tags=tags)
    kinds = [s.kind for s in got]
    assert {s.label for s in got if s.kind == "tag"} >= {"الموصل", "المياه"}
    assert "الكهرباء" not in {s.label for s in got}  # never mentioned
    assert kinds.count("phrase") + kinds.count("place") <= 1
    # The new tag offered is the story's repeated subject, not a passing phrase.
    new = [s.label for s in got if s.kind != "tag"]
    assert all("تحلية" in label for label in new)


def test_suggestions_offer_a_renamed_tag_by_its_new_name(db):
    """Tag names are kept per process; a rename (same count, same ids) must still show."""
    from akhbar.newsroom.models import Tag
    from akhbar.related.services import suggest_tags

    tag = Tag.objects.create(name="الموصل القديمة", slug="old-mosul")
    Tag.objects.create(name="المياه", slug="water")
    assert "الموصل" not in {s.label for s in suggest_tags(TITLE, BODY) if s.kind == "tag"}
    tag.name = "الموصل"
    tag.save()
    assert "الموصل" in {s.label for s in suggest_tags(TITLE, BODY) if s.kind == "tag"}
