// The learning-record queue (progress/static/progress/js/progress.js) run in Node against a server the
// test plays: at most 50 statements a request, stable ids, a failed send retried with the same ids,
// Retry-After honoured by every tab, nothing lost but a statement the server refuses.
import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";
import { eventTarget, fakeClock, fakeStorage, plain, runScript } from "./support/browser.mjs";

const SCRIPT = "progress/static/progress/js/progress.js";
const QUEUE = "oefenplein.queue.v2.";
const REJECTED = "oefenplein.rejected.v2.";
const NOT_BEFORE = "oefenplein.queue.notBefore";

let clock, storage, requests, answers;

/* The server: each request takes the next answer (the last one repeats); "network" rejects. */
function fetch(url, options) {
  requests.push({ url, options, statements: JSON.parse(options.body) });
  const answer = answers.length > 1 ? answers.shift() : answers[0];
  if (answer === "network") return Promise.reject(new TypeError("Failed to fetch"));
  const { status, body = {}, headers = {} } = typeof answer === "function" ? answer(JSON.parse(options.body)) : answer;
  return Promise.resolve({
    status,
    headers: { get: (name) => headers[name] ?? null },
    json: () => Promise.resolve(body),
  });
}

const stored = (statements) => ({ status: 200, body: { stored: statements.length, duplicates: 0 } });

/* One browser tab of the site; tabs made in one test share storage, clock and server. */
function openTab({ learner = "learner-1", token = "csrf-token" } = {}) {
  const document = eventTarget({
    body: { getAttribute: (name) => (name === "data-learner" ? learner : null) },
    documentElement: { lang: "nl" },
    title: "Les · Oefenplein",
    querySelector: (selector) =>
      selector.includes("csrf-token") && token ? { getAttribute: () => token } : null,
  });
  let held = Promise.resolve();
  const locks = {
    request: (name, task) => {
      const turn = held.then(() => task());
      held = turn.catch(() => {});
      return turn;
    },
  };
  const tab = runScript(SCRIPT, {
    document,
    navigator: { locks },
    localStorage: storage,
    fetch,
    Blob,
    AbortController,
    crypto: globalThis.crypto,
    location: { pathname: "/nl/les/", search: "" },
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
    Date: clock.Date,
  });
  return tab.Oefenplein;
}

