// The breaking-news alert button. Permission is asked only when the reader clicks it, never on
// page load; browsers without push support never see the button.
(function () {
  "use strict";
  var box = document.querySelector("[data-push]");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) return;
  var button = box.querySelector("[data-push-button]");
  var status = box.querySelector("[data-push-status]");
  box.hidden = false;

  function say(text) { status.textContent = text; }
  function b64ToBytes(value) {
    var padded = (value + "===".slice((value.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) { return r.json(); });
  }
  function post(url, body) {
    return getJSON(box.dataset.stateUrl).then(function (state) {
      return fetch(url, {
        method: "POST", credentials: "same-origin", body: JSON.stringify(body),
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": state.csrf }
      });
    }).then(function (r) { return r.json(); });
  }
  function registration() {
    return navigator.serviceWorker.register(box.dataset.swUrl, { scope: "/" }).then(function () { return navigator.serviceWorker.ready; });
  }
  function showState(subscribed) {
    box.dataset.subscribed = subscribed ? "1" : "";
    button.textContent = subscribed ? "أوقف إشعارات الأخبار العاجلة" : "فعّل إشعارات الأخبار العاجلة";
  }

  if (Notification.permission === "denied") {
    button.disabled = true;
    say("الإشعارات محظورة لهذا الموقع في إعدادات متصفحك.");
  } else if (Notification.permission === "granted") {
    navigator.serviceWorker.getRegistration("/").then(function (reg) {
      return reg ? reg.pushManager.getSubscription() : null;
    }).then(function (sub) { showState(!!sub); });
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    var work;
    if (box.dataset.subscribed) {
      work = registration().then(function (reg) { return reg.pushManager.getSubscription(); }).then(function (sub) {
        if (!sub) return { message: "" };
        var endpoint = sub.endpoint;
        return sub.unsubscribe().then(function () { return post(box.dataset.unsubscribeUrl, { endpoint: endpoint }); });
      }).then(function (data) { showState(false); say(data.message || ""); });
    } else {
      work = Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") { say("لم تُفعَّل الإشعارات: لم يُمنح الإذن."); return null; }
        return Promise.all([registration(), getJSON(box.dataset.keyUrl)]).then(function (r) {
          return r[0].pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: b64ToBytes(r[1].key) });
        }).then(function (sub) { return post(box.dataset.subscribeUrl, sub.toJSON()); })
          .then(function (data) { if (data.status === "ok") showState(true); say(data.message); });
      });
    }
    work.catch(function () { say("تعذّر تفعيل الإشعارات على هذا المتصفح."); }).then(function () { button.disabled = false; });
  });
})();
