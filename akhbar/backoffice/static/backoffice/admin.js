/* Akhbar newsroom admin helpers (every admin page; no dependencies, no inline script).
 *
 * - Arabic messages for the browser's own form validation (it speaks the browser's
 *   language otherwise: "Please fill out this field.").
 * - Live character counters on fields with data-counter (title <= 60 for search engines,
 *   description <= 160).
 * - The image input: the chosen file's name and a thumbnail before upload.
 * - New tags typed and created inline next to the tags field (POST related's tags/ensure/).
 */
(function () {
  "use strict";

  // --- Arabic validation messages ------------------------------------------------------
  function arabicMessage(el) {
    var v = el.validity;
    if (v.valueMissing) {
      if (el.type === "file") return "اختر ملفاً.";
      if (el.type === "checkbox" || el.type === "radio") return "هذا الخيار مطلوب.";
      if (el.tagName === "SELECT") return "اختر عنصراً من القائمة.";
      return "هذا الحقل مطلوب.";
    }
    if (v.typeMismatch) {
      if (el.type === "email") return "أدخل عنوان بريد إلكتروني صحيحاً.";
      if (el.type === "url") return "أدخل رابطاً صحيحاً يبدأ بـ https://";
      return "القيمة المدخلة غير صالحة.";
    }
    if (v.tooLong) return "النص أطول من المسموح (" + el.maxLength + " حرفاً على الأكثر).";
    if (v.tooShort) return "النص أقصر من المسموح (" + el.minLength + " أحرف على الأقل).";
    if (v.rangeUnderflow) return "القيمة أصغر من الحد الأدنى (" + el.min + ").";
    if (v.rangeOverflow) return "القيمة أكبر من الحد الأقصى (" + el.max + ").";
    if (v.stepMismatch) return "أدخل قيمة صحيحة.";
    if (v.badInput) return "أدخل رقماً صحيحاً.";
    if (v.patternMismatch) return el.title || "القيمة لا تطابق الصيغة المطلوبة.";
    return "";
  }

  document.addEventListener("invalid", function (e) {
    var el = e.target;
    if (!el || !el.setCustomValidity) return;
    el.setCustomValidity("");
    if (!el.validity.valid) el.setCustomValidity(arabicMessage(el));
  }, true);
  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (e) {
      if (e.target && e.target.setCustomValidity) e.target.setCustomValidity("");
    }, true);
  });

  // --- Live counters -------------------------------------------------------------------
  function initCounters() {
    document.querySelectorAll("[data-counter]").forEach(function (field) {
      var max = parseInt(field.getAttribute("data-counter"), 10);
      var label = field.getAttribute("data-counter-label") || "";
      var out = document.createElement("span");
      out.className = "bo-counter";
      out.id = (field.id || "field") + "-counter";
      out.setAttribute("aria-live", "polite");
      // After the label+input row, not squeezed beside the input.
      var anchor = field.closest(".flex-container") || field;
      anchor.insertAdjacentElement("afterend", out);
      var described = field.getAttribute("aria-describedby");
      field.setAttribute("aria-describedby", (described ? described + " " : "") + out.id);
      function update() {
        var n = Array.from(field.value || "").length;
        var over = n > max;
        // Neutral wording: no counted noun, so no Arabic number agreement to get wrong.
        out.textContent = "عدد الأحرف: " + n + " من " + max + (label ? " (" + label + ")" : "") +
          (over ? " — الزيادة " + (n - max) + "، وسيُقصّ الباقي في نتائج البحث" : "");
        out.classList.toggle("bo-counter--over", over);
      }
      field.addEventListener("input", update);
      update();
    });
  }

  // --- Image input: name and thumbnail before upload -----------------------------------
  function initFileInputs() {
    document.querySelectorAll("[data-file-input]").forEach(function (box) {
      var input = box.querySelector("input[type=file]");
      var name = box.querySelector("[data-file-name]");
      var thumb = box.querySelector("[data-thumb]");
      if (!input) return;
      input.addEventListener("change", function () {
        var file = input.files && input.files[0];
        if (!file) return;
        if (name) name.textContent = file.name;
        if (thumb && /^image\//.test(file.type) && window.FileReader) {
          // A data: URL, not a blob: one: the CSP's img-src allows 'self' and data: only.
          var reader = new FileReader();
          reader.onload = function () {
            thumb.src = reader.result;
            thumb.alt = "معاينة الصورة المختارة: " + file.name;
            thumb.hidden = false;
          };
          reader.readAsDataURL(file);
        }
      });
    });
  }

  // --- New tags, typed inline -----------------------------------------------------------
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function selectTag(select, id, label) {
    var value = String(id);
    var found = Array.from(select.options).find(function (o) { return o.value === value; });
    if (found) {
      found.selected = true;
    } else {
      select.appendChild(new Option(label, value, true, true));
    }
    select.dispatchEvent(new Event("change", { bubbles: true }));
    if (window.django && window.django.jQuery) window.django.jQuery(select).trigger("change");
  }

  function initInlineTags() {
    var select = document.getElementById("id_tags");
    if (!select || select.disabled) return;
    var url = select.getAttribute("data-ensure-url");
    if (!url) return;
    var row = select.closest(".flex-container") || select.closest(".related-widget-wrapper") ||
      select.parentNode;
    var box = document.createElement("div");
    box.className = "bo-inline-tag";
    box.innerHTML =
      '<label for="bo-new-tag">وسم جديد:</label>' +
      '<input type="text" id="bo-new-tag" maxlength="100" autocomplete="off" placeholder="اكتب اسم الوسم">' +
      '<button type="button" class="button">أضف الوسم</button>' +
      '<span class="bo-inline-tag__status" aria-live="polite"></span>';
    row.insertAdjacentElement("afterend", box);
    var input = box.querySelector("input");
    var button = box.querySelector("button");
    var status = box.querySelector(".bo-inline-tag__status");

    function add() {
      var name = input.value.replace(/\s+/g, " ").trim();
      if (!name) { status.textContent = "اكتب اسم الوسم أولاً."; input.focus(); return; }
      var data = new FormData();
      data.append("name", name);
      button.disabled = true;
      status.textContent = "…";
      fetch(url, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() },
      })
        .then(function (r) { return r.json(); })
        .then(function (json) {
          if (!json.id) { status.textContent = json.error || "تعذّرت إضافة الوسم."; return; }
          selectTag(select, json.id, json.name);
          status.textContent = "أُضيف الوسم «" + json.name + "».";
          input.value = "";
        })
        .catch(function () { status.textContent = "تعذّرت إضافة الوسم، حاول مجدداً."; })
        .finally(function () { button.disabled = false; });
    }
    button.addEventListener("click", add);
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); add(); }
    });
  }

  // --- Accessible names for the admin's select2 widgets ---------------------------------
  // Django's autocomplete (select2) leaves its combobox and search box without a name when
  // nothing is selected; screen readers then announce an unnamed field.
  function fieldLabel(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/[:：]\s*$/, "").trim() : "";
  }

  function nameSelect2(root) {
    (root || document).querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var name = fieldLabel(select);
      var container = select.nextElementSibling;
      if (!name || !container || !container.classList.contains("select2")) return;
      // The combobox is named by its rendered value (aria-labelledby); give that value the
      // field's name too, so an empty field is still "القسم" and a filled one "القسم: سياسة".
      container.querySelectorAll(".select2-selection__rendered").forEach(function (el) {
        if (el.tagName === "UL") return;  // multiple: the chips carry their own text
        var value = (el.getAttribute("title") || el.textContent || "").replace(/^×/, "").trim();
        var wanted = value ? name + ": " + value : name;
        if (el.getAttribute("aria-label") !== wanted) el.setAttribute("aria-label", wanted);
      });
      var multi = container.querySelector(".select2-selection--multiple");
      if (multi && multi.getAttribute("aria-label") !== name) multi.setAttribute("aria-label", name);
      container.querySelectorAll(".select2-search__field").forEach(function (input) {
        if (input.getAttribute("aria-label") !== "بحث في " + name) {
          input.setAttribute("aria-label", "بحث في " + name);
        }
      });
    });
    document.querySelectorAll(".select2-dropdown .select2-search__field").forEach(function (input) {
      if (!input.hasAttribute("aria-label")) input.setAttribute("aria-label", "بحث");
    });
  }

  function watchSelect2() {
    nameSelect2();
    if (!window.MutationObserver) return;
    var pending = false;
    new MutationObserver(function () {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () { pending = false; nameSelect2(); });
    }).observe(document.body, { childList: true, subtree: true });
  }

  function init() {
    watchSelect2();
    document.querySelectorAll("[data-select-all]").forEach(function (el) {
      el.addEventListener("focus", function () { el.select(); });
      el.addEventListener("click", function () { el.select(); });
    });
    initCounters();
    initFileInputs();
    initInlineTags();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
