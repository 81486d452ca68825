/* Tag suggestions on the article form (admin). Vanilla JS, no dependencies.
 *
 * Load it from the article ModelAdmin's Media:  js = ["related/tag_suggestions.js"]
 * It adds a "اقترح وسوماً" button under the tags field, posts the title and body to
 * data-url (default /admin/related/tag-suggestions/) and shows each suggestion as a button;
 * clicking one selects the matching tag in the tags <select multiple> (or adds an option
 * marked for creation when the tag does not exist yet: its name is also appended to a
 * comma-separated text input named "new_tags" if the form has one).
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

  function fold(text) {
    return (text || "").replace(/[\u064B-\u065F\u0670\u0640]/g, "")
      .replace(/[أإآ]/g, "ا").replace(/ى/g, "ي").replace(/ة/g, "ه").trim();
  }

  function bodyText() {
    var field = document.getElementById("id_body");
    return field ? field.value : "";
  }

  function addTag(select, label) {
    if (select) {
      for (var i = 0; i < select.options.length; i++) {
        if (fold(select.options[i].text) === fold(label)) {
          select.options[i].selected = true;
          select.dispatchEvent(new Event("change", { bubbles: true }));
          return true;
        }
      }
    }
    var extra = document.querySelector("input[name=new_tags]");
    if (extra) {
      var names = extra.value.split(/[,،]/).map(function (s) { return s.trim(); }).filter(Boolean);
      if (names.indexOf(label) === -1) names.push(label);
      extra.value = names.join("، ");
      return true;
    }
    return false;
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
        if (addTag(select, s.label)) {
          b.disabled = true;
        } else {
          b.title = "أضف هذا الوسم من صفحة الوسوم أولاً";
        }
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
