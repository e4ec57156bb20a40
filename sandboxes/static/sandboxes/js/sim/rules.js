/* The simulator's rules, without a page: what an action leads to, the attempt's counts and score, the
 * guide's next step, prices, and the learning-record statement of an attempt event.
 *
 * Why a module of its own: these are the rules sandboxes/replay.py repeats on the server (the server's
 * score is the one that counts) and the ones Node's test runner checks (tests/js/engine.test.mjs).
 * Every function takes what it works on (the scenario, the attempt) as an argument: nothing here is
 * shared between the players on one page.
 */
const VERBS = "http://adlnet.gov/expapi/verbs/";
export const MODES = ["guided", "practice", "test"];
/* Components whose actions are their options. */
export const CHOICES = { list: 1, slots: 1, permission: 1, cookies: 1, request: 1 };

export function uuid() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID(); /* only on https and localhost */
  return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
    return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
  });
}

export function fill(text, values) {
  return String(text).replace(/\{(\w+)\}/g, function (all, key) {
    return key in values ? values[key] : all;
  });
}

export function normalize(value, how) {
  // Arabic-Indic digits (an Arabic keyboard) count as 0-9, as on the server (learn/digits.py).
  value = String(value).trim().replace(/[\u0660-\u0669\u06f0-\u06f9\uff10-\uff19]/g, function (d) { return String(d.charCodeAt(0) & 15); });
  if (how === "digits") return value.replace(/\D/g, "");
  return how === "lower" ? value.toLowerCase() : value;
}

/* For searching a list: lower case, without accents. */
export function fold(text) {
  return String(text).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}

export function outcomeOf(action) {
  return action.result || (action.goto || action.goal ? "right" : "neutral");
}

/* Does the attempt's state hold every wanted value? */
export function matches(state, wanted) {
  return Object.keys(wanted || {}).every(function (key) { return state[key] === wanted[key]; });
}

/* A field's value against the scenario's expected value or pattern; any value when neither is given. */
export function fieldOk(c, value) {
  var v = normalize(value, c.normalize);
  if (c.expected != null) return v === normalize(c.expected, c.normalize);
  if (c.pattern) {
    try {
      return new RegExp("^(?:" + c.pattern + ")$").test(v);
    } catch {
      return !!v;
    }
  }
  return !!v;
}

/* The fare for the chosen state, rounded to cents; null while a choice it needs is missing. */
export function price(fares, state) {
  if (!fares) return null;
  var amount = fares.base.table[state[fares.base.var]];
  if (amount == null) return null;
  for (var i = 0; i < (fares.factors || []).length; i++) {
    var factor = fares.factors[i].table[state[fares.factors[i].var]];
    if (factor == null) return null;
    amount *= factor;
  }
  return Math.round(amount * 100) / 100;
}

/* ---- the attempt ---- */

/* `served`: what the page hands over from the server, written once there: `ext`, the xAPI extension address
   (progress/xapi.py), and `rule`, the score's numbers {full, wrong, hint} (sandboxes/replay.py). */
export function newAttempt(sc, mode, now, served) {
  return {
    ext: served.ext, rule: served.rule,
    reg: uuid(), mode: mode, t0: now, state: Object.assign({}, sc.state || {}), goals: {},
    hints: 0, wrong: 0, safety: 0, hinted: {}, over: false, stopped: false, ended: false, started: false,
    score: 100, step: 0, doneHere: {}, screen: sc.start, reached: "",
  };
}

/* The rule of FORMAT.md ("Modes") with the server's numbers; sandboxes/replay.py attempt_score is the one that counts. */
export function score(A) {
  return A.safety ? 0 : Math.max(0, A.rule.full - A.rule.wrong * A.wrong - A.rule.hint * A.hints);
}

/* An action that was not wrong: its values are set, the guide moves on, its goal is reached. Where
   it leads (`goto`) is the caller's: the next screen's own goal is reached when it is shown. */
export function applyAction(A, sc, action, element) {
  Object.keys(action.set || {}).forEach(function (key) { A.state[key] = action.set[key]; });
  advance(A, sc.solution, element);
  A.doneHere[element] = true;
  if (action.goal) reach(A, sc.goals, action.goal);
}

/* A new screen: what was done on the last one no longer counts there. */
export function enterScreen(A, sc, screenId) {
  A.screen = screenId;
  A.doneHere = {};
  var screen = sc.screens.filter(function (s) { return s.id === screenId; })[0];
  if (screen && screen.goal) reach(A, sc.goals, screen.goal);
}

export function reach(A, goals, id) {
  if (A.goals[id]) return;
  A.goals[id] = true;
  A.reached = goals.filter(function (goal) { return goal.id === id; }).map(function (goal) { return goal.label; })[0] || "";
}

