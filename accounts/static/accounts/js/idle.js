/* Shared computers: warn one minute before the idle sign-out, and sign out when nobody answers.
 *
 * The server signs a session out after SESSION_IDLE_SECONDS without a request (accounts/middleware.py);
 * this script only makes that visible. It reads its settings from the data- attributes of
 * #idle-warning (accounts/includes/idle_warning.html), so the page needs no inline script.
 * Tabs of the same browser share the time of the last page load through localStorage, so a learner
 * busy in one tab is not warned in another.
 */
(function () {
  "use strict";

  var dialog = document.getElementById("idle-warning");
  if (!dialog || typeof dialog.showModal !== "function" || !window.fetch) {
    return;
  }
  var idleMs = Number(dialog.dataset.idleSeconds) * 1000;
  var warnMs = Number(dialog.dataset.warnSeconds) * 1000;
  if (!(idleMs > 0) || !(warnMs > 0)) {
    return;
  }
  var stayForm = dialog.querySelector("form.idle-stay");
  var outForm = dialog.querySelector("form.idle-sign-out");
  var stayButton = stayForm.querySelector("button");
  var clock = dialog.querySelector(".idle-clock");
  var STORAGE_KEY = "oefenplein.lastActivity";
  var lastActivity = Date.now();
  var timer = null;
  var ticker = null;
  var returnFocus = null;
  var signingOut = false;

  function sharedActivity() {
    try {
      return Number(window.localStorage.getItem(STORAGE_KEY)) || 0;
    } catch {
      return 0;
    }
  }

  function shareActivity(time) {
    try {
      window.localStorage.setItem(STORAGE_KEY, String(time));
    } catch {
      /* private mode or storage switched off: each tab keeps its own clock */
    }
  }

  function endTime() {
    return Math.max(lastActivity, sharedActivity()) + idleMs;
  }

  function showClock(msLeft) {
    var seconds = Math.max(0, Math.ceil(msLeft / 1000));
    var rest = seconds % 60;
    clock.textContent = Math.floor(seconds / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function open() {
    if (dialog.open) {
      return;
    }
    returnFocus = document.activeElement;
    dialog.showModal();
    stayButton.focus();
    ticker = window.setInterval(function () {
      showClock(endTime() - Date.now());
    }, 1000);
  }

  function close() {
    window.clearInterval(ticker);
    if (dialog.open) {
      dialog.close();
      if (returnFocus && typeof returnFocus.focus === "function") {
        returnFocus.focus();
      }
    }
  }

  function signOut() {
    if (signingOut) {
      return;
    }
    signingOut = true;
    outForm.querySelector("input[name=reason]").value = "idle";
    // requestSubmit() fires "submit", so the sign-out hook of progress/js/progress.js can send
    // unsent learning records first, exactly as when the header's "Sign out" is pressed.
    if (typeof outForm.requestSubmit === "function") {
      outForm.requestSubmit();
    } else {
      outForm.submit();
    }
  }

  function schedule() {
    window.clearTimeout(timer);
    var now = Date.now();
    var end = endTime();
    if (now >= end) {
      signOut();
      return;
    }
    if (now >= end - warnMs) {
      showClock(end - now);
      open();
      timer = window.setTimeout(schedule, Math.min(end - now, 1000));
      return;
    }
    close();
    timer = window.setTimeout(schedule, end - warnMs - now);
  }

  function stay(event) {
    event.preventDefault();
    window.fetch(stayForm.action, {
      method: "POST",
      body: new FormData(stayForm),
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      if (response.status === 401) {
        window.location.assign(dialog.dataset.loginUrl);
        return;
      }
      if (response.ok) {
        lastActivity = Date.now();
        shareActivity(lastActivity);
        schedule();
      }
    }).catch(function () {
      /* offline: the dialog stays open and the clock keeps running */
    });
  }

  stayForm.addEventListener("submit", stay);
  // Escape means "I am here": treat it as "Stay signed in" rather than only hiding the warning.
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    stay(event);
  });
  window.addEventListener("storage", function (event) {
    if (event.key === STORAGE_KEY) {
      schedule();
    }
  });
  // A page restored from the back/forward cache may have slept past its timers.
  window.addEventListener("pageshow", schedule);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      schedule();
    }
  });

  shareActivity(lastActivity);
  schedule();
})();
