"""People and taxonomy: WordPress authors, categories and tags as Akhbar's.

Posts name their author by login and their terms by nicename, and may name ones the export
never declared; :class:`Taxonomy` creates those on the fly and keeps small id maps (never of
posts) so each post costs no lookups.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import unquote

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from akhbar.importers.wordpress.common import AUTHOR, CATEGORY, TAG, clip, slug
from akhbar.importers.wordpress.records import RecordBook
from akhbar.importers.wxr import WxrAuthor, WxrCategory, WxrTag
from akhbar.newsroom.models import Author, Category, Tag, unique_slug

UNCATEGORISED_SLUG = "uncategorized"
UNCATEGORISED_NAME = "غير مصنّف"


def unique_username(user_model: Any, wanted: str) -> str:
    """``wanted``, or ``wanted-wp``, ``wanted-wp2``… when an account already has the name."""
    wanted = wanted or "wp-author"
    taken = set(
        user_model.objects.filter(username__startswith=wanted[:140]).values_list(
            "username", flat=True
        )
    )
    if wanted not in taken:
        return wanted
    for n in range(1, 10_000):
        candidate = f"{wanted[:140]}-wp{n if n > 1 else ''}"
        if candidate not in taken:
            return candidate
    raise ValueError(f"no free username for {wanted!r}")


def term_key(nicename: str) -> str:
    """A term reference's key: its nicename decoded, as the declared terms are keyed."""
    return unquote(nicename or "", errors="replace").strip()


