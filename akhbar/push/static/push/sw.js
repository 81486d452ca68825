// Akhbar's service worker: shows a breaking-news alert and opens the story when it is tapped.
"use strict";
self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { title: event.data && event.data.text() }; }
  var title = data.title || "خبر عاجل";
  event.waitUntil(self.registration.showNotification(title, {
    body: data.body || "",
    icon: data.icon,
    tag: data.tag,
    renotify: !!data.tag,
    dir: "rtl",
    lang: "ar",
    data: { url: data.url || "/" }
  }));
});
self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = (event.notification.data && event.notification.data.url) || "/";
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (list) {
    for (var i = 0; i < list.length; i++) {
      if (list[i].url === url && "focus" in list[i]) return list[i].focus();
    }
    return self.clients.openWindow(url);
  }));
});
