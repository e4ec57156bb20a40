/* The H5P player page, on the player's own origin (h5p/player.py).
 *
 * It runs one exercise with h5p-standalone and hands every xAPI statement up to the lesson page
 * with postMessage, addressed to the site's origin only. The lesson page checks where it came from
 * and what it claims; the server puts in the learner and re-derives the activity.
 */
(function () {
  "use strict";
  var el = document.getElementById("h5p-player");
  if (!el || !window.H5PStandalone || window.parent === window) return;
  var siteOrigin = el.getAttribute("data-site-origin");

  function forward(event) {
    var statement = event && event.data && event.data.statement;
    if (!statement) return;
    window.parent.postMessage({ type: "oefenplein:h5p-xapi", statement: JSON.parse(JSON.stringify(statement)) }, siteOrigin);
  }

  new window.H5PStandalone.H5P(el, {
    id: el.getAttribute("data-content-id"),
    h5pJsonPath: el.getAttribute("data-h5p-json"),
    librariesPath: el.getAttribute("data-libraries"),
    frameJs: el.getAttribute("data-frame-js"),
    frameCss: el.getAttribute("data-frame-css"),
    xAPIObjectIRI: el.getAttribute("data-activity"),
    reportingIsEnabled: true,
    frame: false,
    copyright: false,
    export: false,
    embed: false,
    icon: false,
  }).then(function () {
    window.H5P.externalDispatcher.on("xAPI", forward);
    window.parent.postMessage({ type: "oefenplein:h5p-ready" }, siteOrigin);
    var last = 0;
    function resize() {
      var height = Math.ceil(document.documentElement.scrollHeight);
      if (height === last) return;
      last = height;
      window.parent.postMessage({ type: "oefenplein:h5p-resize", height: height }, siteOrigin);
    }
    if (window.ResizeObserver) new ResizeObserver(resize).observe(document.body);
    resize();
  });
})();
