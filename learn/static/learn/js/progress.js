/* Oefenplein learning-record queue: window.Oefenplein.record(statement).
 *
 * Why: on public computers with flaky connections an answer must never be lost nor count twice.
 * So each statement gets a stable id (stored once by the server) and waits in localStorage for a 200.
 * How: entries carry their owner: the learner's public id (<body data-learner>) or "guest". Only
 * signed-in pages flush (they carry <meta name="csrf-token">; cached anonymous pages have neither).
 * A flush first gives guest entries to this learner (practice before signing in counts), then sends
 * this learner's entries, never another's, 50 at a time. 200: removed. 400: the statement at
 * `index` moves to the rejected list (kept), the rest goes on. 409/413: one by one, then rejected.
 * 401/403: stop, the session ended. Network error, 5xx, 429: retry after 1 s doubling to 60 s with
 * jitter, at once on "online", and on the next page. Signing out waits for a flush (at most 3 s);
 * what is still unsent stays this learner's, for their next sign-in here.
 */
(function () {
  "use strict";
  var QUEUE = "oefenplein.queue.v1";
  var REJECTED = "oefenplein.rejected.v1";
  var ENDPOINT = "/api/progress/statements";
  var GUEST = "guest";
  var memory = {};
  var broken = false;
  var learner = document.body && document.body.getAttribute("data-learner");
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta && meta.getAttribute("content");
  var busy = null, timer = 0, delay = 0, size = 50;
  var stopped = !learner || !token;

  /* Storage full or switched off: from then on the queue lives in memory, for this page only. */
  function read(key) {
    try {
      if (!broken) return JSON.parse(localStorage.getItem(key)) || [];
    } catch (error) {
      broken = true;
    }
    return memory[key] || [];
  }

  function write(key, list) {
    memory[key] = list;
    try {
      if (!broken) localStorage.setItem(key, JSON.stringify(list));
    } catch (error) {
      broken = true;
    }
  }

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID(); /* only on https and localhost */
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }

  /* Practice done as a guest on this device joins the account that signs in here. */
  function adopt() {
    var list = read(QUEUE);
    if (!list.some(function (entry) { return entry.owner === GUEST; })) return;
    write(QUEUE, list.map(function (entry) {
      return entry.owner === GUEST ? { owner: learner, statement: entry.statement } : entry;
    }));
  }

  function idsOf(entries) {
    return entries.map(function (entry) { return entry.statement.id; });
  }

  function drop(ids) {
    write(QUEUE, read(QUEUE).filter(function (entry) { return ids.indexOf(entry.statement.id) < 0; }));
  }

  function reject(entries, reason) {
    drop(idsOf(entries));
    write(REJECTED, read(REJECTED).concat(entries.map(function (entry) {
      return Object.assign({ error: reason }, entry);
    })));
  }

  function later() {
    clearTimeout(timer);
    delay = Math.min(60000, delay ? delay * 2 : 1000);
    timer = setTimeout(flush, delay / 2 + Math.random() * delay / 2);
  }

  function send(batch) {
    return fetch(ENDPOINT, {
      method: "POST",
      credentials: "same-origin",
      redirect: "error",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(batch.map(function (entry) { return entry.statement; })),
    }).then(function (response) {
      var status = response.status;
      if (status === 200) {
        return response.json().then(function (body) {
          if (typeof body.stored !== "number") throw new Error("not stored");
          drop(idsOf(batch));
          delay = 0;
          return true;
        });
      }
      if (status === 400) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          var bad = batch[body.index];
          reject(bad ? [bad] : batch, body.error || "400");
          return true;
        });
      }
      if (status === 409 || status === 413) {
        if (batch.length > 1) size = 1;
        else reject(batch, String(status));
        return true;
      }
      if (status === 401 || status === 403) {
        stopped = true;
        return false;
      }
      throw new Error(String(status));
    });
  }

  /* Settles when this learner's part of the queue is empty, or a try failed. */
  function flush() {
    if (busy) return busy;
    if (stopped) return Promise.resolve();
    clearTimeout(timer);
    adopt();
    var batch = read(QUEUE).filter(function (entry) { return entry.owner === learner; }).slice(0, size);
    if (!batch.length) return Promise.resolve();
    busy = send(batch).then(
      function (again) {
        busy = null;
        return again ? flush() : null;
      },
      function () {
        busy = null;
        later();
      }
    );
    return busy;
  }

  function record(statement) {
    var copy = Object.assign({}, statement);
    copy.id = copy.id || uuid();
    copy.timestamp = copy.timestamp || new Date().toISOString();
    write(QUEUE, read(QUEUE).concat([{ owner: learner || GUEST, statement: copy }]));
    if (!stopped) setTimeout(flush, 0);
    return copy.id;
  }

  function signOut(event) {
    var form = event.target;
    if (!learner || !form.matches('form[action$="/account/logout/"]') || form.hasAttribute("data-leaving")) return;
    event.preventDefault();
    form.setAttribute("data-leaving", "");
    var wait = new Promise(function (resolve) { setTimeout(resolve, 3000); });
    Promise.race([flush(), wait]).then(function () {
      adopt();
      stopped = true;
      form.submit();
    });
  }

  window.Oefenplein = Object.assign(window.Oefenplein || {}, { record: record, flush: flush });
  document.addEventListener("submit", signOut);
  window.addEventListener("online", function () {
    delay = 0;
    flush();
  });
  flush();
})();
