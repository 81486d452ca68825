"""Who may manage which account: the rules behind the user admin, in one place.

A superuser may do anything. Anyone else who holds the user permissions (the "مدير الموقع"
role) manages accounts only *within* what they could grant: the groups whose permissions they
hold themselves, minus any group that manages accounts (so an administrator cannot make
another administrator, which would let two of them escalate each other). They never see or
edit a superuser, never grant superuser status or individual permissions, and on their own
account change only their name, email and password.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db.models import QuerySet

ACCOUNT_APP = "auth"


def assignable_groups(actor: Any) -> QuerySet[Group]:
    """The groups ``actor`` may put people into."""
    if actor.is_superuser:
        return Group.objects.all()
    held = actor.get_all_permissions()
    allowed = []
    for group in Group.objects.prefetch_related("permissions__content_type"):
        codes = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        if any(code.startswith(f"{ACCOUNT_APP}.") for code in codes):
            continue  # groups that manage accounts are granted by superusers only
        if codes <= held:
            allowed.append(group.pk)
    return Group.objects.filter(pk__in=allowed)


def can_manage(actor: Any, target: Any) -> bool:
    """Whether ``actor`` may change or delete ``target``'s account (their own account is
    the admin's business: name, email and password only)."""
    if actor.is_superuser:
        return True
    if target is None:
        return True
    if target.is_superuser or target.user_permissions.exists():
        return False
    allowed = set(assignable_groups(actor).values_list("pk", flat=True))
    return set(target.groups.values_list("pk", flat=True)) <= allowed
