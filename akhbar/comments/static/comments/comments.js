// Comments, progressively enhanced. Without this script the form still posts (a confirmation
// page supplies the token the cached article page cannot carry).
(function () {
  "use strict";
  var section = document.querySelector("[data-comments]");
  if (!section) return;
  var form = section.querySelector("[data-comment-form]");
  var list = section.querySelector("[data-comment-list]");
  var respond = section.querySelector("#respond");
  var stateLoaded = null;

  function loadState() {
    if (stateLoaded) return stateLoaded;
    stateLoaded = fetch(section.dataset.stateUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) {
        if (!state) return null;
        if (form) {
          form.querySelector("[data-csrf]").value = state.csrf;
          form.querySelector("[data-ts]").value = state.ts;
          ["name", "email", "url"].forEach(function (k) {
            var field = form.querySelector("[name=author_" + k + "]");
            if (field && !field.value && state["remember_" + k]) field.value = state["remember_" + k];
          });
          if (state.remember_email) form.querySelector("[name=remember]").checked = true;
        }
        if (state.pending_html && list) {
          var tpl = document.createElement("template");
          tpl.innerHTML = state.pending_html;
          Array.prototype.forEach.call(tpl.content.children, function (node) {
            if (!document.getElementById(node.id)) list.appendChild(node);
          });
        }
        return state;
      })
      .catch(function () { return null; });
    return stateLoaded;
  }
  loadState();
  if (!form) return;

  var status = form.querySelector("[data-form-status]");
  var parentInput = form.querySelector("[data-parent]");
  var replying = form.querySelector("[data-replying]");

  function showStatus(text) {
    status.textContent = text;
    status.hidden = !text;
  }
  function clearErrors() {
    form.querySelectorAll("[data-error-for]").forEach(function (el) { el.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
  }

  section.addEventListener("click", function (event) {
    var link = event.target.closest("[data-reply-to]");
    if (link) {
      event.preventDefault();
      parentInput.value = link.dataset.replyTo;
      link.closest(".comment__body").after(respond);
      replying.hidden = false;
      form.querySelector("textarea").focus();
      return;
    }
    if (event.target.closest("[data-cancel-reply]")) {
      event.preventDefault();
      parentInput.value = "";
      replying.hidden = true;
      section.appendChild(respond);
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearErrors();
    showStatus("جارٍ الإرسال…");
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    // Two uncached state requests on a first visit (this form's and the newsletter box's)
    // can each set a new CSRF cookie, and the later cookie no longer matches the earlier
    // token: the server then refuses with status "error". Fetch a fresh token and send once
    // more, so the reader need not press twice (as newsletters.js does).
    function send(retried) {
      return loadState().then(function () {
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
          stateLoaded = null;
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
            var field = form.querySelector("[name=" + name + "]");
            if (slot) slot.textContent = data.errors[name][0];
            if (field) field.setAttribute("aria-invalid", "true");
          });
          showStatus(data.errors.parent ? data.errors.parent[0] : "يرجى تصحيح الأخطاء المشار إليها.");
        } else {
          showStatus(data.message || "تعذّر إرسال التعليق. نصّك محفوظ؛ حاول مرة أخرى.");
          if (result.data.status === "error") { stateLoaded = null; loadState(); }
        }
        return;
      }
      if (data.html) {
        var tpl = document.createElement("template");
        tpl.innerHTML = data.html.trim();
        var node = tpl.content.firstElementChild;
        var parent = data.parent && document.getElementById("comment-" + data.parent);
        if (parent) {
          var children = parent.querySelector(":scope > .comment-children");
          if (!children) {
            children = document.createElement("ol");
            children.className = "comment-children";
            parent.appendChild(children);
          }
          children.appendChild(node);
        } else {
          list.appendChild(node);
        }
        node.scrollIntoView({ block: "nearest" });
      }
      form.querySelector("textarea").value = "";
      parentInput.value = "";
      replying.hidden = true;
      if (respond.parentElement !== section) section.appendChild(respond);
      showStatus(data.message);
    }).catch(function () {
      showStatus("تعذّر الاتصال بالخادم. نصّك محفوظ؛ حاول مرة أخرى.");
    }).then(function () {
      button.disabled = false;
    });
  });
})();
