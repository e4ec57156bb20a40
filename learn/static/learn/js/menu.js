/* The site menu (base.html): a <details> that folds the menu into one "Menu" button on narrow screens.
 *
 * Without this script the button works on every screen (details/summary needs no script). With it,
 * the menu stays open on wide screens, where site.css hides the button, and folds again when the
 * screen becomes narrow. The breakpoint is the one in site.css (WIDE).
 */
(function () {
  "use strict";
  var WIDE = "(min-width: 60em)";
  var menu = document.querySelector("[data-site-menu]");
  if (!menu || !window.matchMedia) return;
  var wide = window.matchMedia(WIDE);
  function fit() {
    menu.open = wide.matches;
  }
  fit();
  if (wide.addEventListener) wide.addEventListener("change", fit);
  /* Escape folds the open menu on a narrow screen and puts the focus back on its button. */
  menu.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || wide.matches || !menu.open) return;
    menu.open = false;
    menu.querySelector("summary").focus();
  });
})();
