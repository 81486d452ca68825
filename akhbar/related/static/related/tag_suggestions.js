/* Tag suggestions on the article form (admin). Vanilla JS, no dependencies.
 *
 * Load it from the article ModelAdmin's Media:  js = ["related/tag_suggestions.js"]
 * It adds a "اقترح وسوماً" button under the tags field, posts the title and body to
 * data-url (default /admin/related/tag-suggestions/) and shows each suggestion as a button;
 * clicking one selects that tag in the tags field, creating the tag first (tags/ensure/)
 * when it is a place name or key phrase that has no tag yet.
 */
(function () {
  "use strict";

  var URL = (document.currentScript && document.currentScript.dataset.url) ||
    "/admin/related/tag-suggestions/";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  function bodyText() {
    var field = document.getElementById("id_body");
    return field ? field.value : "";
  }

  function selectOption(select, id, label) {
    var value = String(id);
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) {
        select.options[i].selected = true;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        return;
      }
    }
    // The admin's autocomplete widget only holds the selected tags as options.
    select.appendChild(new Option(label, value, true, true));
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // Resolves with true once the tag is selected in the form (creating it if it is new).
  function addTag(select, suggestion) {
    if (!select) return Promise.resolve(false);
    if (suggestion.id) {
      selectOption(select, suggestion.id, suggestion.label);
      return Promise.resolve(true);
    }
    var data = new FormData();
    data.append("name", suggestion.label);
    return fetch(URL.replace(/tag-suggestions\/$/, "tags/ensure/"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    })
      .then(function (r) { return r.json(); })
      .then(function (json) {
        if (!json.id) return false;
        selectOption(select, json.id, json.name);
        return true;
      })
      .catch(function () { return false; });
  }

  function render(box, select, suggestions) {
    box.textContent = "";
    if (!suggestions.length) {
      box.textContent = "لا توجد اقتراحات.";
      return;
    }
    suggestions.forEach(function (s) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "button related-suggestion related-suggestion--" + s.kind;
      b.textContent = s.label;
      b.title = { tag: "وسم موجود", place: "مكان", phrase: "عبارة مفتاحية" }[s.kind] || "";
      b.style.margin = "2px";
      b.addEventListener("click", function () {
        b.disabled = true;
        addTag(select, s).then(function (added) {
          if (!added) {
            b.disabled = false;
            b.title = "تعذّرت إضافة الوسم؛ أضفه من صفحة الوسوم.";
          }
        });
      });
      box.appendChild(b);
    });
  }

  function init() {
    var select = document.getElementById("id_tags");
    var anchor = (select && select.closest(".form-row")) || document.getElementById("id_title");
    if (!anchor) return;
    var wrap = document.createElement("div");
    wrap.className = "related-tag-suggestions";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = "اقترح وسوماً";
    var box = document.createElement("div");
    box.setAttribute("aria-live", "polite");
    wrap.appendChild(button);
    wrap.appendChild(box);
    anchor.parentNode.insertBefore(wrap, anchor.nextSibling);

    button.addEventListener("click", function () {
      var title = document.getElementById("id_title");
      var data = new FormData();
      data.append("title", title ? title.value : "");
      data.append("body", bodyText());
      box.textContent = "…";
      fetch(URL, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() },
      })
        .then(function (r) { return r.json(); })
        .then(function (json) {
          if (json.error) { box.textContent = json.error; return; }
          render(box, select, json.suggestions || []);
        })
        .catch(function () { box.textContent = "تعذّر جلب الاقتراحات."; });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
