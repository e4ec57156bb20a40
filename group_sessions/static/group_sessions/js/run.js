// The attendance list, progressively enhanced: each tap saves the whole list (the same form post as the
// "Save who came" button, which keeps working without JavaScript), so the organiser can put the phone
// away at any moment. One request at a time: a tap during a save sends the newest list right after it,
// so an older list can never arrive last.
(function () {
  "use strict";
  const form = document.querySelector("form[data-attendance]");
  const status = document.getElementById("attendance-status");
  if (!form || !status || !window.fetch || !window.FormData) return;
  let busy = false;
  let again = false;

  function say(text) {
    status.textContent = text;
  }

  function save() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    again = false;
    say(form.dataset.saving);
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        if (response.status === 204) {
          say(form.dataset.saved);
          return;
        }
        return response.json().then(
          function (answer) { say(answer.error || form.dataset.failed); },
          function () { say(form.dataset.failed); }
        );
      })
      .catch(function () { say(form.dataset.failed); })
      .then(function () {
        busy = false;
        if (again) save();
      });
  }

  form.addEventListener("change", function (event) {
    if (event.target.matches("input[name=present]")) save();
  });
})();
