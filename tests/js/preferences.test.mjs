// Display preferences (learn/static/learn/js/preferences.js): a guest's choices come from localStorage
// onto <html> before the page shows; a signed-in person's come from the server, never from the browser.
import assert from "node:assert/strict";
import { test } from "node:test";
import { eventTarget, fakeStorage, runScript } from "./support/browser.mjs";

const KEY = "oefenplein.display.v1";

function classList() {
  const names = new Set();
  return {
    names,
    toggle: (name, on) => (on ? names.add(name) : names.delete(name)),
    contains: (name) => names.has(name),
  };
}

/* Loads the script on a page without the display form; returns the classes it put on <html>. */
function pageClasses(stored, { signedIn = false, form = null, systemContrast = false } = {}) {
  const storage = fakeStorage();
  if (stored !== undefined) storage.setItem(KEY, typeof stored === "string" ? stored : JSON.stringify(stored));
  const root = { classList: classList() };
  const document = eventTarget({
    documentElement: root,
    readyState: "complete",
    querySelector: (selector) => {
      if (selector.startsWith("meta[name=display-preferences]")) return signedIn ? {} : null;
      if (selector === "form[data-display-form]") return form;
      return null;
    },
  });
  runScript("learn/static/learn/js/preferences.js", {
    document,
    localStorage: storage,
    matchMedia: () => ({ matches: systemContrast }),
    setTimeout,
  });
  return [...root.classList.names].sort();
}

test("a guest's stored choices become classes on <html>", () => {
  assert.deepEqual(pageClasses({ text: "larger", contrast: true, motion: true, spacing: true }), [
    "pref-contrast",
    "pref-motion",
    "pref-spacing",
    "pref-text-larger",
  ]);
  assert.deepEqual(pageClasses({ text: "large" }), ["pref-text-large"]);
});

test("contrast switched off on purpose beats the computer's setting", () => {
  assert.deepEqual(pageClasses({ contrast: "off" }), ["pref-contrast-off"]);
});

test("unknown or broken stored values count as no choice", () => {
  assert.deepEqual(pageClasses({ text: "huge", motion: "yes", contrast: 1 }), []);
  assert.deepEqual(pageClasses("{not json"), []);
  assert.deepEqual(pageClasses(undefined), []);
  assert.deepEqual(pageClasses({ text: "normal" }), [], "the usual size needs no class");
});

test("a signed-in page ignores what the browser keeps: the server sets the classes", () => {
  assert.deepEqual(pageClasses({ text: "larger", contrast: true }, { signedIn: true }), []);
});
