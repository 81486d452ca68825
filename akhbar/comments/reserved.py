"""Names a reader may not comment under: the newsroom's own (site name, «فريق التحرير»…),
staff and authors' names, compared by look-alike skeleton (:mod:`akhbar.arabic.confusables`),
so «فریق التحریر» with Persian letters or «Аdmin» with a Cyrillic А are refused too."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache

from akhbar.arabic.confusables import skeleton
from akhbar.core.conf import akhbar_settings

# Titles nobody outside the newsroom may use; also refused inside a longer name
# («فريق التحرير الرسمي»).
TITLES = (
    "فريق التحرير", "هيئة التحرير", "أسرة التحرير", "رئيس التحرير", "رئيسة التحرير",
    "مدير التحرير", "إدارة الموقع", "إدارة التحرير", "المحرر", "المحررة", "المشرف", "المشرفة",
    "الإدارة", "admin", "administrator", "moderator", "editor", "staff",
)  # fmt: skip
CACHE_KEY = "akhbar:comments:reserved-names"
CACHE_SECONDS = 300
MESSAGE = "هذا الاسم محجوز لفريق الموقع؛ اكتب اسمك أنت."


def _names() -> tuple[frozenset[str], frozenset[str]]:
    """(titles, people) as skeletons; people match exactly, titles also inside a name."""
    cached = cache.get(CACHE_KEY)
    if cached is not None:
        return cached
    titles = {skeleton(t) for t in (*TITLES, *akhbar_settings.reserved_names)}
    try:
        site = apps.get_model("site", "SiteSettings").current()
        titles.add(skeleton(site.site_name))
    except LookupError:
        pass
    people: set[str] = set()
    author = apps.get_model("newsroom", "Author")
    people.update(skeleton(n) for n in author.objects.values_list("display_name", flat=True))
    for username, first, last in (
        get_user_model()
        .objects.filter(is_staff=True)
        .values_list("username", "first_name", "last_name")
    ):
        people.add(skeleton(username))
        if first or last:
            people.add(skeleton(f"{first} {last}"))
    result = (frozenset(t for t in titles if t), frozenset(p for p in people if p))
    cache.set(CACHE_KEY, result, CACHE_SECONDS)
    return result


def is_reserved(name: str) -> bool:
    """Whether ``name`` looks like a name reserved for the newsroom."""
    key = skeleton(name)
    if not key:
        return False
    titles, people = _names()
    if key in titles or key in people:
        return True
    return any(len(title) >= 5 and title in key for title in titles)


def forget() -> None:
    """Drop the cached list: a new author or site name counts at once (comments.subscribers)."""
    cache.delete(CACHE_KEY)
