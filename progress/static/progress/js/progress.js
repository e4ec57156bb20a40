/* Oefenplein learning-record queue.
 *
 * API (stable; lessons/js/lesson.js, h5p/js/h5p-bridge.js and sandboxes/js/engine.js use `record`):
 *   Oefenplein.record(statement) -> id     keep a statement until the server has stored it
 *   Oefenplein.flush() -> Promise          send this learner's statements now
 *   Oefenplein.ready -> Promise            settles when storage from older versions is read in
 *   Oefenplein.guestPractice() -> entries  practice done on this browser before signing in
 *   Oefenplein.claimGuestPractice(ids), Oefenplein.dropGuestPractice(ids) -> Promise
 *                                          the learner's answer to "Did you just practise this?"
 *                                          (progress/js/guest-practice.js asks it)
 *
 * Why: on public computers with flaky connections an answer must never be lost nor count twice,
 * also with several tabs open. So:
 * - Each statement gets a stable id (the server stores it once) and waits in its own localStorage
 *   entry ("oefenplein.queue.v2.<id>") until the server answers 200. One entry per statement means
 *   tabs never overwrite each other's statements: recording is one setItem, sending removes keys.
 * - Sending, and changing whose statements they are, happen under one Web Lock shared by all tabs,
 *   so one tab at a time sends and no two tabs send the same statement. Without Web Locks, tabs
 *   take turns through a lease in localStorage: not airtight, but nothing is lost either way, and
 *   a statement sent twice is stored once.
 * - Entries carry their owner: the learner's public id (<body data-learner>) or "guest". Only
 *   signed-in pages send (they carry <meta name="csrf-token">), and only their learner's entries.
 *   Guest entries are never given to a learner without asking: guest-practice.js asks, and
 *   `claimGuestPractice` / `dropGuestPractice` carry out the answer.
 * - An answer or "Next lesson" loads a new page. A send started then would be cut off and sent again
 *   from the next page, so while this page is being left nothing new is sent: the next page sends it,
 *   once. A send that is already under way is made with `keepalive`, so it still arrives.
 * - Server answers: 200: removed. 400: the statement at `index` is refused and kept apart
 *   ("oefenplein.rejected.v2.<id>"), the rest goes on. 409/413: one by one, then refused.
 *   401/403: stop, the session ended. Retry-After (429, 503): no tab sends before that time.
 *   Other errors (network, 5xx, 429): retry after 1 s doubling to 60 s with jitter, at once on
 *   "online", and on the next page. Nothing is dropped but on a 400 for that statement.
 * - Signing out waits for a send (at most 3 s); what is still unsent stays this learner's.
 * - Storage full or switched off: new entries live in memory, for this page only.
 */
