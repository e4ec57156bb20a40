/* Oefenplein simulator engine: runs any scenario (sandboxes/FORMAT.md) in every [data-sim] root.
 *
 * The template (sandboxes/includes/player.html) hands over the scenario with every text already in
 * the page language and a dictionary of UI strings, so this file holds no human language. Each player
 * keeps one attempt: state variables, reached goals, counts of hints, wrong and unsafe actions. Every
 * attempt goes to the learning record through recordAttemptEvent (xAPI, via progress.js), and nothing
 * the learner types is ever put in a statement or in storage. Text fields pass the safe-input guard
 * (guard.js) before their value is looked at. No request leaves the page: there is no fetch here.
 *
 * An ES module: the rules without a page (score, counts, the guide's steps, the record's statements) are
 * in sim/rules.js, building page parts in sim/dom.js. Every player keeps its own state, right to left
 * included, so two players on one page never disturb each other.
 *
 * The server replays each attempt's actions over the scenario (sandboxes/replay.py) and its score is the
 * one that counts; `score()` in sim/rules.js is the same rule, and the browser tests check that both agree. After a
 * safety Stop the learner goes on in the same attempt (at the screen of the mistake, or from the start):
 * a "resume" action tells the server, and the attempt keeps its safety error, so it does not count.
 * Without a mode asked for, the first try of a scenario is guided (data-tried from the server for a
 * learner, this browser's own note for a guest), later ones are practice.
 */
import { builder, fakeQr } from "./sim/dom.js";
import {
  actionOf, allReached, applyAction, attemptStatement, CHOICES, countHint, countSafety, countWrong,
  endAttempt, enterScreen, fieldOk, fill, fold, guideOf, matches as stateMatches, MODES, newAttempt, normalize, outcomeOf,
  price as farePrice, resumeAfterStop, score, segment,
} from "./sim/rules.js";

var TRIED = "oefenplein.sim-tried.v1"; /* slugs of the scenarios a guest tried in this browser */

