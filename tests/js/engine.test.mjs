// The simulator engine's rules without a page (sandboxes/static/sandboxes/js/sim/rules.js): where an
// action leads, the counts of wrong steps, hints and safety errors, the score, the guide's next step,
// resuming after a Stop, the learning-record statements; and (sim/dom.js) that each player keeps its own
// right-to-left setting, so two players on one page cannot disturb each other.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { builder } from "../../sandboxes/static/sandboxes/js/sim/dom.js";
import * as rules from "../../sandboxes/static/sandboxes/js/sim/rules.js";
import { fakeDocument } from "./support/dom.mjs";

const EXT = "https://oefenplein.mechelen.be/xapi/ext/";
// What the page hands the engine from the server (data-xapi-ext, data-score-rule; sandboxes/replay.py).
const SERVED = { ext: EXT, rule: { full: 100, wrong: 10, hint: 5 } };

/* A small scenario in the runtime shape (sandboxes/runtime.py): log in, choose a ticket, pay. */
function scenario() {
  return {
    slug: "ticket",
    start: "login",
    state: { kind: null },
    goals: [
      { id: "in", label: "Logged in" },
      { id: "paid", label: "Paid" },
    ],
    screens: [
      {
        id: "login",
        components: [
          { id: "user", type: "field", label: "Name" },
          { id: "go", type: "button", goto: "choose", goal: "in", require_fields: ["user"] },
          { id: "share", type: "button", safety: true, feedback: "Never share your code." },
        ],
      },
      {
        id: "choose",
        components: [
          {
            id: "kinds",
            type: "list",
            options: [
              { id: "single", set: { kind: "single" } },
              { id: "day", set: { kind: "day" } },
            ],
          },
          { id: "pay", type: "button", goto: "done", require: { kind: "day" }, require_feedback: "Choose a day ticket." },
          { id: "back", type: "button", goto: "login", result: "wrong", feedback: "Not back." },
        ],
      },
      { id: "done", goal: "paid", components: [{ id: "end", type: "text", text: "Thanks" }] },
    ],
    solution: [
      { screen: "login", element: "user" },
      { screen: "login", element: "go" },
      { screen: "choose", element: "day" },
      { screen: "choose", element: "pay" },
    ],
    fares: {
      currency: "EUR",
      base: { var: "kind", table: { single: 2.5, day: 7.5 } },
      factors: [{ var: "age", table: { child: 0.5, adult: 1 } }],
    },
  };
}

const screen = (sc, id) => sc.screens.find((s) => s.id === id);

