/* The reporters' posting screen: keep a draft while typing (every few seconds, per reporter),
   send the entry in place and clear the box; the plain form still works without this. */
(function () {
  "use strict";
  var form = document.querySelector("[data-reporter-form]");
  if (!form) return;
  var status = form.querySelector("[data-reporter-status]");
  var list = document.querySelector("[data-reporter-entries]");
  var draftUrl = form.getAttribute("data-draft-url");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var dirty = false;
  var sending = false;

  function say(text) { status.textContent = text; }

  function saveDraft() {
    if (!dirty) return;
    dirty = false;
    var body = new FormData();
    body.append("text", form.elements.text.value);
    body.append("title", form.elements.title.value);
    fetch(draftUrl, { method: "POST", body: body, headers: { "X-CSRFToken": csrf }, credentials: "same-origin" })
      .then(function (r) { if (r.ok) say("حُفظت المسودة."); })
      .catch(function () { dirty = true; });
  }

  form.querySelectorAll("[data-draft]").forEach(function (el) {
    el.addEventListener("input", function () { dirty = true; });
  });
  setInterval(saveDraft, 4000);

  form.addEventListener("submit", function (event) {
    if (sending) { event.preventDefault(); return; }
    event.preventDefault();
    sending = true;
    say("جارٍ النشر…");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json", "X-CSRFToken": csrf },
      credentials: "same-origin",
    })
      .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
      .then(function (res) {
        if (!res.ok) { say(res.data.error || "تعذّر النشر. حاول مرة أخرى."); return; }
        var item = document.createElement("li");
        item.innerHTML = res.data.html;
        list.insertBefore(item, list.firstElementChild);
        var empty = list.querySelector(".reporter__empty");
        if (empty) empty.remove();
        form.reset();
        dirty = false;
        say("نُشر المدخل.");
        form.elements.text.focus();
      })
      .catch(function () { say("انقطع الاتصال؛ النص باقٍ في المربع. حاول مرة أخرى."); })
      .then(function () { sending = false; });
  });
})();