function data(id) {
  var node = id && document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

function Player(root) {
  var sc = data(root.getAttribute("data-scenario"));
  var S = data(root.getAttribute("data-strings"));
  if (!sc || !S) return;
  root.setAttribute("data-sim-ready", "");
  var activity = root.getAttribute("data-activity") || "";
  var pid = root.getAttribute("data-player") || "sim";
  var staticBase = root.getAttribute("data-static") || "/static/";
  /* Written once on the server and handed over by the page: the xAPI extension address (progress/xapi.py)
   * and the score's numbers (sandboxes/replay.py). */
  var served = { ext: root.getAttribute("data-xapi-ext"), rule: JSON.parse(root.getAttribute("data-score-rule")) };
  var lang = (root.closest("[lang]") || document.documentElement).getAttribute("lang") || "nl";
  var mode = MODES.indexOf(root.getAttribute("data-mode")) >= 0 ? root.getAttribute("data-mode") : firstTry() ? "guided" : "practice";
  var guard = window.OefenpleinGuard || function () { return null; };
  /* Right to left or not is this player's own: a page may hold players in two languages. */
  var el = builder(document, (root.closest("[dir]") || document.documentElement).getAttribute("dir") === "rtl").el;
  var screens = {};
  sc.screens.forEach(function (screen) { screens[screen.id] = screen; });
  var serial = 0;
  var A = null; /* the attempt */
  var targets = {}, fields = {}, updaters = [], clock = 0, pinPress = null, guided = null;

  /* "1": the learner tried this scenario before (the server knows); "0": never; "": a guest, so this browser. */
  function firstTry() {
    var tried = root.getAttribute("data-tried");
    if (tried === "1" || tried === "0") return tried === "0";
    return triedHere().indexOf(sc.slug) < 0;
  }

  function triedHere() {
    try {
      return JSON.parse(localStorage.getItem(TRIED)) || [];
    } catch {
      return [];
    }
  }

  function noteTried() {
    var list = triedHere();
    if (list.indexOf(sc.slug) >= 0) return;
    try {
      localStorage.setItem(TRIED, JSON.stringify(list.concat([sc.slug]).slice(-100)));
    } catch { /* storage off: every visit is a first try */ }
  }

  function nid(part) {
    serial += 1;
    return pid + "-" + part + serial;
  }

  /* ---- the learning record: every attempt event goes through here ---- */
  function recordAttemptEvent(event) {
    var statement = attemptStatement(A, event, { activity: activity, lang: lang, now: Date.now() });
    var progress = window.Oefenplein;
    if (activity && progress && progress.record) progress.record(statement);
  }

  function begin() {
    if (A.started) return;
    A.started = true;
    noteTried();
    recordAttemptEvent({ type: "start" });
  }

  /* ---- the frame around the screens ---- */
  root.textContent = "";
  root.classList.add("sim");
  root.style.setProperty("--sim-app", sc.app.color);
  var modeButtons = {};
  var modeLabel = el("span", { id: nid("mode"), cls: "sim-tools-label", text: S.mode });
  var modeGroup = el("div", { role: "group", cls: "sim-modes", "aria-labelledby": modeLabel.id }, [modeLabel]);
  MODES.forEach(function (name) {
    modeButtons[name] = el("button", { type: "button", cls: "sim-btn sim-btn-secondary", text: S[name], click: function () {
      mode = name;
      reset(true);
    } });
    modeGroup.appendChild(modeButtons[name]);
  });
  var restart = el("button", { type: "button", cls: "sim-btn sim-btn-secondary sim-restart", text: S.restart, click: function () {
    reset(true);
  } });
  var instruction = el("p", { id: nid("instr"), cls: "sim-instruction" });
  var instructionBox = panel("sim-guide-panel", S.instruction, [instruction]);
  var hintText = el("p", { id: nid("hint"), cls: "sim-hint-text", hidden: true });
  var hintButton = el("button", { type: "button", cls: "sim-btn sim-btn-secondary", text: S.hint, click: hint });
  var hintBox = el("div", { cls: "sim-panel sim-hint" }, [hintButton, hintText]);
  var feedback = el("div", { cls: "sim-feedback", role: "status", "aria-live": "polite", "aria-atomic": "true" });
  var endHeading = el("h3", { tabindex: "-1", text: S.done });
  var endNote = el("p", { cls: "sim-end-note", hidden: true, text: S.notCounted });
  var endFacts = el("dl", { cls: "sim-facts" });
  var endBox = el("section", { cls: "sim-panel sim-end", hidden: true }, [endHeading, endNote, endFacts]);
  var title = el("h2", { id: nid("title"), cls: "sim-title", tabindex: "-1" });
  var body = el("div", { cls: "sim-screen" });
  var stopText = el("p", { id: nid("stop") });
  var stopHeading = el("h3", { id: nid("stoph"), text: S.stop });
  var stop = el("div", {
    role: "alertdialog", cls: "sim-stop", tabindex: "-1", hidden: true,
    "aria-labelledby": stopHeading.id, "aria-describedby": stopText.id,
  }, [stopHeading, stopText, sc.safety ? el("p", { text: sc.safety }) : null, el("p", { text: S.stopCounts }),
    el("div", { cls: "sim-choices" }, [
      el("button", { type: "button", cls: "sim-btn", text: S.stepAgain, click: function () { resume(false); } }),
      el("button", { type: "button", cls: "sim-btn sim-btn-secondary", text: S.fromStart, click: function () { resume(true); } }),
    ]),
  ]);
  var device = el("section", { cls: "sim-device sim-" + (sc.frame || "phone"), "aria-label": sc.app.name }, [
    sc.frame === "web" ? el("div", { cls: "sim-browser", "aria-hidden": "true" }, [el("span"), el("span"), el("span")]) : null,
    el("p", { cls: "sim-mark", text: S.mark }),
    el("div", { cls: "sim-appbar" }, [el("span", { cls: "sim-appname", text: sc.app.name }), title]),
    body, stop,
  ]);
  var goalList = el("ul", { cls: "sim-goals" });
  var persona = panel("sim-persona", S.persona, [
    el("p", { cls: "sim-persona-name", text: sc.persona.name }),
    lines("sim-facts", sc.persona.facts || []),
    el("p", { cls: "sim-note", text: S.madeUp }),
  ]);
  root.appendChild(el("div", { cls: "sim-tools" }, [modeGroup, restart]));
  root.appendChild(el("p", { cls: "sim-note", text: S.safe }));
  root.appendChild(el("div", { cls: "sim-main sim-main-" + (sc.frame || "phone") }, [
    el("div", { cls: "sim-coach" }, [instructionBox, hintBox, feedback, endBox]),
    device,
    panel("sim-goal-panel", S.goals, [goalList]),
    persona,
  ]));

  function panel(cls, heading, kids) {
    var head = el("h3", { id: nid("h"), text: heading });
    return el("section", { cls: "sim-panel " + cls, "aria-labelledby": head.id }, [head].concat(kids));
  }

  function term(label) {
    return /[:?!.\u061f]$/.test(label) ? label : label + ":";
  }

  function lines(cls, rows) {
    var list = el("dl", { cls: cls });
    rows.forEach(function (row) {
      list.appendChild(el("div", null, [el("dt", { text: term(row.label) }), el("dd", { text: row.value })]));
    });
    return list;
  }

  var said = 0;
  function say(text, kind) {
    var turn = (said += 1);
    feedback.textContent = "";
    feedback.className = "sim-feedback" + (kind ? " sim-feedback-" + kind : "");
    if (!text) return;
    /* A fresh node, a moment later: the same message twice is read out twice. */
    setTimeout(function () {
      if (turn === said) feedback.appendChild(el("p", { text: text }));
    }, 50);
  }

  /* ---- state, prices and goals ---- */
  function matches(wanted) {
    return stateMatches(A.state, wanted);
  }

  function price() {
    return farePrice(sc.fares, A.state);
  }

  function money(amount) {
    try {
      return new Intl.NumberFormat(lang, { style: "currency", currency: sc.fares.currency || "EUR" }).format(amount);
    } catch {
      return amount.toFixed(2) + " " + (sc.fares.currency || "EUR");
    }
  }

  function refresh() {
    updaters.forEach(function (update) { update(); });
    placeGuide();
    goalList.textContent = "";
    sc.goals.forEach(function (goal) {
      var reached = !!A.goals[goal.id];
      goalList.appendChild(el("li", { cls: reached ? "sim-goal-done" : "" }, [
        el("span", { cls: "sim-goal-state", text: reached ? S.goalDone : S.goalTodo }), " " + goal.label,
      ]));
    });
  }

  /* ---- actions ---- */
  function checkFields(ids) {
    for (var i = 0; i < ids.length; i++) {
      var entry = fields[ids[i]];
      if (entry && entry.pin) {
        if (!A.state["pin:" + ids[i]]) return entry.c.feedback || S.tryAgain;
        continue;
      }
      if (!entry) continue;
      if (entry.guarded && !entry.input.value) {
        say(entry.guarded, "guard");
        return true;
      }
      if (screenGuard(entry.input, ids[i])) return true;
      var ok = fieldOk(entry.c, entry.input.value);
      entry.input.setAttribute("aria-invalid", ok ? "false" : "true");
      entry.error.textContent = ok ? "" : mode === "test" ? S.notRight : entry.c.feedback;
      if (!ok) return entry.c.feedback || S.tryAgain;
    }
    return "";
  }

  /* The guard: a real-looking number is cleared and explained; only "guarded" is recorded. */
  function screenGuard(input, element) {
    var kind = guard(input.value);
    if (!kind) return false;
    input.value = "";
    begin();
    recordAttemptEvent({ type: "action", element: element, outcome: "guarded" });
    var entry = fields[element];
    if (entry) entry.guarded = S["guard_" + kind];
    say(S["guard_" + kind], "guard");
    return true;
  }

  function act(action, element) {
    if (A.over) return;
    begin();
    if (action.safety) return unsafe(action, element);
    var problem = checkFields(action.require_fields || []);
    if (problem === true) return;
    if (problem) return wrong(element, problem);
    if (!matches(action.require)) return wrong(element, action.require_feedback);
    var outcome = outcomeOf(action);
    if (outcome === "wrong") return wrong(element, action.feedback);
    applyAction(A, sc, action, element);
    recordAttemptEvent({ type: "action", element: element, outcome: outcome });
    if (action.goto) show(action.goto, true);
    else refresh();
    say(action.feedback || (A.reached ? S.goalDone + " " + A.reached : ""), action.feedback ? outcome : "right");
    A.reached = "";
    if (allReached(A, sc.goals)) finish();
  }

  function wrong(element, text) {
    countWrong(A);
    recordAttemptEvent({ type: "action", element: element, outcome: "wrong" });
    say(mode === "test" ? S.notRight : S.notRight + " " + (text || S.tryAgain), "wrong");
  }

  /* A safety error ends what counts of the attempt at once (the record says "failed"); the learner
     may still go on practising in it from the Stop: see resume(). */
  function unsafe(action, element) {
    countSafety(A);
    recordAttemptEvent({ type: "action", element: element, outcome: "safety" });
    stopText.textContent = action.feedback || "";
    end(false);
    body.inert = true;
    body.hidden = true;
    stop.hidden = false;
    say("");
    stop.focus();
  }

  /* After a Stop: the screen of the mistake again, as it was just before it, or the start (a fresh
     walk). Same attempt: its safety error stays, so it does not count, and the record says so. */
  function resume(fromStart) {
    if (!resumeAfterStop(A, sc, fromStart)) return;
    recordAttemptEvent({ type: "action", element: "resume", outcome: "resume" });
    stop.hidden = true;
    body.hidden = false;
    body.inert = false;
    show(A.screen, true);
    say(S.afterStop, "guard");
  }

  function end(passed) {
    if (endAttempt(A)) recordAttemptEvent({ type: "end", passed: passed });
  }

  function hint() {
    if (A.over) return;
    begin();
    if (countHint(A)) recordAttemptEvent({ type: "hint" });
    hintText.hidden = false;
    say(screens[A.screen].hint, "hint");
  }

  /* Every goal reached. After a safety error (and going on) the try is over but does not count. */
  function finish() {
    var passed = A.safety === 0;
    A.over = true;
    body.inert = true;
    end(passed);
    A.score = score(A);
    placeGuide();
    var seconds = Math.round((Date.now() - A.t0) / 1000);
    var facts = [
      { label: S.score, value: A.score + " / 100" },
      { label: S.time, value: fill(S.duration, { m: Math.floor(seconds / 60), s: seconds % 60 }) },
      { label: S.hints, value: String(A.hints) },
      { label: S.wrongs, value: String(A.wrong) },
    ];
    if (A.safety) facts.push({ label: S.safetyErrors, value: String(A.safety) });
    endHeading.textContent = passed ? S.done : S.doneUnsafe;
    endNote.hidden = passed;
    // The last screen's guided instruction ("Well done!") would contradict "this try does not count".
    if (!passed) instructionBox.hidden = true;
    endBox.classList.toggle("sim-end-unsafe", !passed);
    endFacts.replaceWith((endFacts = lines("sim-facts", facts)));
    if (sc.safety && !endBox.querySelector(".sim-lesson")) endBox.appendChild(el("p", { cls: "sim-lesson", text: sc.safety }));
    endBox.hidden = false;
    endHeading.focus();
  }

  /* ---- components ---- */
  function bind(node, action, element) {
    node.addEventListener("click", function () { act(action, element); });
    targets[element] = node;
    if (action.set && Object.keys(action.set).length) {
      updaters.push(function () { node.setAttribute("aria-pressed", String(matches(action.set))); });
    }
    return node;
  }

  function button(c) {
    return bind(el("button", { type: "button", cls: "sim-btn sim-btn-" + (c.variant || "primary"), text: c.label }), c, c.id);
  }

  function labelled(text) {
    return el("p", { id: nid("l"), cls: "sim-label", text: text });
  }

  function field(c) {
    var id = nid("f");
    var help = c.help ? el("p", { id: nid("fh"), cls: "sim-help", text: c.help }) : null;
    var error = el("p", { id: nid("fe"), cls: "sim-error" });
    var type = { tel: "tel", email: "email" }[c.input] || "text";
    var input = el("input", {
      id: id, type: type, autocomplete: "off", spellcheck: "false", dir: "auto",
      inputmode: { numeric: "numeric", tel: "tel", email: "email" }[c.input],
      "aria-describedby": (help ? help.id + " " : "") + error.id,
    });
    if (c.prefill) input.value = c.prefill;
    fields[c.id] = { c: c, input: input, error: error };
    input.addEventListener("input", function () {
      fields[c.id].guarded = "";
      placeGuide();
    });
    input.addEventListener("change", function () { if (!A.over) screenGuard(input, c.id); });
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      var submit = screens[A.screen].components.filter(function (other) {
        return other.type === "button" && (other.require_fields || []).indexOf(c.id) >= 0;
      })[0];
      if (submit) act(submit, submit.id);
      else if (!A.over) screenGuard(input, c.id);
    });
    targets[c.id] = input;
    return el("div", { cls: "sim-field" }, [el("label", { for: id, text: c.label }), help, input, error]);
  }

  function pin(c) {
    var value = "";
    var label = labelled(c.label);
    var dots = el("p", { cls: "sim-dots", "aria-hidden": "true" });
    var count = el("p", { cls: "sim-vh", "aria-live": "polite" });
    var pad = el("div", { cls: "sim-pad" });
    var group = el("div", { role: "group", cls: "sim-pin", "aria-labelledby": label.id }, [label, dots, count, pad]);
    function draw() {
      dots.textContent = "\u25cf".repeat(value.length) + "\u25cb".repeat(c.length - value.length);
      count.textContent = fill(S.pinCount, { n: value.length, total: c.length });
    }
    function press(key) {
      if (A.over) return;
      value = key === "del" ? value.slice(0, -1) : value.length < c.length ? value + key : value;
      draw();
      if (value.length < c.length) return;
      var code = value;
      value = "";
      draw();
      if ((c.weak || []).indexOf(code) >= 0) {
        begin();
        return wrong(c.id, c.weak_feedback);
      }
      if ((c.match && A.state["pin:" + c.match] !== code) || (c.expected && c.expected !== code)) {
        begin();
        return wrong(c.id, c.feedback);
      }
      A.state["pin:" + c.id] = code;
      act(c.safety ? c : Object.assign({}, c, { feedback: "" }), c.id);
    }
    "1234567890".split("").forEach(function (digit) {
      pad.appendChild(el("button", { type: "button", cls: "sim-key", text: digit, click: function () { press(digit); } }));
    });
    pad.appendChild(el("button", { type: "button", cls: "sim-key sim-key-del", text: S.del, click: function () { press("del"); } }));
    fields[c.id] = { c: c, pin: true };
    pinPress = pinPress || press;
    targets[c.id] = group;
    draw();
    return group;
  }

  function choices(c) {
    var label = labelled(c.label);
    var list = el("ul", { cls: "sim-options sim-" + c.type, "aria-labelledby": label.id });
    var items = c.options.map(function (option) {
      var item = el("li", null, [bind(el("button", {
        type: "button", cls: "sim-btn sim-option sim-btn-" + (option.variant || "list"),
        text: option.label,
      }), option, option.id)]);
      if (option.detail) {
        var detail = el("span", { id: nid("d"), cls: "sim-detail", text: option.detail });
        targets[option.id].setAttribute("aria-describedby", detail.id);
        item.appendChild(detail);
      }
      item.words = fold(option.label + " " + (option.detail || ""));
      list.appendChild(item);
      return item;
    });
    var kids = [label];
    if (c.searchable) {
      var search = el("input", { id: nid("s"), type: "search", autocomplete: "off", spellcheck: "false", dir: "auto" });
      var found = el("p", { cls: "sim-help", role: "status" });
      search.addEventListener("input", function () {
        var words = fold(search.value.trim());
        var shown = 0;
        items.forEach(function (item) {
          item.hidden = words !== "" && item.words.indexOf(words) < 0;
          if (!item.hidden) shown += 1;
        });
        found.textContent = words ? (shown ? fill(S.found, { n: shown }) : S.nothing) : "";
      });
      search.addEventListener("change", function () { if (!A.over) screenGuard(search, c.id); });
      kids.push(el("div", { cls: "sim-field" }, [el("label", { for: search.id, text: S.search }), search, found]));
    }
    kids.push(list);
    return el("div", { cls: "sim-choice" }, kids);
  }

  function dialog(c, heading, extra) {
    var head = el("p", { id: nid("dh"), cls: "sim-dialog-title", text: heading });
    var text = el("p", { id: nid("dt"), text: c.text });
    var buttons = el("div", { cls: "sim-choices" });
    c.options.forEach(function (option) {
      buttons.appendChild(bind(el("button", {
        type: "button", cls: "sim-btn sim-btn-" + (option.variant || "primary"), text: option.label,
      }), option, option.id));
    });
    return el("div", {
      role: "dialog", cls: "sim-dialog sim-" + c.type, "aria-labelledby": head.id, "aria-describedby": text.id,
    }, [head, text, extra, buttons]);
  }

  function render(c) {
    switch (c.type) {
      case "text":
        return el("p", { cls: "sim-text-" + (c.style || "body"), text: c.text });
      case "image":
        return el("img", { cls: "sim-image", src: staticBase + c.src, alt: c.alt });
      case "button":
        return button(c);
      case "field":
        return field(c);
      case "pin":
        return pin(c);
      case "list":
      case "slots":
        return choices(c);
      case "notification":
        var parts = [
          el("span", { cls: "sim-notif-kind", text: S[c.variant === "push" ? "push" : "sms"] }),
          el("span", { cls: "sim-notif-from", text: c.from }),
          el("span", { cls: "sim-notif-text", text: c.text }),
        ];
        var tappable = c.goto || c.goal || c.result || c.safety || c.feedback || c.set;
        return tappable
          ? bind(el("button", { type: "button", cls: "sim-notif" }, parts), c, c.id)
          : el("div", { cls: "sim-notif" }, parts);
      case "ticket":
        var time = el("span", { cls: "sim-clock" });
        var tick = function () {
          time.textContent = new Date().toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
        };
        tick();
        clock = setInterval(tick, 1000);
        return el("div", { cls: "sim-ticket" }, [
          el("p", { cls: "sim-ticket-title", text: c.title }),
          fakeQr(document, c.code, S.fakeCode),
          el("p", { cls: "sim-ticket-clock" }, [S.clock + " ", time]),
          lines("sim-facts", c.lines || []),
        ]);
      case "permission":
        return dialog(c, c.app);
      case "cookies":
        return dialog(c, c.site);
      case "request":
        return dialog(c, c.from, c.details && c.details.length ? lines("sim-facts", c.details) : null);
      case "price":
        var amount = el("strong");
        updaters.push(function () {
          var value = price();
          amount.textContent = value == null ? S.noPrice : money(value);
        });
        return el("p", { cls: "sim-price" }, [c.label + " ", amount]);
      case "summary":
        var rows = el("dl", { cls: "sim-facts sim-summary" });
        updaters.push(function () {
          rows.textContent = "";
          c.rows.forEach(function (row) {
            var chosen = (row.values || {})[A.state[row.var]];
            rows.appendChild(el("div", null, [el("dt", { text: term(row.label) }), el("dd", { text: chosen || S.notChosen })]));
          });
        });
        return rows;
    }
    return null;
  }

  /* ---- guided mode: the badge is on the element the next step needs ---- */

  /* Done already, on this visit of the screen: a valid field, a full PIN pad, a choice that is set. */
  function ready(screen, id) {
    var entry = fields[id], action = actionOf(screen, id);
    if (entry && entry.pin) return !!A.state["pin:" + id];
    if (entry) return !entry.guarded && fieldOk(entry.c, entry.input.value);
    if (!action || action.goto || action.goal) return false;
    if (action.set && Object.keys(action.set).length) return matches(action.set);
    return !!A.doneHere[id];
  }

  function nextElement() {
    var screen = screens[A.screen];
    var range = segment(sc.solution, A.step, A.screen);
    for (var i = range[0]; i < range[1]; i++) {
      if (!ready(screen, sc.solution[i].element)) return sc.solution[i].element;
    }
    var target = guideOf(screen);
    var action = target && actionOf(screen, target);
    if (!action) return target;
    /* Without a solution: a field the step needs comes first, then a choice it requires. */
    var missing = (action.require_fields || []).filter(function (id) { return !ready(screen, id); })[0];
    if (missing) return missing;
    var needed = Object.keys(action.require || {}).filter(function (key) { return A.state[key] !== action.require[key]; });
    if (!needed.length) return target;
    var setter = null;
    screen.components.forEach(function (c) {
      (CHOICES[c.type] ? c.options : [c]).forEach(function (item) {
        if (!setter && !item.safety && item.set && item.set[needed[0]] === action.require[needed[0]]) setter = item.id;
      });
    });
    return setter || target;
  }

  /* The badge and the element stay together, whatever layout the component has. A wrap stays once
     made, so moving the badge never moves an element (a field keeps focus while the learner types). */
  var badge = el("span", { cls: "sim-badge", "aria-hidden": "true", text: S.next });
  function placeGuide() {
    var id = mode === "guided" && !A.over ? nextElement() : null;
    var node = (id && targets[id]) || null;
    if (node === guided && (!node || node.previousSibling === badge)) return;
    if (guided) {
      guided.classList.remove("sim-guided");
      var described = (guided.getAttribute("aria-describedby") || "").split(" ").filter(function (part) {
        return part && part !== instruction.id;
      }).join(" ");
      if (described) guided.setAttribute("aria-describedby", described);
      else guided.removeAttribute("aria-describedby");
    }
    if (badge.parentNode) badge.parentNode.removeChild(badge);
    guided = node;
    if (!node) return;
    var wrap = node.parentNode;
    if (!wrap.classList.contains("sim-guide-wrap")) {
      var focused = node.contains(document.activeElement) ? document.activeElement : null;
      wrap = el("div", { cls: "sim-guide-wrap" });
      node.parentNode.replaceChild(wrap, node);
      wrap.appendChild(node);
      if (focused) focused.focus();
    }
    wrap.insertBefore(badge, node);
    node.classList.add("sim-guided");
    node.setAttribute("aria-describedby", ((node.getAttribute("aria-describedby") || "") + " " + instruction.id).trim());
  }

  function show(id, focus) {
    var screen = screens[id];
    enterScreen(A, sc, id);
    clearInterval(clock);
    targets = {};
    fields = {};
    updaters = [];
    pinPress = null;
    body.textContent = "";
    title.textContent = screen.title;
    screen.components.forEach(function (c) {
      var node = render(c);
      if (node) body.appendChild(el("div", { cls: "sim-c sim-c-" + c.type }, [node]));
    });
    instruction.textContent = screen.instruction;
    hintText.textContent = screen.hint;
    hintText.hidden = true;
    guided = null;
    refresh();
    if (focus) title.focus();
  }

  function reset(focus) {
    A = newAttempt(sc, mode, Date.now(), served);
    root.setAttribute("data-mode", mode);
    MODES.forEach(function (name) { modeButtons[name].setAttribute("aria-pressed", String(name === mode)); });
    instructionBox.hidden = mode !== "guided";
    hintBox.hidden = mode !== "practice";
    endBox.hidden = true;
    stop.hidden = true;
    body.hidden = false;
    body.inert = false;
    say("");
    show(sc.start, focus);
  }

  root.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!pinPress || event.ctrlKey || event.metaKey || event.altKey || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    var key = normalize(event.key);
    if (/^[0-9]$/.test(key)) pinPress(key);
    else if (event.key === "Backspace") pinPress("del");
    else return;
    event.preventDefault();
  });

  reset(false);
}

function startAll() {
  document.querySelectorAll("[data-sim]:not([data-sim-ready])").forEach(function (root) {
    try {
      Player(root);
    } catch (error) {
      root.setAttribute("data-sim-error", "");
      if (window.console) console.error(error);
    }
  });
}

window.OefenpleinSim = { start: startAll };
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startAll);
else startAll();