export function allReached(A, goals) {
  return goals.every(function (goal) { return A.goals[goal.id]; });
}

export function countWrong(A) {
  A.wrong += 1;
}

/* One hint counts once per screen; returns true when this one counts. */
export function countHint(A) {
  if (A.hinted[A.screen]) return false;
  A.hinted[A.screen] = true;
  A.hints += 1;
  return true;
}

/* A safety error: what counts of the attempt is over at once. */
export function countSafety(A) {
  A.safety += 1;
  A.over = A.stopped = true;
}

/* After a Stop the learner goes on in the same attempt, at the screen of the mistake or from the start;
   the safety error stays, so the attempt does not count. */
export function resumeAfterStop(A, sc, fromStart) {
  if (!A.stopped) return false;
  A.over = A.stopped = false;
  if (fromStart) {
    A.state = Object.assign({}, sc.state || {});
    A.goals = {};
    A.step = 0;
    A.screen = sc.start;
  }
  return true;
}

/* Ends the attempt once; returns false when it had already ended. */
export function endAttempt(A) {
  if (A.ended) return false;
  A.ended = true;
  A.score = score(A);
  return true;
}

/* ---- the guide ---- */

/* The solution's steps on this screen, from where the learner is in it: [from, to). A screen can
   come back later in the solution (or the learner went back), hence the search from A.step first. */
export function segment(solution, step, screenId) {
  var steps = solution || [], from = -1, i;
  for (i = step; i < steps.length && from < 0; i++) if (steps[i].screen === screenId) from = i;
  for (i = 0; i < steps.length && from < 0; i++) if (steps[i].screen === screenId) from = i;
  if (from < 0) return [0, 0];
  for (i = from; i < steps.length && steps[i].screen === screenId; i++);
  return [from, i];
}

/* The solution step just done moves the guide on. */
export function advance(A, solution, element) {
  var range = segment(solution, A.step, A.screen);
  for (var i = range[0]; i < range[1]; i++) {
    if (solution[i].element === element) A.step = i + 1;
  }
}

export function actionOf(screen, id) {
  var found = null;
  screen.components.forEach(function (c) {
    if (c.id === id) found = c;
    if (CHOICES[c.type]) c.options.forEach(function (option) { if (option.id === id) found = option; });
  });
  return found;
}

/* Without a solution: `guide`, or the first right step that moves on. */
export function guideOf(screen) {
  if (screen.guide) return screen.guide;
  var found = null;
  screen.components.some(function (c) {
    var actions = CHOICES[c.type] ? c.options : c.type === "button" || c.type === "pin" || c.type === "notification" ? [c] : [];
    return actions.some(function (action) {
      if (!action.safety && outcomeOf(action) === "right" && (action.goto || action.goal)) found = action.id;
      return found;
    });
  });
  return found;
}

/* ---- the learning record ---- */

/* The xAPI statement of one attempt event: start, action, hint or end. Only ids, outcomes and counts:
   never what the learner typed. */
export function attemptStatement(A, event, page) {
  var verb = { start: "attempted", end: event.passed ? "passed" : "failed" }[event.type] || "interacted";
  var EXT = A.ext;
  var context = {};
  context[EXT + "mode"] = A.mode;
  var statement = {
    id: uuid(),
    verb: { id: VERBS + verb, display: { "en-US": verb } },
    object: { objectType: "Activity", id: page.activity },
    /* The language says which translation the server replays the attempt over. */
    context: { registration: A.reg, language: page.lang, extensions: context },
  };
  var ext = {};
  var elapsed = page.now - A.t0;
  if (event.type === "action" || event.type === "hint") {
    ext[EXT + "screen"] = A.screen;
    ext[EXT + "element"] = event.element || "hint";
    ext[EXT + "outcome"] = event.type === "hint" ? "hint" : event.outcome;
    ext[EXT + "elapsed-ms"] = elapsed;
    if (event.type === "hint") ext[EXT + "hints"] = 1;
    statement.result = { extensions: ext };
    if (/^(right|wrong|safety)$/.test(event.outcome)) statement.result.success = event.outcome === "right";
  } else if (event.type === "end") {
    var raw = event.passed ? A.score : 0;
    ext[EXT + "hints"] = A.hints;
    ext[EXT + "wrong"] = A.wrong;
    ext[EXT + "safety"] = A.safety;
    statement.result = {
      success: event.passed,
      completion: !!event.passed,
      score: { scaled: raw / 100, raw: raw, min: 0, max: 100 },
      duration: "PT" + (elapsed / 1000).toFixed(1) + "S",
      extensions: ext,
    };
  }
  return statement;
}
