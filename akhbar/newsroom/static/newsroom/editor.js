// A small rich-text editor for the article body: a contenteditable area kept in sync with the
// real <textarea>, which is what the form submits (and what editors without JavaScript use).
// The server sanitises whatever arrives (akhbar/newsroom/html.py), so this is a convenience,
// never a security boundary. Embeds of YouTube or X are stored as plain links.
(function () {
  "use strict";
  var EMBED_HOSTS = /^(www\.)?(youtube\.com|youtu\.be|m\.youtube\.com|x\.com|twitter\.com)$/i;

  function safeUrl(value) {
    try {
      var url = new URL(value, window.location.href);
      return /^https?:$/.test(url.protocol) ? url : null;
    } catch (e) { return null; }
  }

  function setUp(root) {
    var textarea = root.querySelector("textarea");
    var area = root.querySelector("[contenteditable]");
    var toolbar = root.querySelector("[role=toolbar]");
    if (!textarea || !area || !toolbar) return;
    var sourceMode = false;
    // Start inside a paragraph so the first line is stored as <p>, not a bare text node.
    area.innerHTML = textarea.value.trim() ? textarea.value : "<p><br></p>";
    area.hidden = false;
    toolbar.hidden = false;
    textarea.hidden = true;
    var sync = function () { if (!sourceMode) textarea.value = area.innerHTML; };
    area.addEventListener("input", sync);
    area.addEventListener("blur", sync);
    if (textarea.form) textarea.form.addEventListener("submit", sync);
    try { document.execCommand("defaultParagraphSeparator", false, "p"); } catch (e) { /* old */ }

    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      event.preventDefault();
      if (button.hasAttribute("data-source")) {
        sourceMode = !sourceMode;
        if (sourceMode) { textarea.value = area.innerHTML; } else { area.innerHTML = textarea.value; }
        textarea.hidden = !sourceMode;
        area.hidden = sourceMode;
        button.setAttribute("aria-pressed", String(sourceMode));
        return;
      }
      if (sourceMode) return;
      area.focus();
      if (button.dataset.cmd) {
        document.execCommand(button.dataset.cmd, false, null);
      } else if (button.dataset.block) {
        document.execCommand("formatBlock", false, "<" + button.dataset.block + ">");
      } else if (button.hasAttribute("data-link")) {
        var href = window.prompt("عنوان الرابط (https://…)");
        var url = href && safeUrl(href);
        if (url) document.execCommand("createLink", false, url.href);
        else if (href) window.alert("رابط غير صالح: يُقبل http و https فقط.");
      } else if (button.hasAttribute("data-embed")) {
        var raw = window.prompt("رابط فيديو يوتيوب أو منشور X");
        var embed = raw && safeUrl(raw);
        if (embed && EMBED_HOSTS.test(embed.hostname)) {
          var p = document.createElement("p");
          var a = document.createElement("a");
          a.href = embed.href;
          a.textContent = embed.href;
          p.appendChild(a);
          area.appendChild(p);
        } else if (raw) {
          window.alert("يُقبل التضمين من يوتيوب أو X فقط، ويُحفظ رابطاً.");
        }
      }
      sync();
    });
  }

  function init() { document.querySelectorAll("[data-editor]").forEach(setUp); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
