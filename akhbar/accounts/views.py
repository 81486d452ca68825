"""Sign-in steps around Django's admin login: the second factor, and password reset by email.

Templates extend ``admin/base_site.html``, so the admin's theme applies to them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from akhbar.accounts import twofactor
from akhbar.audit.public import record
from akhbar.core.net import client_ip


class CodeForm(forms.Form):
    token = forms.CharField(
        label="رمز التحقق",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("admin:index")


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), "next": _next(request), **extra}


@never_cache
@staff_member_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or one recovery code."""
    user = request.user
    # django_otp's OTPMiddleware gives the user is_verified() (staff_member_required: a user).
    if user.is_verified() or not twofactor.has_device(user):  # type: ignore[union-attr]
        return HttpResponseRedirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        found = twofactor.verify(user, form.cleaned_data["token"])
        if found is not None:
            device, kind = found
            otp_login(request, device)
            if kind == "recovery":
                record("recovery_code_used", actor=user, target=user)
            return HttpResponseRedirect(_next(request))
        record("two_factor_failed", actor=user, target=user)
        form.add_error("token", "الرمز غير صحيح أو انتهت صلاحيته. جرّب الرمز الحالي من التطبيق.")
    return render(
        request,
        "accounts/2fa_verify.html",
        _context(request, form=form, title="التحقق بخطوتين"),
    )


@never_cache
@staff_member_required
def setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: scan the code, type one code to confirm, keep the recovery
    codes. Someone already using two factors must be verified to change them."""
    user = request.user
    # django_otp's OTPMiddleware gives the user is_verified() (staff_member_required: a user).
    if twofactor.has_device(user) and not user.is_verified():  # type: ignore[union-attr]
        return HttpResponseRedirect(f"{reverse('accounts:2fa-verify')}?next={request.path}")
    form = CodeForm(request.POST or None)
    device = None
    if request.method == "POST":
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if (
            device is not None
            and form.is_valid()
            and device.verify_token("".join(form.cleaned_data["token"].split()))
        ):
            device.confirmed = True
            device.save()
            TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
            codes = twofactor.new_recovery_codes(user)
            otp_login(request, device)
            record("two_factor_enabled", actor=user, target=user)
            return render(
                request,
                "accounts/2fa_codes.html",
                _context(request, codes=codes, title="رموز الاسترداد"),
            )
        if form.is_valid():
            form.add_error("token", "الرمز غير صحيح. تأكد من ضبط الوقت في هاتفك وجرّب مجدداً.")
    if device is None:
        device = twofactor.pending_totp(user)
    return render(
        request,
        "accounts/2fa_setup.html",
        _context(
            request,
            form=form,
            qr=twofactor.qr_data_uri(device),
            secret=twofactor.secret_text(device),
            required=twofactor.required_for(user),
            title="إعداد التحقق بخطوتين",
        ),
    )


RESET_LIMIT = 5
RESET_WINDOW = 3600


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset (signed, expiring one-use link by email) in Arabic, with a limit on
    requests per address and per email, so the form cannot be used to flood a mailbox."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")
    extra_context = {"title": "إعادة تعيين كلمة المرور"}

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"].strip().lower()
        keys = [f"akhbar:pwreset:ip:{client_ip(self.request)}", f"akhbar:pwreset:email:{email}"]
        over = False
        for key in keys:
            cache.add(key, 0, RESET_WINDOW)
            try:
                over |= cache.incr(key) > RESET_LIMIT
            except ValueError:
                cache.set(key, 1, RESET_WINDOW)
        record("password_reset_requested", actor=None, target_repr=email[:300], limited=over)
        if over:
            # Same answer as a sent mail: the page never tells whether an address exists.
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html",
    extra_context={"title": "أُرسلت رسالة إعادة التعيين"},
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("password_reset_complete"),
    extra_context={"title": "كلمة مرور جديدة"},
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html",
    extra_context={"title": "تم تغيير كلمة المرور"},
)
