/* Remember a guest's choice between a lesson's normal and easier text on this device.
 *
 * The server shows the version named in the URL (?version=easy), so the cached copy of a page is the
 * same for every guest. This script only stores the last choice and, on a lesson opened without a
 * version in its URL, follows the "Easier text" link when that was the choice. Without JavaScript the
 * switch still works: it is two links.
 */
(function () {
  "use strict";
  var KEY = "oefenplein:lesson-version";
  var box = document.querySelector("[data-lesson-version]");
  if (!box) {
    return;
  }
  function store(value) {
    try {
      window.localStorage.setItem(KEY, value);
    } catch {
      /* private mode or storage switched off: the links keep working */
    }
  }
  function stored() {
    try {
      return window.localStorage.getItem(KEY);
    } catch {
      return null;
    }
  }
  box.addEventListener("click", function (event) {
    var link = event.target.closest("[data-version-choice]");
    if (link) {
      store(link.getAttribute("data-version-choice"));
    }
  });
  var asked = new URLSearchParams(window.location.search).get("version");
  if (asked === "easy" || asked === "normal") {
    store(asked);
    return;
  }
  if (stored() === "easy" && box.getAttribute("data-lesson-version") !== "easy") {
    var easy = box.querySelector('[data-version-choice="easy"]');
    if (easy) {
      window.location.replace(easy.href);
    }
  }
})();
