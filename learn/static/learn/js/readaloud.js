/* Read aloud: any element with data-read-aloud, started by a button with data-read-aloud-button
 * (aria-controls names the element, or the button sits inside it).
 *
 * It reads sentence by sentence and marks the sentence being read (.readaloud-current: underlined and
 * on a light background, never colour alone). It uses the browser's speech when the computer has a
 * local voice for the page's language; otherwise it plays clips made on the server with espeak-ng
 * (readaloud/), found by their sentence text. The sentences are cut by the rule in readaloud/text.py:
 * keep SKIP, BLOCK and SENTENCE_END the same as there.
 *
 * Clicks are delegated from the document, so read-aloud parts made later by scripts work too. The
 * simulator's coach panel (instruction, hint, feedback; sandboxes/js/engine.js) gets its button here.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var CLIPS_URL = (script && script.getAttribute("data-clips")) || "/readaloud/clips/";
  var SKIP = set("script style noscript template button select textarea input option iframe video audio svg canvas object img");
  var BLOCK = set("address article aside blockquote br dd details dialog div dl dt fieldset figcaption figure footer form " +
    "h1 h2 h3 h4 h5 h6 header hr label legend li main nav ol p pre section summary table tbody td tfoot th thead tr ul");
  var SENTENCE_END = /[.!?\u2026\u061f]+["'\u201d\u2019\u00bb)\]]*(?=\s)/g;
  var WORD = /[\p{L}\p{N}_]/u;
  var current = null;
  var audio = null;

  function set(words) {
    var result = {};
    words.split(" ").forEach(function (word) { result[word] = true; });
    return result;
  }

  function skipped(element) {
    return SKIP[element.localName] || element.hasAttribute("hidden") || element.hasAttribute("data-read-aloud-skip") ||
      (element.getAttribute("aria-hidden") || "").trim().toLowerCase() === "true";
  }

  /* Rules 1 and 2: text nodes grouped in segments that never cross a block. */
  function segmentsOf(container) {
    var segments = [];
    var segment = null;
    function cut() {
      if (segment) segments.push(segment);
      segment = null;
    }
    function walk(node) {
      for (var child = node.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === 3) {
          if (!segment) segment = { nodes: [], text: "" };
          segment.nodes.push({ node: child, start: segment.text.length });
          segment.text += child.nodeValue;
        } else if (child.nodeType === 1) {
          var block = BLOCK[child.localName];
          if (block) cut();
          if (!skipped(child)) walk(child);
          if (block) cut();
        }
      }
    }
    walk(container);
    cut();
    return segments;
  }

  function normalise(text) {
    return text.normalize("NFC").replace(/\s+/g, " ").trim();
  }

  /* Rules 3 and 4: sentences with their place in the segment (without the spaces around them). */
  function sentencesOf(segment, into) {
    var from = 0;
    var match;
    function add(end) {
      var raw = segment.text.slice(from, end);
      var text = normalise(raw);
      if (WORD.test(text)) {
        var lead = raw.length - raw.replace(/^\s+/, "").length;
        var trail = raw.length - raw.replace(/\s+$/, "").length;
        into.push({ text: text, segment: segment, start: from + lead, end: end - trail, spans: [] });
      }
      from = end;
    }
    SENTENCE_END.lastIndex = 0;
    while ((match = SENTENCE_END.exec(segment.text))) add(match.index + match[0].length);
    add(segment.text.length);
  }

  /* Each sentence in spans (one per text node it covers), so it can be marked while it is read. */
  function wrap(sentences) {
    var bySegment = new Map();
    sentences.forEach(function (sentence) {
      if (!bySegment.has(sentence.segment)) bySegment.set(sentence.segment, []);
      bySegment.get(sentence.segment).push(sentence);
    });
    bySegment.forEach(function (list, segment) {
      segment.nodes.forEach(function (entry) {
        var node = entry.node;
        var from = entry.start;
        var to = from + node.nodeValue.length;
        var pieces = [];
        list.forEach(function (sentence) {
          var a = Math.max(sentence.start, from);
          var b = Math.min(sentence.end, to);
          if (b > a) pieces.push({ a: a - from, b: b - from, sentence: sentence });
        });
        for (var k = pieces.length - 1; k >= 0; k -= 1) {
          var piece = pieces[k];
          if (piece.b < node.nodeValue.length) node.splitText(piece.b);
          var middle = piece.a > 0 ? node.splitText(piece.a) : node;
          var span = document.createElement("span");
          span.className = "readaloud-sentence";
          middle.parentNode.insertBefore(span, middle);
          span.appendChild(middle);
          piece.sentence.spans.push(span);
        }
      });
    });
  }

  function unwrap(container, sentences) {
    sentences.forEach(function (sentence) {
      sentence.spans.forEach(function (span) {
        var parent = span.parentNode;
        if (!parent) return;
        while (span.firstChild) parent.insertBefore(span.firstChild, span);
        parent.removeChild(span);
      });
    });
    container.normalize();
  }

  function reducedMotion() {
    return document.documentElement.classList.contains("pref-motion") ||
      (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  function mark(reading) {
    reading.sentences.forEach(function (sentence, index) {
      sentence.spans.forEach(function (span) { span.classList.toggle("readaloud-current", index === reading.index); });
    });
    var first = reading.sentences[reading.index] && reading.sentences[reading.index].spans[0];
    if (first && first.scrollIntoView) first.scrollIntoView({ block: "nearest", behavior: reducedMotion() ? "auto" : "smooth" });
  }

  function label(button, pressed) {
    button.setAttribute("aria-pressed", pressed ? "true" : "false");
    var text = button.querySelector("[data-read-aloud-label]") || button;
    var wanted = button.getAttribute(pressed ? "data-label-stop" : "data-label-read");
    if (wanted) text.textContent = wanted;
  }

  function say(button, message) {
    var note = button.nextElementSibling;
    if (note && !note.classList.contains("readaloud-message")) note = null;
    if (!note && !message) return;
    if (!note) {
      note = document.createElement("p");
      note.className = "readaloud-message";
      note.setAttribute("role", "status");
      button.parentNode.insertBefore(note, button.nextSibling);
    }
    note.textContent = message || "";
  }

  function stop() {
    var reading = current;
    current = null;
    if (!reading) return;
    if (audio) {
      audio.pause();
      audio.removeAttribute("src");
    }
    if (reading.voice && window.speechSynthesis) window.speechSynthesis.cancel();
    unwrap(reading.container, reading.sentences);
    label(reading.button, false);
  }

  function languageOf(element) {
    var owner = element.closest("[lang]");
    return ((owner && owner.getAttribute("lang")) || "nl").toLowerCase().split(/[-_]/)[0];
  }

  /* Only voices on this computer: online voices would send the text to another company. */
  function localVoice(language) {
    if (!window.speechSynthesis || !window.SpeechSynthesisUtterance) return null;
    var voices = window.speechSynthesis.getVoices() || [];
    for (var i = 0; i < voices.length; i += 1) {
      if (voices[i].localService && voices[i].lang.toLowerCase().split(/[-_]/)[0] === language) return voices[i];
    }
    return null;
  }

  function next(reading) {
    if (current !== reading) return;
    reading.index += 1;
    play(reading);
  }

  function play(reading) {
    if (current !== reading) return;
    if (reading.clips) {
      while (reading.index < reading.sentences.length && !reading.clips[reading.index]) reading.index += 1;
    }
    if (reading.index >= reading.sentences.length) return stop();
    mark(reading);
    if (reading.voice) {
      var utterance = new window.SpeechSynthesisUtterance(reading.sentences[reading.index].text);
      utterance.voice = reading.voice;
      utterance.lang = reading.voice.lang;
      utterance.rate = 0.9;
      utterance.onend = utterance.onerror = function () { next(reading); };
      window.speechSynthesis.speak(utterance);
      return;
    }
    audio.src = reading.clips[reading.index].url;
    var started = audio.play();
    if (started && started.catch) started.catch(function () { if (current === reading) stop(); });
  }

  function serverClips(language, sentences) {
    return fetch(CLIPS_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ lang: language, sentences: sentences.map(function (sentence) { return sentence.text; }) }),
    }).then(function (response) {
      if (!response.ok) throw new Error("clips " + response.status);
      return response.json();
    });
  }

  function start(button) {
    var id = button.getAttribute("aria-controls");
    var container = (id && document.getElementById(id)) || button.closest("[data-read-aloud]");
    if (!container) return;
    var sentences = [];
    segmentsOf(container).forEach(function (segment) { sentencesOf(segment, sentences); });
    var none = button.getAttribute("data-message-none");
    if (!sentences.length) return say(button, none);
    say(button, "");
    var language = languageOf(container);
    var reading = { button: button, container: container, sentences: sentences, index: 0, voice: localVoice(language) };
    wrap(sentences);
    current = reading;
    label(button, true);
    if (reading.voice) return play(reading);
    if (!audio) {
      audio = document.createElement("audio");
      audio.className = "readaloud-audio";
      audio.hidden = true;
      audio.preload = "auto";
      audio.addEventListener("ended", function () { if (current) next(current); });
      audio.addEventListener("error", function () { if (current && audio.getAttribute("src")) next(current); });
      document.body.appendChild(audio);
    }
    serverClips(language, sentences).then(function (answer) {
      if (current !== reading) return;
      reading.clips = answer.clips || [];
      if (!reading.clips.some(Boolean)) {
        stop();
        return say(button, none);
      }
      play(reading);
    }).catch(function () {
      if (current !== reading) return;
      stop();
      say(button, none);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-read-aloud-button]");
    if (!button) return;
    var wasReading = current && current.button === button;
    stop();
    if (!wasReading) start(button);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && current) stop();
  });

  /* The simulator's coach panel: made by engine.js, read with the same rules. */
  var labels = script ? {
    read: script.getAttribute("data-label-read"), stop: script.getAttribute("data-label-stop"),
    none: script.getAttribute("data-message-none"),
  } : {};
  var made = 0;
  function hookSimulator(root) {
    var coach = root.querySelector(".sim-coach:not([data-read-aloud])");
    if (!coach || !labels.read) return !!root.querySelector(".sim-coach");
    made += 1;
    coach.id = coach.id || "readaloud-sim-" + made;
    coach.setAttribute("data-read-aloud", "");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "readaloud-button";
    button.setAttribute("data-read-aloud-button", "");
    button.setAttribute("aria-controls", coach.id);
    button.setAttribute("aria-pressed", "false");
    button.setAttribute("data-label-read", labels.read);
    button.setAttribute("data-label-stop", labels.stop);
    button.setAttribute("data-message-none", labels.none);
    var icon = document.createElement("span");
    icon.className = "readaloud-icon";
    icon.setAttribute("aria-hidden", "true");
    var text = document.createElement("span");
    text.setAttribute("data-read-aloud-label", "");
    text.textContent = labels.read;
    button.appendChild(icon);
    button.appendChild(text);
    coach.insertBefore(button, coach.firstChild);
    return true;
  }

  function setUp() {
    if (window.speechSynthesis) window.speechSynthesis.getVoices(); /* some browsers load voices on first ask */
    document.querySelectorAll("[data-read-aloud-button][hidden]").forEach(function (button) { button.hidden = false; });
    document.querySelectorAll("[data-sim]").forEach(function (root) {
      if (hookSimulator(root)) return;
      var watcher = new MutationObserver(function () { if (hookSimulator(root)) watcher.disconnect(); });
      watcher.observe(root, { childList: true, subtree: true });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
