/* Lesson page -> learning records, through window.Oefenplein.record (progress.js, loaded first).
 *
 * The template puts the activity ids in data- attributes. Opening a lesson records "experienced";
 * sending a question form records "answered" with the chosen option's number and the page revision
 * the learner read (context.revision: the server scores the answer against that revision's answer
 * key) and the normal GET submission goes on; following "Next lesson" or "Back to the module"
 * records "completed" with the time spent. A "completed" is only a claim: the server finishes a
 * lesson on its answers, or, without questions, when it was open long enough by the server's clock. Answering reloads the page with
 * ?question=..., which is the same visit: it does not count as opening the lesson again, and the
 * start time is kept in sessionStorage. Without JavaScript the lesson works the same, unrecorded.
 */
(function () {
  "use strict";
  var lesson = document.querySelector("[data-lesson-activity]");
  var progress = window.Oefenplein;
  if (!lesson || !progress || !progress.record) return;
  var id = lesson.getAttribute("data-lesson-activity");
  var revision = lesson.getAttribute("data-lesson-revision");
  var key = "oefenplein.started." + id;
  var answering = /[?&]question=/.test(location.search);
  var started = Date.now();
  try {
    started = (answering && Number(sessionStorage.getItem(key))) || started;
    sessionStorage.setItem(key, String(started));
  } catch {
    /* No sessionStorage: the time counts from this page load. */
  }

  function send(verb, object, result, context) {
    var statement = {
      verb: { id: "http://adlnet.gov/expapi/verbs/" + verb, display: { "en-US": verb } },
      object: { objectType: "Activity", id: object },
    };
    if (result) statement.result = result;
    if (context) statement.context = context;
    progress.record(statement);
  }

  if (!answering) send("experienced", id);

  document.addEventListener("submit", function (event) {
    var form = event.target.closest && event.target.closest("form[data-question-activity]");
    var chosen = form && form.querySelector("input[name=answer]:checked");
    if (chosen) {
      send(
        "answered",
        form.getAttribute("data-question-activity"),
        { response: chosen.value },
        revision ? { revision: revision } : null
      );
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-lesson-complete]");
    if (!link) return;
    var seconds = Math.max(1, Math.round((Date.now() - started) / 1000));
    send("completed", id, { completion: true, duration: "PT" + seconds + "S" });
    try {
      sessionStorage.removeItem(key);
    } catch {
      /* nothing to clean up */
    }
  });
})();
