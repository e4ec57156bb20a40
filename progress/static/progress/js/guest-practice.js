/* "Did you just practise this?": asked on a signed-in page when this browser holds practice done
 * without signing in (progress/js/progress.js keeps it as "guest" entries).
 *
 * Why: on a surf-point computer the practice before signing in is often someone else's. So it never
 * joins an account silently: "Yes, that was me" adds it to this learner's records and sends it;
 * "No, not me" deletes it. Escape closes the question without an answer: it comes back on the next
 * page. The dialog's words come from progress/includes/guest_practice.html (translated there).
 * Other tabs of the site answer along: the question closes when the entries are gone.
 */
(function () {
  "use strict";
  var dialog = document.getElementById("guest-practice");
  var progress = window.Oefenplein;
  if (!dialog || typeof dialog.showModal !== "function" || !progress || !progress.guestPractice) return;
  var heading = dialog.querySelector("#guest-practice-title");
  var buttons = dialog.querySelectorAll("[data-guest-practice]");
  var shown = [];
  var returnFocus = null;
  var MAX_TITLES = 5;

  function when(entries) {
    var last = Math.max.apply(
      null,
      entries.map(function (entry) {
        return Date.parse(entry.statement.timestamp) || entry.at || 0;
      })
    );
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
        dateStyle: "short",
        timeStyle: "short",
      }).format(new Date(last));
    } catch {
      return new Date(last).toLocaleString();
    }
  }

  function fill(entries) {
    var titles = [], langs = {};
    entries.forEach(function (entry) {
      if (!entry.title || titles.indexOf(entry.title) >= 0) return;
      titles.push(entry.title);
      langs[entry.title] = entry.lang;
    });
    titles = titles.slice(-MAX_TITLES);
    var list = dialog.querySelector(".guest-practice-titles");
    list.textContent = "";
    titles.forEach(function (title) {
      var item = document.createElement("li");
      item.textContent = title;
      /* A Dutch lesson title in the Arabic question: screen readers read it in Dutch, left to right. */
      if (langs[title] && langs[title] !== document.documentElement.lang) {
        item.lang = langs[title];
        item.dir = "auto";
      }
      list.appendChild(item);
    });
    dialog.querySelector(".guest-practice-what").hidden = !titles.length;
    var answers = entries.filter(function (entry) {
      return /\/answered$/.test(entry.statement.verb && entry.statement.verb.id);
    }).length;
    dialog.querySelector(".guest-practice-count").textContent = String(answers);
    dialog.querySelector(".guest-practice-answers").hidden = !answers;
    dialog.querySelector(".guest-practice-when").textContent = when(entries);
  }

  function close() {
    if (!dialog.open) return;
    dialog.close();
  }

  function ask() {
    var entries = progress.guestPractice();
    if (!entries.length) return close();
    shown = entries.map(function (entry) {
      return entry.statement.id;
    });
    fill(entries);
    if (dialog.open) return;
    returnFocus = document.activeElement;
    busy(false);
    dialog.showModal();
    heading.focus(); /* the question first, not a ready-pressed "Yes" */
  }

  function busy(on) {
    Array.prototype.forEach.call(buttons, function (button) {
      button.disabled = on;
    });
  }

  function answer(event) {
    var button = event.target.closest("[data-guest-practice]");
    if (!button || button.disabled) return;
    busy(true);
    var done = button.getAttribute("data-guest-practice") === "yes"
      ? progress.claimGuestPractice(shown)
      : progress.dropGuestPractice(shown);
    done.then(close, close);
  }

  dialog.addEventListener("click", answer);
  dialog.addEventListener("close", function () {
    var back = returnFocus && returnFocus !== document.body && document.contains(returnFocus);
    var target = back ? returnFocus : document.getElementById("main");
    if (target && typeof target.focus === "function") target.focus();
  });
  window.addEventListener("storage", function (event) {
    if (dialog.open && (event.key === null || event.key.indexOf("oefenplein.queue.") === 0)) ask();
  });
  Promise.resolve(progress.ready).then(ask, ask);
})();