describe("an attempt", () => {
  test("starts from the scenario's state, at its first screen, with nothing counted", () => {
    const sc = scenario();
    const A = rules.newAttempt(sc, "practice", 1000, SERVED);
    assert.equal(A.screen, "login");
    assert.equal(A.mode, "practice");
    assert.equal(A.t0, 1000);
    assert.deepEqual(A.state, { kind: null });
    A.state.kind = "day";
    assert.equal(sc.state.kind, null, "the scenario's own state is never changed");
    assert.equal(rules.score(A), 100);
    assert.match(A.reg, /^[0-9a-f-]{36}$/);
    assert.notEqual(rules.newAttempt(sc, "practice", 0, SERVED).reg, A.reg, "each attempt its own registration");
  });

  test("score: 100, minus 10 a wrong step and 5 a hint (once per screen), never below 0; 0 after a safety error", () => {
    const sc = scenario();
    const A = rules.newAttempt(sc, "practice", 0, SERVED);
    rules.countWrong(A);
    rules.countWrong(A);
    assert.equal(rules.countHint(A), true);
    assert.equal(rules.countHint(A), false, "a second hint on the same screen does not count");
    assert.deepEqual([A.wrong, A.hints], [2, 1]);
    assert.equal(rules.score(A), 75);
    rules.enterScreen(A, sc, "choose");
    assert.equal(rules.countHint(A), true, "a new screen, a new hint");
    assert.equal(rules.score(A), 70);
    for (let i = 0; i < 20; i++) rules.countWrong(A);
    assert.equal(rules.score(A), 0);
    const safe = rules.newAttempt(sc, "practice", 0, SERVED);
    rules.countSafety(safe);
    assert.equal(rules.score(safe), 0);
    assert.deepEqual([safe.over, safe.stopped, safe.safety], [true, true, 1]);
  });

  test("ends once, with the score it has then", () => {
    const A = rules.newAttempt(scenario(), "test", 0, SERVED);
    rules.countWrong(A);
    assert.equal(rules.endAttempt(A), true);
    assert.equal(A.score, 90);
    rules.countWrong(A);
    assert.equal(rules.endAttempt(A), false);
    assert.equal(A.score, 90);
  });

  test("a right action sets its values, reaches its goal, moves the guide; the next screen reaches its own goal", () => {
    const sc = scenario();
    const A = rules.newAttempt(sc, "guided", 0, SERVED);
    rules.applyAction(A, sc, screen(sc, "login").components[1], "go");
    assert.deepEqual(A.goals, { in: true });
    assert.equal(A.reached, "Logged in");
    assert.equal(A.step, 2, "past 'user' and 'go' in the solution");
    assert.equal(rules.allReached(A, sc.goals), false);

    rules.enterScreen(A, sc, "choose");
    assert.deepEqual(A.doneHere, {}, "what was done on the last screen does not count here");
    const day = rules.actionOf(screen(sc, "choose"), "day");
    rules.applyAction(A, sc, day, "day");
    assert.equal(A.state.kind, "day");
    assert.deepEqual(A.doneHere, { day: true });
    assert.equal(A.step, 3);

    rules.enterScreen(A, sc, "done");
    assert.equal(A.reached, "Paid");
    assert.equal(rules.allReached(A, sc.goals), true);
  });

  test("an action's requirement and outcome", () => {
    const sc = scenario();
    const A = rules.newAttempt(sc, "practice", 0, SERVED);
    const pay = rules.actionOf(screen(sc, "choose"), "pay");
    assert.equal(rules.matches(A.state, pay.require), false);
    A.state.kind = "day";
    assert.equal(rules.matches(A.state, pay.require), true);
    assert.equal(rules.outcomeOf(pay), "right", "it moves on");
    assert.equal(rules.outcomeOf(rules.actionOf(screen(sc, "choose"), "back")), "wrong");
    assert.equal(rules.outcomeOf(rules.actionOf(screen(sc, "choose"), "single")), "neutral");
  });

  test("after a Stop: on at the same screen keeps the state; from the start begins the walk again; the error stays", () => {
    const sc = scenario();
    const A = rules.newAttempt(sc, "practice", 0, SERVED);
    rules.applyAction(A, sc, screen(sc, "login").components[1], "go");
    rules.enterScreen(A, sc, "choose");
    A.state.kind = "single";
    assert.equal(rules.resumeAfterStop(A, sc, false), false, "nothing to resume without a Stop");
    rules.countSafety(A);
    assert.equal(rules.resumeAfterStop(A, sc, false), true);
    assert.deepEqual([A.screen, A.state.kind, A.over, A.safety], ["choose", "single", false, 1]);

    rules.countSafety(A);
    rules.resumeAfterStop(A, sc, true);
    assert.deepEqual([A.screen, A.state.kind, A.goals, A.step, A.safety], ["login", null, {}, 0, 2]);
    assert.equal(rules.score(A), 0);
  });
});

describe("the guide", () => {
  test("the solution's steps on the current screen, found again when a screen comes back", () => {
    const sc = scenario();
    assert.deepEqual(rules.segment(sc.solution, 0, "login"), [0, 2]);
    assert.deepEqual(rules.segment(sc.solution, 0, "choose"), [2, 4]);
    assert.deepEqual(rules.segment(sc.solution, 3, "login"), [0, 2], "went back: found from the start");
    assert.deepEqual(rules.segment(sc.solution, 0, "done"), [0, 0]);
    assert.deepEqual(rules.segment(undefined, 0, "login"), [0, 0]);
  });

  test("without a solution: the screen's guide, else the first right step that moves on (never a safety one)", () => {
    const sc = scenario();
    assert.equal(rules.guideOf(screen(sc, "login")), "go");
    assert.equal(rules.guideOf(screen(sc, "choose")), "pay");
    assert.equal(rules.guideOf({ guide: "kinds", components: [] }), "kinds");
    assert.equal(rules.guideOf({ components: [{ id: "x", type: "button", goto: "a", safety: true }] }), null);
  });
});

describe("fields, prices and texts", () => {
  test("a field is checked after normalising, Arabic-Indic digits included", () => {
    assert.equal(rules.fieldOk({ expected: "0470123456", normalize: "digits" }, "0470 12 34 56"), true);
    assert.equal(rules.fieldOk({ expected: "0470123456", normalize: "digits" }, "٠٤٧٠١٢٣٤٥٦"), true);
    assert.equal(rules.fieldOk({ expected: "Maria", normalize: "lower" }, "  MARIA "), true);
    assert.equal(rules.fieldOk({ expected: "Maria" }, "maria"), false);
    assert.equal(rules.fieldOk({ pattern: "\\d{4}" }, "1234"), true);
    assert.equal(rules.fieldOk({ pattern: "\\d{4}" }, "12345"), false, "the whole value must match");
    assert.equal(rules.fieldOk({ pattern: "([" }, "x"), true, "a broken pattern accepts any value");
    assert.equal(rules.fieldOk({}, "  "), false, "but not an empty one");
  });

  test("the price follows the choices, and is missing while a choice is", () => {
    const { fares } = scenario();
    assert.equal(rules.price(fares, { kind: "day" }), null);
    assert.equal(rules.price(fares, { kind: "day", age: "child" }), 3.75);
    assert.equal(rules.price(fares, { kind: "single", age: "adult" }), 2.5);
    assert.equal(rules.price(undefined, {}), null);
  });

  test("fill and fold", () => {
    assert.equal(rules.fill("{n} of {total}", { n: 2, total: 4 }), "2 of 4");
    assert.equal(rules.fill("{n} {unknown}", { n: 1 }), "1 {unknown}");
    assert.equal(rules.fold("Élise Çelik"), "elise celik");
  });
});

