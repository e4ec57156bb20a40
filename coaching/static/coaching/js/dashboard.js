// Group dashboard: fetch the table again every 30 seconds and swap it in, so a coach at a help point
// sees new progress without reloading. Without JavaScript the page still works: reload by hand.
(function () {
  "use strict";
  var INTERVAL = 30000;
  var live = document.getElementById("dashboard-live");
  var announce = document.getElementById("dashboard-announce");
  if (!live || !announce || !window.fetch) return;
  var url = live.getAttribute("data-refresh-url");
  var message = live.getAttribute("data-announce") || "";
  var last = live.innerHTML.replace(/<caption[\s\S]*?<\/caption>/, "");

  function refresh() {
    if (document.hidden) return;
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok || response.redirected) throw new Error("not refreshed");
        return response.text();
      })
      .then(function (html) {
        // The caption carries the time; only announce when the progress itself changed.
        var content = html.replace(/<caption[\s\S]*?<\/caption>/, "");
        var active = document.activeElement;
        var hadFocus = active && live.contains(active) && active.id;
        live.innerHTML = html;
        if (hadFocus) {
          var again = document.getElementById(hadFocus);
          if (again) again.focus();
        }
        if (content !== last) {
          last = content;
          announce.textContent = "";
          window.setTimeout(function () { announce.textContent = message; }, 100);
        }
      })
      .catch(function () { /* keep the table as it is; the next round tries again */ });
  }

  window.setInterval(refresh, INTERVAL);
})();
