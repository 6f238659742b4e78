// The Mini App's first page: Telegram puts the signed initData in the URL's fragment (which is
// never sent to a server); trade it for a session cookie, then open the wanted page.
(function () {
  "use strict";
  var start = document.getElementById("start");
  var data = new URLSearchParams(window.location.hash.slice(1)).get("tgWebAppData");
  function failed() {
    document.getElementById("waiting").hidden = true;
    document.getElementById("failed").hidden = false;
  }
  if (!data) { failed(); return; }
  // In Telegram's web clients the Mini App is a frame on telegram.org: a cookie there must be
  // partitioned to be sent at all (the server sets it so when told).
  var framed = window.top !== window.self;
  fetch(start.dataset.auth + (framed ? "?framed=1" : ""), {
    method: "POST",
    credentials: "same-origin",
    headers: { "Authorization": "tma " + data }
  }).then(function (response) {
    if (response.ok) { window.location.replace(start.dataset.next); } else { failed(); }
  }, failed);
})();
