// Newsletter subscribe forms, progressively enhanced. The page is cached and identical for every
// reader, so the CSRF token comes from newsletters/state/ (uncached). Without this script the
// form still posts; the server then answers with the same form, the address kept, and a token.
(function () {
  "use strict";
  var tokenPromise = null;

  function token(form) {
    if (!tokenPromise) {
      tokenPromise = fetch(form.dataset.stateUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; });
    }
    return tokenPromise;
  }

  function setUp(form) {
    var status = form.querySelector("[data-nl-status]");
    var button = form.querySelector("button[type=submit]");
    form.dataset.ready = "1";
    function show(text) { status.textContent = text; status.hidden = !text; }
    function clearErrors() {
      form.querySelectorAll("[data-error-for]").forEach(function (el) { el.textContent = ""; });
      form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    }
    // Fetch the token as soon as the reader shows interest, not on every page view.
    form.addEventListener("focusin", function () { token(form); }, { once: true });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearErrors();
      show("جارٍ الإرسال…");
      button.disabled = true;
      // Two uncached state requests on a first visit (this form's and the comment form's) can
      // each set a new CSRF cookie, and the later cookie no longer matches the earlier token:
      // the server then refuses with status "error". Fetch a fresh token and send once more.
      function send(retried) {
        return token(form).then(function (state) {
          if (state) form.querySelector("[data-csrf]").value = state.csrf;
          return fetch(form.action, {
            method: "POST",
            body: new FormData(form),
            credentials: "same-origin",
            headers: { Accept: "application/json" }
          });
        }).then(function (response) {
          return response.json().then(function (data) { return { ok: response.ok, data: data }; });
        }).then(function (result) {
          if (!result.ok && result.data.status === "error" && !retried) {
            tokenPromise = null;
            return send(true);
          }
          return result;
        });
      }
      send(false).then(function (result) {
        var data = result.data;
        if (!result.ok) {
          if (data.errors) {
            Object.keys(data.errors).forEach(function (name) {
              var slot = form.querySelector("[data-error-for=" + name + "]");
              if (slot) slot.textContent = data.errors[name];
              var field = form.querySelector("[name=" + name + "]");
              if (field) field.setAttribute("aria-invalid", "true");
            });
          }
          if (data.status === "error") tokenPromise = null;
          show(data.message || "تعذّر الاشتراك. حاول مرة أخرى.");
          return;
        }
        show(data.message);
        form.classList.add("is-done");
      }).catch(function () {
        show("تعذّر الاتصال بالخادم. عنوانك محفوظ؛ حاول مرة أخرى.");
      }).then(function () { button.disabled = false; });
    });
  }

  function start() { document.querySelectorAll("[data-nl-form]").forEach(setUp); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