class Taxonomy:
    """Authors, categories and tags of one run, and the id maps that make posts cheap.

    The maps may hold ids written in a transaction that then rolled back: whoever rolls
    one back calls :meth:`forget`.
    """

    def __init__(self, book: RecordBook, *, author_map: dict[str, str] | None = None) -> None:
        self.book = book
        self.report = book.report
        # WXR login -> existing username (--map-author): the only way an import credits an
        # account that already exists.
        self.author_map = dict(author_map or {})
        self._authors: dict[str, int] = {}
        self._users_by_wp_id: dict[int, int] = {}
        self._categories: dict[str, int] = {}
        self._tags: dict[str, int] = {}
        self._contributor_group: Group | None = None
        self._contributor_known = False

    def forget(self) -> None:
        """Ids cached during a failed transaction may have been rolled back with it."""
        self._authors.clear()
        self._users_by_wp_id.clear()
        self._categories.clear()
        self._tags.clear()

    # --- authors ----------------------------------------------------------------------------

    def _contributor(self) -> Group | None:
        """The contributor group new accounts join (looked up once; may not exist)."""
        if not self._contributor_known:
            try:
                from akhbar.newsroom import public as roles

                names = [roles.group_name(roles.CONTRIBUTOR), roles.CONTRIBUTOR]
            except (ImportError, AttributeError, KeyError):
                names = ["contributor"]
            self._contributor_group = Group.objects.filter(name__in=names).first()
            self._contributor_known = True
        return self._contributor_group

    def import_author(self, author: WxrAuthor) -> Author | None:
        """The profile for one ``wp:author``. An import never changes an existing account:
        a login equal to an existing username gets a *new*, unique, inactive contributor,
        unless ``author_map`` (``--map-author LOGIN=USER``) names the account to credit."""
        login = author.login.strip()
        if not login:
            self.report.skip(AUTHOR, "no login")
            return None
        item = self.book.find(AUTHOR, login)
        profile = self.book.target(item, Author)
        user = profile.user if profile is not None and profile.user_id else None
        mapped = False
        if user is None:
            user, mapped = self._account(login, author)
        profile = self._profile(login, author, profile, user, mapped=mapped)
        self.book.remember(item, AUTHOR, login, profile, wp_id=author.id)
        self.report.count(AUTHOR, created=item is None)
        self._authors[login] = profile.pk
        if author.id is not None:
            self._users_by_wp_id[author.id] = user.pk
        self.book.legacy(profile, extra=(f"{self.book.base_path}/author/{unquote(login)}",))
        return profile

    def _account(self, login: str, author: WxrAuthor) -> tuple[Any, bool]:
        """The account to credit, and whether ``--map-author`` named it (else a new one)."""
        user_model = get_user_model()
        if login in self.author_map:
            user = user_model.objects.filter(username=self.author_map[login]).first()
            if user is not None:
                return user, True
            self.report.warn(
                f"--map-author {login}={self.author_map[login]}: no such user; "
                "a new inactive contributor was created instead"
            )
        user = user_model(
            username=unique_username(user_model, clip(login, 150)),
            email=clip(author.email, 254),
            first_name=clip(author.first_name, 150),
            last_name=clip(author.last_name, 150),
            # Inactive until someone in the newsroom vouches for the account.
            is_active=False,
            is_staff=True,
        )
        user.set_unusable_password()
        user.save()
        if (group := self._contributor()) is not None:
            user.groups.add(group)
        return user, False

    @staticmethod
    def _profile(
        login: str, author: WxrAuthor, profile: Author | None, user: Any, *, mapped: bool
    ) -> Author:
        """The account's public profile, named as the export names the author."""
        display = (author.display_name or "").strip() or login
        mapped_profile = False
        if profile is None:
            profile = Author.objects.filter(user=user).first()
            mapped_profile = profile is not None and mapped
        if profile is None:
            profile = Author(user=user)
            profile.slug = unique_slug(Author, slug(login, 140) or display, None, 140)
        if not mapped_profile:
            # The existing writer's public profile stays as the newsroom wrote it.
            profile.display_name = clip(display, 120)
            profile.save()
        return profile

    def author_for(self, login: str) -> int | None:
        """The Author for a post's ``dc:creator``, created on the fly when undeclared."""
        login = login.strip()
        if not login:
            return None
        if login in self._authors:
            return self._authors[login]
        item = self.book.find(AUTHOR, login)
        if item is not None and item.object_id:
            self._authors[login] = item.object_id
            return item.object_id
        profile = self.import_author(WxrAuthor(None, login, "", login, "", ""))
        return profile.pk if profile else None

    def user_for(self, wp_user_id: int | None) -> int | None:
        """The account of a declared author, by WordPress user id (comments name it so)."""
        return self._users_by_wp_id.get(wp_user_id) if wp_user_id else None

    # --- categories -------------------------------------------------------------------------

    def import_category(self, cat: WxrCategory) -> Category | None:
        """One ``wp:category``; its parent is set now if known, else by the link pass."""
        key = term_key(cat.nicename) or slug(cat.name, 120)
        if not key:
            self.report.skip(CATEGORY, "no nicename")
            return None
        item = self.book.find(CATEGORY, key)
        obj = self.book.target(item, Category)
        wanted = slug(key, 120) or slug(cat.name, 120) or "category"
        if obj is None:
            obj = Category.objects.filter(slug=wanted).first()
        created = obj is None
        if obj is None:
            obj = Category(slug=unique_slug(Category, wanted, None, 120))
        obj.name = clip(html.unescape(cat.name).strip() or key, 100)
        obj.description = cat.description or obj.description
        parent_key = term_key(cat.parent_nicename)
        parent_pk = self.category_pk(parent_key) if parent_key else None
        if parent_pk and parent_pk != obj.pk:
            obj.parent_id = parent_pk
        obj.save()
        self.book.remember(
            item,
            CATEGORY,
            key,
            obj,
            wp_id=cat.term_id,
            data={"parent": parent_key} if parent_key else {},
            needs_linking=bool(parent_key),  # the full /category/a/b/ path needs the chain
        )
        self.report.count(CATEGORY, created=created and item is None)
        self._categories[key] = obj.pk
        extra = [f"{self.book.base_path}/category/{key}"]
        if cat.term_id is not None:
            extra.append(f"?cat={cat.term_id}")
        self.book.legacy(obj, extra=extra)
        return obj

    def category_pk(self, key: str) -> int | None:
        """The category imported under ``key`` (this run or an earlier one), if any."""
        if key in self._categories:
            return self._categories[key]
        item = self.book.find(CATEGORY, key)
        if item is not None and item.object_id:
            self._categories[key] = item.object_id
            return item.object_id
        return None

    def uncategorised(self) -> int:
        """The category of posts without one (an Akhbar article always has a section)."""
        pk = self.category_pk(UNCATEGORISED_SLUG)
        if pk is None:
            obj = Category.objects.filter(slug=UNCATEGORISED_SLUG).first()
            if obj is None:
                obj = Category.objects.create(name=UNCATEGORISED_NAME, slug=UNCATEGORISED_SLUG)
            pk = self._categories[UNCATEGORISED_SLUG] = obj.pk
        return pk

    # --- tags -------------------------------------------------------------------------------

    def import_tag(self, tag: WxrTag) -> Tag | None:
        key = term_key(tag.slug) or slug(tag.name, 120)
        if not key:
            self.report.skip(TAG, "no slug")
            return None
        return self._tag(key, tag.name, tag.term_id, declared=True)

    def _tag(self, key: str, name: str, term_id: int | None, *, declared: bool) -> Tag:
        """The tag for ``key``: an existing one of that slug or name is reused, not doubled.

        Only a declared ``wp:tag`` renames a tag and counts in the report; a post's mere
        reference does neither unless it creates the tag.
        """
        item = self.book.find(TAG, key)
        obj = self.book.target(item, Tag)
        name = clip(html.unescape(name or "").strip() or key, 100)
        wanted = slug(key, 120) or slug(name, 120) or "tag"
        if obj is None:
            obj = Tag.objects.filter(slug=wanted).first() or Tag.objects.filter(name=name).first()
        created = obj is None
        if obj is None:
            obj = Tag(name=name, slug=unique_slug(Tag, wanted, None, 120))
            obj.save()
        elif declared and obj.name != name and not Tag.objects.filter(name=name).exists():
            obj.name = name
            obj.save()
        self.book.remember(item, TAG, key, obj, wp_id=term_id)
        if declared or created:
            self.report.count(TAG, created=created)
        self._tags[key] = obj.pk
        self.book.legacy(obj, extra=(f"{self.book.base_path}/tag/{key}", f"?tag={key}"))
        return obj

    def tag_pk(self, key: str, name: str) -> int:
        """The tag a post refers to, created on the fly when undeclared."""
        if key in self._tags:
            return self._tags[key]
        return self._tag(key, name, None, declared=False).pk
