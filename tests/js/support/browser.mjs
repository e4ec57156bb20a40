// A small stand-in for the browser, enough to run one of the site's classic scripts in Node's `vm`:
// a clock the test moves by hand (setTimeout, Date), localStorage, fetch answered by the test, and
// event listeners the test can fire. No DOM library: each test hands over the few nodes a script reads.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/* Timers and Date.now() that only move when the test says so. */
export function fakeClock(start = Date.UTC(2026, 0, 5, 9, 0, 0)) {
  let now = start;
  let serial = 0;
  const timers = new Map();
  const clock = {
    now: () => now,
    setTimeout(callback, ms = 0) {
      serial += 1;
      timers.set(serial, { at: now + Math.max(0, Number(ms) || 0), callback, serial });
      return serial;
    },
    clearTimeout(id) {
      timers.delete(id);
    },
    pending: () => timers.size,
    /* Runs every timer due within `ms`, in time order, letting promises settle after each. */
    async advance(ms = 0) {
      const until = now + ms;
      await settle();
      for (;;) {
        const due = [...timers.values()].filter((t) => t.at <= until).sort((a, b) => a.at - b.at || a.serial - b.serial)[0];
        if (!due) break;
        timers.delete(due.serial);
        now = due.at;
        due.callback();
        await settle();
      }
      now = until;
    },
  };
  class FakeDate extends Date {
    constructor(...args) {
      super(...(args.length ? args : [now]));
    }
    static now() {
      return now;
    }
  }
  clock.Date = FakeDate;
  return clock;
}

/* Lets every pending promise (and the ones they start) run. */
export async function settle() {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

export function fakeStorage() {
  const items = new Map();
  return {
    items,
    get length() {
      return items.size;
    },
    key: (index) => [...items.keys()][index] ?? null,
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
  };
}

/* Something with addEventListener that the test can fire events on. */
export function eventTarget(extra = {}) {
  const listeners = {};
  return Object.assign(extra, {
    addEventListener(type, listener) {
      (listeners[type] ||= []).push(listener);
    },
    removeEventListener(type, listener) {
      listeners[type] = (listeners[type] || []).filter((other) => other !== listener);
    },
    fire(type, event = {}) {
      for (const listener of listeners[type] || []) listener(Object.assign({ type }, event));
    },
  });
}

/* Runs a classic script (path from the repository root) with `globals` as its window. */
export function runScript(path, globals) {
  const window = eventTarget(globals);
  window.window = window;
  window.self = window;
  const context = vm.createContext(window);
  vm.runInContext(readFileSync(ROOT + path, "utf8"), context, { filename: path });
  return window;
}

/* A plain copy from the script's realm, so deepStrictEqual compares values, not prototypes. */
export const plain = (value) => JSON.parse(JSON.stringify(value));
