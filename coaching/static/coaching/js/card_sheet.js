// Sheet of sign-in cards: while the sheet is being made, ask for its status every 3 seconds and swap it
// in, so the download link appears without a reload. Without JavaScript the page says to reload by hand.
(function () {
  "use strict";
  var INTERVAL = 3000;
  var live = document.getElementById("card-sheet-live");
  var announce = document.getElementById("card-sheet-announce");
  if (!live || !announce || !window.fetch) return;
  var url = live.getAttribute("data-refresh-url");

  function status() {
    var box = live.querySelector("[data-card-sheet-status]");
    return box ? box.getAttribute("data-card-sheet-status") : "";
  }

  function waiting() {
    var now = status();
    return now === "waiting" || now === "busy";
  }

  function refresh() {
    if (!waiting()) return;
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok || response.redirected) throw new Error("not refreshed");
        return response.text();
      })
      .then(function (html) {
        var before = status();
        live.innerHTML = html;
        if (status() !== before) {
          var title = live.querySelector(".callout-title");
          announce.textContent = "";
          window.setTimeout(function () { announce.textContent = title ? title.textContent : ""; }, 100);
        }
      })
      .catch(function () { /* keep the status as it is; the next round tries again */ })
      .then(function () {
        if (waiting()) window.setTimeout(refresh, INTERVAL);
      });
  }

  if (waiting()) window.setTimeout(refresh, INTERVAL);
})();