const queued = () => [...storage.items.keys()].filter((key) => key.startsWith(QUEUE));
const rejected = () => [...storage.items.keys()].filter((key) => key.startsWith(REJECTED));
const sentIds = () => requests.map((request) => request.statements.map((statement) => statement.id));
const answered = (n) => ({ id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`, verb: { id: "answered" } });

beforeEach(() => {
  clock = fakeClock();
  storage = fakeStorage();
  requests = [];
  answers = [stored];
});

describe("progress.js queue", () => {
  test("a statement waits in its own entry, with its id, until the server has stored it", async () => {
    const queue = openTab();
    const id = queue.record({ verb: { id: "experienced" } });
    assert.match(id, /^[0-9a-f-]{36}$/);
    const entry = JSON.parse(storage.getItem(QUEUE + id));
    assert.equal(entry.owner, "learner-1");
    assert.equal(entry.statement.id, id);
    assert.equal(entry.statement.timestamp, new Date(clock.now()).toISOString());
    assert.equal(requests.length, 0, "sent from a timer, not inside record()");

    await clock.advance(0);
    assert.equal(requests.length, 1);
    const [{ url, options, statements }] = requests;
    assert.equal(url, "/api/progress/statements");
    assert.equal(options.method, "POST");
    assert.equal(options.headers["X-CSRFToken"], "csrf-token");
    assert.deepEqual(plain(statements), [plain(entry.statement)]);
    assert.deepEqual(queued(), []);
  });

  test("a statement that already has an id keeps it", async () => {
    const queue = openTab();
    assert.equal(queue.record(answered(7)), answered(7).id);
    await clock.advance(0);
    assert.deepEqual(sentIds(), [[answered(7).id]]);
  });

  test("at most 50 statements a request, oldest first, until none are left", async () => {
    const queue = openTab();
    const ids = [];
    for (let n = 0; n < 120; n++) ids.push(queue.record(answered(n)));
    await clock.advance(0);
    assert.deepEqual(
      requests.map((request) => request.statements.length),
      [50, 50, 20]
    );
    assert.deepEqual(sentIds().flat(), ids);
    assert.deepEqual(queued(), []);
  });

  for (const failure of ["network", { status: 500 }, { status: 429 }]) {
    const name = failure === "network" ? "a network error" : `a ${failure.status} without Retry-After`;
    test(`after ${name} the same statements are sent again, with the same ids, a moment later`, async () => {
      answers = [failure, stored];
      const queue = openTab();
      const ids = [1, 2, 3].map((n) => queue.record(answered(n)));
      await clock.advance(0);
      assert.equal(requests.length, 1);
      assert.equal(queued().length, 3, "nothing removed before the server said it stored them");

      await clock.advance(499);
      assert.equal(requests.length, 1, "the first wait is at least half a second");
      await clock.advance(501);
      assert.equal(requests.length, 2);
      assert.deepEqual(sentIds(), [ids, ids]);
      assert.deepEqual(queued(), []);
    });
  }

  test("the wait after each failure doubles", async () => {
    answers = ["network", "network", "network", stored];
    const queue = openTab();
    queue.record(answered(1));
    await clock.advance(0);
    const start = clock.now();
    const tries = [];
    for (let ms = 0; ms < 10000 && requests.length < 4; ms += 50) {
      const before = requests.length;
      await clock.advance(50);
      if (requests.length > before) tries.push(clock.now());
    }
    assert.equal(requests.length, 4);
    const gaps = [tries[0] - start, tries[1] - tries[0], tries[2] - tries[1]];
    assert.ok(gaps[0] >= 500 && gaps[0] <= 1050, `first wait ${gaps[0]}`);
    assert.ok(gaps[1] >= 1000 && gaps[1] <= 2050, `second wait ${gaps[1]}`);
    assert.ok(gaps[2] >= 2000 && gaps[2] <= 4050, `third wait ${gaps[2]}`);
    assert.deepEqual(queued(), []);
  });

  test("a statement recorded while the queue waits after a failure goes along with the waiting ones", async () => {
    answers = ["network", stored];
    const queue = openTab();
    const first = queue.record(answered(1));
    await clock.advance(0);
    const second = queue.record(answered(2));
    await clock.advance(0);
    assert.deepEqual(sentIds(), [[first], [first, second]]);
    assert.deepEqual(queued(), []);
  });

  test("Retry-After: no tab sends before that time, then the same statements go", async () => {
    answers = [{ status: 429, headers: { "Retry-After": "30" } }, stored];
    const queue = openTab();
    const ids = [1, 2].map((n) => queue.record(answered(n)));
    await clock.advance(0);
    assert.equal(requests.length, 1);
    assert.equal(Number(storage.getItem(NOT_BEFORE)), clock.now() + 30000, "shared with other tabs");

    const otherTab = openTab();
    const third = otherTab.record(answered(3));
    await otherTab.flush();
    await clock.advance(29999);
    assert.equal(requests.length, 1, "neither tab sends before Retry-After has passed");

    await clock.advance(2002); // Retry-After + at most 1 s of jitter (+1 ms)
    assert.deepEqual(sentIds().slice(1).flat().sort(), [...ids, third].sort());
    assert.deepEqual(queued(), []);
    assert.equal(storage.getItem(NOT_BEFORE), null, "forgotten after a stored answer");
  });

  test("Retry-After as an HTTP date is honoured too", async () => {
    answers = [() => ({ status: 503, headers: { "Retry-After": new Date(clock.now() + 10000).toUTCString() } }), stored];
    const queue = openTab();
    queue.record(answered(1));
    await clock.advance(0);
    await clock.advance(9999);
    assert.equal(requests.length, 1);
    await clock.advance(1002);
    assert.equal(requests.length, 2);
  });

  test("a 400 sets apart only the statement it names; the others are stored", async () => {
    answers = [{ status: 400, body: { index: 1, error: "score out of range" } }, stored];
    const queue = openTab();
    const ids = [1, 2, 3].map((n) => queue.record(answered(n)));
    await clock.advance(0);
    assert.deepEqual(sentIds(), [ids, [ids[0], ids[2]]]);
    assert.deepEqual(queued(), []);
    assert.deepEqual(rejected(), [REJECTED + ids[1]]);
    const refused = JSON.parse(storage.getItem(REJECTED + ids[1]));
    assert.equal(refused.error, "score out of range");
    assert.equal(refused.statement.id, ids[1]);
  });

  test("a 409 for a batch sends one by one; only the statement it is about is set apart", async () => {
    const conflict = answered(2).id;
    answers = [(statements) => (statements.some((s) => s.id === conflict) ? { status: 409 } : stored(statements))];
    const queue = openTab();
    [1, 2, 3].forEach((n) => queue.record(answered(n)));
    await clock.advance(0);
    assert.deepEqual(
      requests.map((request) => request.statements.length),
      [3, 1, 1, 1]
    );
    assert.deepEqual(queued(), []);
    assert.deepEqual(rejected(), [REJECTED + conflict]);
  });

  test("a 401 stops sending and keeps every statement", async () => {
    answers = [{ status: 401 }];
    const queue = openTab();
    queue.record(answered(1));
    await clock.advance(0);
    queue.record(answered(2));
    await clock.advance(120000);
    assert.equal(requests.length, 1);
    assert.equal(queued().length, 2);
  });

  test("a guest's page keeps the statements for later and never sends", async () => {
    const queue = openTab({ learner: null, token: null });
    const id = queue.record(answered(1));
    await clock.advance(60000);
    assert.equal(requests.length, 0);
    assert.equal(JSON.parse(storage.getItem(QUEUE + id)).owner, "guest");
    assert.equal(JSON.parse(storage.getItem(QUEUE + id)).title, "Les");
  });

  test("a learner's page sends only its own statements; guest practice waits for the learner's answer", async () => {
    const guestTab = openTab({ learner: null, token: null });
    const practised = guestTab.record(answered(1));
    const queue = openTab();
    const own = queue.record(answered(2));
    await clock.advance(0);
    assert.deepEqual(sentIds(), [[own]]);
    assert.deepEqual(plain(queue.guestPractice().map((entry) => entry.statement.id)), [practised]);

    await queue.claimGuestPractice([practised]);
    await clock.advance(0);
    assert.deepEqual(sentIds(), [[own], [practised]]);
    assert.deepEqual(queued(), []);
  });

  test("practice a learner says is not theirs is deleted unsent", async () => {
    const practised = openTab({ learner: null, token: null }).record(answered(1));
    const queue = openTab();
    await queue.dropGuestPractice([practised]);
    await clock.advance(60000);
    assert.equal(requests.length, 0);
    assert.deepEqual(queued(), []);
  });

  test("with storage switched off, statements live in memory and are still sent", async () => {
    const broken = () => {
      throw new Error("SecurityError");
    };
    storage = { getItem: broken, setItem: broken, removeItem: broken, key: broken, length: 0, items: new Map() };
    const queue = openTab();
    const id = queue.record(answered(1));
    await clock.advance(0);
    assert.deepEqual(sentIds(), [[id]]);
  });
});
