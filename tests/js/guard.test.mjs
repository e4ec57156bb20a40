// The safe-input guard (sandboxes/static/sandboxes/js/guard.js): which typed texts count as a real-looking
// national register number, IBAN or payment card. tests/sandboxes/test_guard_js.py checks on many more
// samples that it agrees with sandboxes/guard.py; here each rule is pinned on its own.
import assert from "node:assert/strict";
import { test } from "node:test";
import { runScript } from "./support/browser.mjs";

const guard = runScript("sandboxes/static/sandboxes/js/guard.js", {}).OefenpleinGuard;
const ARABIC_INDIC = (text) => text.replace(/\d/g, (d) => String.fromCharCode(0x660 + Number(d)));

test("a national register number with right check digits, also for people born from 2000", () => {
  assert.equal(guard("56031412372"), "national_number");
  assert.equal(guard("56.03.14-123.72"), "national_number");
  assert.equal(guard("03072104548"), "national_number", "check digits over 2 + the first nine digits");
  assert.equal(guard("03072104519"), "national_number", "the year may be 1903: the other check counts too");
  assert.equal(guard("03072104520"), null, "neither check");
  assert.equal(guard("56031412373"), null, "one check digit off");
  assert.equal(guard("56131412372"), null, "no month 13 (20 and 40 are added for unknown births)");
});

test("an IBAN by its mod-97 check, with or without spaces, anywhere in the text", () => {
  assert.equal(guard("BE71 0961 2345 6769"), "iban");
  assert.equal(guard("iban be71096123456769."), "iban");
  assert.equal(guard("GB82 WEST 1234 5698 7654 32"), "iban");
  assert.equal(guard.iban("BE71 0961 2345 6768"), false);
  assert.equal(guard("NL91 ABNA 0417 1643 01"), null);
  assert.equal(guard.iban("BE71 0961 2345 676"), false, "a Belgian IBAN has 16 characters");
});

test("a payment card number by the Luhn check, but not one digit repeated", () => {
  assert.equal(guard("4111 1111 1111 1111"), "card");
  assert.equal(guard("my card: 5555-5555-5555-4444, thanks"), "card");
  assert.equal(guard("4111 1111 1111 1112"), null);
  assert.equal(guard("0000000000000"), null);
});

test("Arabic-Indic and Persian digits count as 0-9", () => {
  assert.equal(guard(ARABIC_INDIC("4111 1111 1111 1111")), "card");
  assert.equal(guard(ARABIC_INDIC("56031412372")), "national_number");
  assert.equal(guard("۴۱۱۱۱۱۱۱۱۱۱۱۱۱۱۱"), "card");
  assert.equal(guard.asciiDigits("٠٤٧٠ ۰۰ １２"), "0470 00 12");
});

test("ordinary answers pass", () => {
  for (const text of ["", "Maria Janssens", "0470 00 12 34", "14/03/1956", "12345", "2000 Antwerpen"]) {
    assert.equal(guard(text), null, text);
  }
});