(function () {
  "use strict";
  var QUEUE = "oefenplein.queue.v2.";
  var REJECTED = "oefenplein.rejected.v2.";
  var OLD_QUEUE = "oefenplein.queue.v1";
  var OLD_REJECTED = "oefenplein.rejected.v1";
  var NOT_BEFORE = "oefenplein.queue.notBefore"; /* shared by tabs: the server's Retry-After */
  var LOCK = "oefenplein.queue";
  var LEASE = "oefenplein.queue.sender"; /* the same, where Web Locks are missing */
  var ENDPOINT = "/api/progress/statements";
  var GUEST = "guest";
  var KEEPALIVE_BYTES = 60000; /* browsers allow 64 KiB of keepalive bodies in flight */
  var TIMEOUT_MS = 30000; /* a hanging request must not hold the lock for every tab */
  var MAX_WAIT_S = 86400;

  var learner = document.body && document.body.getAttribute("data-learner");
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta && meta.getAttribute("content");
  var stopped = !learner || !token;
  var memory = {};
  var running = null, again = false, timer = 0, delay = 0, size = 50, counter = 0;
  var leaving = false, comeBack = 0;
  var TAB = uuid();

  /* ---- storage: one key per statement ---- */

  function storage() {
    try {
      return window.localStorage;
    } catch {
      return null;
    }
  }

  function read(key) {
    if (Object.prototype.hasOwnProperty.call(memory, key)) return memory[key];
    try {
      var text = storage().getItem(key);
      return text === null ? null : JSON.parse(text);
    } catch {
      return null;
    }
  }

  function write(key, value) {
    try {
      storage().setItem(key, JSON.stringify(value));
      delete memory[key];
    } catch {
      memory[key] = value;
    }
  }

  function remove(key) {
    delete memory[key];
    try {
      storage().removeItem(key);
    } catch {
      /* nothing stored there */
    }
  }

  function keysStartingWith(prefix) {
    var found = {};
    var store = storage();
    try {
      for (var i = 0; store && i < store.length; i++) {
        var stored = store.key(i);
        if (stored && stored.indexOf(prefix) === 0) found[stored] = true;
      }
    } catch {
      /* storage switched off: only memory */
    }
    Object.keys(memory).forEach(function (key) {
      if (key.indexOf(prefix) === 0) found[key] = true;
    });
    return Object.keys(found);
  }

  /* The queued entries of one owner (or all), oldest first. */
  function entries(owner) {
    return keysStartingWith(QUEUE)
      .map(read)
      .filter(function (entry) {
        return entry && entry.statement && entry.statement.id && (!owner || entry.owner === owner);
      })
      .sort(function (a, b) {
        return (a.at || 0) - (b.at || 0) || (a.n || 0) - (b.n || 0);
      });
  }

  /* Queues and refusals of the version before (one shared list each) become one key per statement. */
  function upgrade() {
    var old = read(OLD_QUEUE);
    if (Array.isArray(old)) {
      old.forEach(function (entry, index) {
        if (entry && entry.statement && entry.statement.id && !read(QUEUE + entry.statement.id)) {
          write(QUEUE + entry.statement.id, { owner: entry.owner, statement: entry.statement, at: 0, n: index });
        }
      });
    }
    var refused = read(OLD_REJECTED);
    if (Array.isArray(refused)) {
      refused.forEach(function (entry) {
        if (entry && entry.statement && entry.statement.id) write(REJECTED + entry.statement.id, entry);
      });
    }
    remove(OLD_QUEUE);
    remove(OLD_REJECTED);
  }

  /* ---- one tab at a time ---- */

  function exclusive(task) {
    var locks = navigator.locks;
    if (!locks || typeof locks.request !== "function") return leased(task);
    var started = false;
    return locks
      .request(LOCK, function () {
        started = true;
        return task();
      })
      .catch(function (error) {
        if (started) throw error;
        return leased(task); /* the lock itself failed (sandboxed frame, insecure page) */
      });
  }

  /* Without Web Locks: a lease in localStorage. Two tabs taking it at the same moment both check
   * a little later that it is still theirs. Not airtight, so it only makes double sends rare: the
   * entries per statement and the server's ids keep it safe. A closed tab's lease runs out. */
  function leased(task) {
    return new Promise(function (resolve, reject) {
      function attempt() {
        var lease = read(LEASE);
        if (lease && lease.tab !== TAB && lease.until > Date.now()) {
          setTimeout(attempt, 100 + Math.random() * 200);
          return;
        }
        write(LEASE, { tab: TAB, until: Date.now() + TIMEOUT_MS + 5000 });
        setTimeout(function () {
          var mine = read(LEASE);
          if (!mine || mine.tab !== TAB) return attempt();
          Promise.resolve()
            .then(task)
            .then(
              function (value) {
                release();
                resolve(value);
              },
              function (error) {
                release();
                reject(error);
              }
            );
        }, 50);
      }
      attempt();
    });
  }

  function release() {
    var lease = read(LEASE);
    if (lease && lease.tab === TAB) remove(LEASE);
  }

  /* ---- sending ---- */

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID(); /* only on https and localhost */
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }

  function notBefore() {
    return Number(read(NOT_BEFORE)) || 0;
  }

  /* Seconds from a Retry-After header (a number or an HTTP date), or null without one. */
  function retryAfter(response) {
    var value = response.headers.get("Retry-After");
    if (!value) return null;
    var seconds = /^\s*\d+\s*$/.test(value) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
    if (!isFinite(seconds)) return null;
    return Math.min(Math.max(seconds, 0), MAX_WAIT_S);
  }

  function backOff() {
    delay = Math.min(60000, delay ? delay * 2 : 1000);
    return delay / 2 + (Math.random() * delay) / 2;
  }

  function refuse(batch, reason) {
    batch.forEach(function (entry) {
      write(REJECTED + entry.statement.id, Object.assign({ error: reason }, entry));
      remove(QUEUE + entry.statement.id);
    });
  }

  /* One request. Settles with 0 (go on), -1 (stop for good) or milliseconds to wait; rejects on
   * network errors and answers that say nothing certain. */
  function send(batch) {
    var body = JSON.stringify(
      batch.map(function (entry) {
        return entry.statement;
      })
    );
    var abort = window.AbortController ? new AbortController() : null;
    var timeout = abort && setTimeout(function () { abort.abort(); }, TIMEOUT_MS);
    return fetch(ENDPOINT, {
      method: "POST",
      credentials: "same-origin",
      redirect: "error",
      keepalive: new Blob([body]).size <= KEEPALIVE_BYTES,
      signal: abort ? abort.signal : undefined,
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: body,
    })
      .then(function (response) {
        var status = response.status;
        if (status === 200) {
          return response.json().then(function (answer) {
            if (typeof answer.stored !== "number") throw new Error("not stored");
            batch.forEach(function (entry) {
              remove(QUEUE + entry.statement.id);
            });
            delay = 0;
            if (read(NOT_BEFORE) !== null) remove(NOT_BEFORE);
            return 0;
          });
        }
        if (status === 400) {
          return response
            .json()
            .catch(function () {
              return {};
            })
            .then(function (answer) {
              var bad = batch[answer.index];
              refuse(bad ? [bad] : batch, answer.error || "400");
              return 0;
            });
        }
        if (status === 409 || status === 413) {
          if (batch.length > 1) size = 1;
          else refuse(batch, String(status));
          return 0;
        }
        if (status === 401 || status === 403) {
          stopped = true;
          return -1;
        }
        var seconds = retryAfter(response);
        if (seconds === null) throw new Error(String(status));
        var until = Date.now() + seconds * 1000;
        if (until > notBefore()) write(NOT_BEFORE, until);
        return seconds * 1000 + 1 + Math.random() * 1000;
      })
      .then(
        function (outcome) {
          clearTimeout(timeout);
          return outcome;
        },
        function (error) {
          clearTimeout(timeout);
          throw error;
        }
      );
  }

  /* Under the lock: send this learner's entries, 50 at a time, until none are left or a try failed. */
  function drain() {
    if (stopped || leaving) return null; /* leaving: the next page sends it, once */
    var wait = notBefore() - Date.now();
    if (wait > 0) return later(wait + Math.random() * 1000);
    var batch = entries(learner).slice(0, size);
    if (!batch.length) return null;
    return send(batch).then(
      function (outcome) {
        if (outcome === 0) return drain();
        if (outcome > 0) later(outcome);
        return null;
      },
      function () {
        later(backOff());
      }
    );
  }

  function later(ms) {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (!leaving) flush();
    }, ms);
    return null;
  }

  /* Settles when this learner's part of the queue is empty, or a try failed. */
  function flush() {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true; /* something was recorded while sending: look once more afterwards */
      return running;
    }
    clearTimeout(timer);
    running = exclusive(drain).then(settle, settle);
    return running;
  }

  function settle() {
    running = null;
    if (again) {
      again = false;
      later(0);
    }
  }

  function record(statement) {
    var copy = Object.assign({}, statement);
    copy.id = copy.id || uuid();
    copy.timestamp = copy.timestamp || new Date().toISOString();
    var entry = { owner: learner || GUEST, statement: copy, at: Date.now(), n: ++counter };
    if (!learner) {
      /* for "Did you just practise this?" after signing in, maybe in another language */
      entry.title = pageTitle();
      entry.lang = document.documentElement.lang || "";
    }
    write(QUEUE + copy.id, entry);
    if (!stopped) later(0);
    return copy.id;
  }

  function pageTitle() {
    var heading = document.querySelector("main h1");
    var text = heading ? heading.textContent : document.title.split(" · ")[0];
    return text.replace(/\s+/g, " ").trim().slice(0, 200);
  }

  /* ---- practice done as a guest: only the learner says whose it is ---- */

  function guestPractice() {
    return learner ? entries(GUEST) : [];
  }

  function chosen(ids) {
    return entries(GUEST).filter(function (entry) {
      return !Array.isArray(ids) || ids.indexOf(entry.statement.id) >= 0;
    });
  }

  function claimGuestPractice(ids) {
    if (!learner) return Promise.resolve();
    return exclusive(function () {
      chosen(ids).forEach(function (entry) {
        write(QUEUE + entry.statement.id, Object.assign({}, entry, { owner: learner }));
      });
    }).then(function () {
      flush(); /* sent in the background: the answer is given */
    });
  }

  function dropGuestPractice(ids) {
    if (!learner) return Promise.resolve();
    return exclusive(function () {
      chosen(ids).forEach(function (entry) {
        remove(QUEUE + entry.statement.id);
      });
    });
  }

  /* ---- leaving the page, signing out, coming back online ---- */

  function leave() {
    leaving = true;
    clearTimeout(comeBack);
    /* Still here after a while: the navigation did not happen (a download, a stop). */
    comeBack = setTimeout(function () {
      leaving = false;
      if (!stopped) later(0);
    }, 3000);
  }

  /* Runs after every other handler (on window, bubbling): a form or link that will load a page. */
  function leavingBy(event) {
    if (event.defaultPrevented) return;
    if (event.type === "submit") {
      var form = event.target;
      if (form.method === "dialog" || (form.target && form.target !== "_self")) return;
    } else {
      var link = event.target.closest && event.target.closest("a[href]");
      if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      if (link.hasAttribute("download") || (link.target && link.target !== "_self")) return;
      if (link.hash && link.pathname === location.pathname && link.search === location.search) return;
    }
    leave();
  }

  function signOut(event) {
    var form = event.target;
    if (!learner || !form.matches('form[action$="/account/logout/"]') || form.hasAttribute("data-leaving")) return;
    event.preventDefault();
    form.setAttribute("data-leaving", "");
    var wait = new Promise(function (resolve) {
      setTimeout(resolve, 3000);
    });
    Promise.race([flush(), wait]).then(function () {
      stopped = true;
      form.submit();
    });
  }

  var ready = (read(OLD_QUEUE) || read(OLD_REJECTED) ? exclusive(upgrade) : Promise.resolve()).catch(function () {
    /* an unreadable old queue: nothing to read in */
  });

  window.Oefenplein = Object.assign(window.Oefenplein || {}, {
    record: record,
    flush: flush,
    ready: ready,
    guestPractice: guestPractice,
    claimGuestPractice: claimGuestPractice,
    dropGuestPractice: dropGuestPractice,
  });
  document.addEventListener("submit", signOut);
  window.addEventListener("submit", leavingBy);
  window.addEventListener("click", leavingBy);
  window.addEventListener("beforeunload", leave);
  window.addEventListener("pagehide", release);
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    leaving = false;
    later(0);
  });
  window.addEventListener("online", function () {
    delay = 0;
    if (!leaving) flush();
  });
  ready.then(function () {
    if (!stopped) later(0);
  });
})();
