/* H5P frames on a lesson page -> learning records, through window.Oefenplein.record (progress.js).
 *
 * Each H5P block is an <iframe data-h5p-activity data-h5p-origin> on the player's own origin
 * (h5p/player.py); its page posts {type: "oefenplein:h5p-xapi", statement} up here. A message
 * counts only if it comes from that origin AND from one of this page's H5P frames. Of the statement
 * only the verb and the result are kept: the object becomes the block's activity id, the actor and
 * the context are dropped (the server puts in the learner and re-derives the activity). Only the
 * exercise's own statements (not those of its parts) with a verb that says something are sent,
 * plus one "experienced" when the exercise has loaded. The frame's height follows its content.
 */
(function () {
  "use strict";
  var VERBS = ["answered", "completed", "passed", "failed", "attempted", "experienced"];
  var VERB_BASE = "http://adlnet.gov/expapi/verbs/";
  var frames = Array.prototype.slice.call(document.querySelectorAll("iframe[data-h5p-activity][data-h5p-origin]"));
  if (!frames.length) return;

  function frameOf(event) {
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (event.source === frame.contentWindow && event.origin === frame.getAttribute("data-h5p-origin")) return frame;
    }
    return null;
  }

  function number(value) {
    return typeof value === "number" && isFinite(value) ? value : undefined;
  }

  function cleanResult(result) {
    if (!result || typeof result !== "object") return null;
    var clean = {};
    if (typeof result.success === "boolean") clean.success = result.success;
    if (typeof result.completion === "boolean") clean.completion = result.completion;
    if (typeof result.duration === "string" && result.duration.length < 40) clean.duration = result.duration;
    var score = result.score;
    if (score && typeof score === "object") {
      var parts = {};
      ["scaled", "raw", "min", "max"].forEach(function (name) {
        if (number(score[name]) !== undefined) parts[name] = score[name];
      });
      if (Object.keys(parts).length) clean.score = parts;
    }
    return Object.keys(clean).length ? clean : null;
  }

  function record(frame, statement) {
    var progress = window.Oefenplein;
    if (!progress || !progress.record || !statement || typeof statement !== "object") return;
    var context = statement.context;
    if (context && context.contextActivities && context.contextActivities.parent) return;
    var verb = statement.verb && typeof statement.verb.id === "string" ? statement.verb.id : "";
    var name = verb.indexOf(VERB_BASE) === 0 ? verb.slice(VERB_BASE.length) : "";
    if (VERBS.indexOf(name) < 0) return;
    var clean = {
      verb: { id: VERB_BASE + name, display: { "en-US": name } },
      object: { objectType: "Activity", id: frame.getAttribute("data-h5p-activity") },
    };
    var result = cleanResult(statement.result);
    if (result) clean.result = result;
    progress.record(clean);
  }

  window.addEventListener("message", function (event) {
    var frame = frameOf(event);
    var data = event.data;
    if (!frame || !data || typeof data !== "object") return;
    if (data.type === "oefenplein:h5p-xapi") {
      record(frame, data.statement);
    } else if (data.type === "oefenplein:h5p-ready" && !frame.hasAttribute("data-h5p-seen")) {
      /* The exercise is on screen: that is what "done when opened" needs. Once per page view. */
      frame.setAttribute("data-h5p-seen", "");
      record(frame, { verb: { id: VERB_BASE + "experienced" } });
    } else if (data.type === "oefenplein:h5p-resize" && number(data.height) !== undefined) {
      frame.setAttribute("height", String(Math.max(150, Math.min(Math.round(data.height) + 4, 4000))));
      var note = frame.parentNode && frame.parentNode.querySelector(".h5p-note");
      if (note) note.hidden = true;
    }
  });
})();
