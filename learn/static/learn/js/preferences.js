/* Display preferences (accounts/display.py): text size, high contrast, less movement, more spacing.
 *
 * Loaded in <head> without defer, before the stylesheet, so a guest's page never flashes in the
 * usual look. Signed-in people get their classes from the server (and base.html puts
 * <meta name="display-preferences" content="account"> before this script); guests keep theirs in
 * localStorage, because their pages are cached and shared. On the display page it shows each change at once, and for guests saves in the browser.
 *
 * High contrast has three states (accounts/display.py): true (on), "off" (switched off on purpose: the
 * class pref-contrast-off beats the computer's "more contrast" setting) and false (no choice: site.css
 * follows @media (prefers-contrast: more)). On the display page the box starts ticked when there is no
 * choice and the computer asks for more contrast, so the box shows what the page looks like.
 */
(function () {
  "use strict";
  var KEY = "oefenplein.display.v1";
  var SIZES = ["normal", "large", "larger"];
  var TOGGLES = ["contrast", "motion", "spacing"];
  var root = document.documentElement;
  var guest = !document.querySelector("meta[name=display-preferences][content=account]");
  var OFF = "off";

  function clean(raw) {
    var prefs = { text: SIZES.indexOf(raw && raw.text) > 0 ? raw.text : "normal" };
    TOGGLES.forEach(function (name) { prefs[name] = !!(raw && raw[name] === true); });
    if (raw && raw.contrast === OFF) prefs.contrast = OFF;
    return prefs;
  }

  function stored() {
    try {
      return clean(JSON.parse(localStorage.getItem(KEY) || "{}"));
    } catch {
      return clean({});
    }
  }

  function apply(prefs) {
    SIZES.forEach(function (size) { root.classList.toggle("pref-text-" + size, size !== "normal" && prefs.text === size); });
    TOGGLES.forEach(function (name) { root.classList.toggle("pref-" + name, prefs[name] === true); });
    root.classList.toggle("pref-contrast-off", prefs.contrast === OFF);
  }

  function systemContrast() {
    return !!(window.matchMedia && window.matchMedia("(prefers-contrast: more)").matches);
  }

  if (guest) apply(stored());

  function fromForm(form) {
    var checked = form.querySelector("input[name=text]:checked");
    var prefs = { text: checked ? checked.value : "normal" };
    TOGGLES.forEach(function (name) {
      var box = form.querySelector("input[name=" + name + "]");
      prefs[name] = !!(box && box.checked);
    });
    var choice = form.querySelector("input[name=contrast_choice]");
    if (!prefs.contrast && choice && choice.value === OFF) prefs.contrast = OFF;
    return clean(prefs);
  }

  function toForm(form, prefs) {
    var radio = form.querySelector("input[name=text][value=" + prefs.text + "]");
    if (radio) radio.checked = true;
    TOGGLES.forEach(function (name) {
      var box = form.querySelector("input[name=" + name + "]");
      if (box) box.checked = prefs[name] === true;
    });
    var choice = form.querySelector("input[name=contrast_choice]");
    if (choice) choice.value = prefs.contrast === OFF ? OFF : "";
    showSystemContrast(form);
  }

  /* No choice yet, and the computer asks for more contrast: the page already has it, so the box says so. */
  function showSystemContrast(form) {
    var box = form.querySelector("input[name=contrast]");
    var choice = form.querySelector("input[name=contrast_choice]");
    if (box && !box.checked && !(choice && choice.value === OFF) && systemContrast()) box.checked = true;
  }

  function setUp() {
    var form = document.querySelector("form[data-display-form]");
    if (!form) return;
    var status = form.querySelector("[data-display-status]");
    if (guest) toForm(form, stored());
    else showSystemContrast(form);
    form.addEventListener("change", function (event) {
      var choice = form.querySelector("input[name=contrast_choice]");
      if (choice && event.target && event.target.name === "contrast") choice.value = event.target.checked ? "" : OFF;
      apply(fromForm(form));
    });
    if (!guest) return; /* signed in: the form posts, the server keeps the choices */
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var reset = event.submitter && event.submitter.hasAttribute("data-display-reset");
      var prefs = reset ? clean({}) : fromForm(form);
      try {
        if (reset) localStorage.removeItem(KEY);
        else localStorage.setItem(KEY, JSON.stringify(prefs));
      } catch {
        /* No storage (private window): the choices last for this page only. */
      }
      toForm(form, prefs);
      apply(prefs);
      if (status) {
        status.textContent = "";
        setTimeout(function () {
          status.textContent = form.getAttribute(reset ? "data-message-reset" : "data-message-saved");
        }, 50);
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