describe("the learning record", () => {
  const page = { activity: "https://oefenplein.mechelen.be/xapi/sim/ticket", lang: "ar", now: 65400 };

  test("an action says screen, element, outcome and time, never what was typed", () => {
    const sc = scenario();
    const A = rules.newAttempt(sc, "guided", 1000, SERVED);
    const statement = rules.attemptStatement(A, { type: "action", element: "go", outcome: "wrong" }, page);
    assert.equal(statement.verb.id, "http://adlnet.gov/expapi/verbs/interacted");
    assert.equal(statement.object.id, page.activity);
    assert.deepEqual(statement.context, { registration: A.reg, language: "ar", extensions: { [EXT + "mode"]: "guided" } });
    assert.deepEqual(statement.result, {
      success: false,
      extensions: { [EXT + "screen"]: "login", [EXT + "element"]: "go", [EXT + "outcome"]: "wrong", [EXT + "elapsed-ms"]: 64400 },
    });
    const guarded = rules.attemptStatement(A, { type: "action", element: "user", outcome: "guarded" }, page);
    assert.equal("success" in guarded.result, false, "a guarded field is neither right nor wrong");
  });

  test("the end carries the score, the counts and the duration; a failed attempt scores 0", () => {
    const A = rules.newAttempt(scenario(), "practice", 1000, SERVED);
    rules.countWrong(A);
    rules.countHint(A);
    rules.endAttempt(A);
    const passed = rules.attemptStatement(A, { type: "end", passed: true }, page);
    assert.equal(passed.verb.id, "http://adlnet.gov/expapi/verbs/passed");
    assert.deepEqual(passed.result.score, { scaled: 0.85, raw: 85, min: 0, max: 100 });
    assert.equal(passed.result.duration, "PT64.4S");
    assert.deepEqual(passed.result.extensions, { [EXT + "hints"]: 1, [EXT + "wrong"]: 1, [EXT + "safety"]: 0 });
    assert.equal(passed.result.completion, true);
    const failed = rules.attemptStatement(A, { type: "end", passed: false }, page);
    assert.equal(failed.verb.id, "http://adlnet.gov/expapi/verbs/failed");
    assert.equal(failed.result.score.raw, 0);
    assert.equal(failed.result.completion, false);
  });

  test("start and hint", () => {
    const A = rules.newAttempt(scenario(), "practice", 0, SERVED);
    assert.equal(rules.attemptStatement(A, { type: "start" }, page).verb.id, "http://adlnet.gov/expapi/verbs/attempted");
    const hint = rules.attemptStatement(A, { type: "hint" }, page);
    assert.equal(hint.result.extensions[EXT + "outcome"], "hint");
    assert.equal(hint.result.extensions[EXT + "hints"], 1);
  });
});

describe("two players on one page", () => {
  const text = (node) => node.children.map((child) => (child.tag ? { [child.attributes.dir || child.dir]: child.children[0].text } : child.text));

  test("each keeps its own right-to-left setting, whatever order they draw in", () => {
    const document = fakeDocument();
    const arabic = builder(document, true);
    const dutch = builder(document, false);
    const first = arabic.el("p", { text: "اتصل بـ 0470 00 12 34" });
    const second = dutch.el("p", { text: "Bel 0470 00 12 34" });
    const third = arabic.el("p", { text: "الرقم 0470 00 12 34" });
    assert.deepEqual(text(first), ["اتصل بـ ", { ltr: "0470 00 12 34" }]);
    assert.deepEqual(text(second), ["Bel ", "0470 00 12 34"], "the Dutch player never wraps numbers");
    assert.deepEqual(text(third), ["الرقم ", { ltr: "0470 00 12 34" }], "the Arabic one still does after it");
  });

  test("each keeps its own attempt", () => {
    const sc = scenario();
    const one = rules.newAttempt(sc, "practice", 0, SERVED);
    const two = rules.newAttempt(sc, "test", 0, SERVED);
    rules.countWrong(one);
    rules.applyAction(one, sc, rules.actionOf(screen(sc, "choose"), "day"), "day");
    rules.countSafety(two);
    assert.deepEqual([one.wrong, one.safety, one.state.kind, rules.score(one)], [1, 0, "day", 90]);
    assert.deepEqual([two.wrong, two.safety, two.state.kind, rules.score(two)], [0, 1, null, 0]);
  });
});
