/* As-you-type suggestions for every search box with data-suggest-url.
 *
 * Progressive enhancement: without this file the boxes are plain GET forms. With it, each
 * input becomes an ARIA 1.2 combobox (role=combobox, aria-expanded, aria-controls,
 * aria-activedescendant) over a listbox of links: ArrowDown/ArrowUp move through the
 * options, Enter opens the active one (or submits the form when none is active), Escape
 * closes the list (and a second Escape clears the box, as native search inputs do).
 * No inline script or style anywhere: the page's Content-Security-Policy stays strict.
 */
(function () {
  "use strict";
  var KIND = { section: "قسم", tag: "وسم", headline: "خبر" };
  var DELAY = 120;
  var counter = 0;

  function enhance(input) {
    var url = input.getAttribute("data-suggest-url");
    if (!url || input.getAttribute("role") === "combobox") return;
    var id = "search-suggest-" + (++counter);
    var list = document.createElement("ul");
    list.id = id;
    list.className = "search-suggest__list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "اقتراحات البحث");
    list.hidden = true;
    input.parentNode.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);

    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.parentNode.appendChild(status);

    var items = [];
    var active = -1;
    var timer = null;
    var last = null;
    var pending = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(index) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) return;
      if (index < 0) index = options.length - 1;
      if (index >= options.length) index = 0;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
        options[i].classList.toggle("is-active", i === index);
      }
      active = index;
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }

    function render(data) {
      items = data.items || [];
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (!items.length) {
        close();
        status.textContent = "";
        return;
      }
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.className = "search-suggest__item search-suggest__item--" + item.kind;
        var kind = document.createElement("span");
        kind.className = "search-suggest__kind";
        kind.textContent = KIND[item.kind] || "";
        var label = document.createElement("span");
        label.className = "search-suggest__label";
        label.setAttribute("dir", "auto");
        label.textContent = item.label;
        li.appendChild(kind);
        li.appendChild(label);
        li.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep focus in the input until we navigate
          window.location.assign(item.url);
        });
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = items.length + " اقتراحات متاحة، تنقّل بينها بالأسهم";
    }

    function fetchSuggestions() {
      var q = input.value.trim();
      if (q.length < 2) {
        last = q;
        render({ items: [] });
        return;
      }
      if (q === last) return;
      last = q;
      if (pending && pending.abort) pending.abort();
      pending = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(q), {
        headers: { Accept: "application/json" },
        signal: pending ? pending.signal : undefined,
      })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (data) { if (input.value.trim() === q) render(data); })
        .catch(function () { /* offline or aborted: the plain form still works */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open && items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
        setActive(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (open) setActive(active - 1);
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); }
      } else if (event.key === "Enter") {
        if (open && active >= 0 && items[active]) {
          event.preventDefault();
          window.location.assign(items[active].url);
        }
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function init() {
    var inputs = document.querySelectorAll("input[data-suggest-url]");
    for (var i = 0; i < inputs.length; i++) enhance(inputs[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
