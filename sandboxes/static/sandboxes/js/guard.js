/* Oefenplein safe-input guard: window.OefenpleinGuard(text) -> "national_number" | "iban" | "card" | null.
 *
 * Why: a simulator is practice, so a real-looking personal number must never be typed, kept or sent.
 * The engine calls this on every text field before the value is evaluated; a match is cleared and
 * explained, never stored. The same three checks as sandboxes/guard.py (keep them in step):
 * a Belgian national register number (check digits, with the "2" in front for people born from 2000),
 * an IBAN (ISO 13616 mod 97) and a payment card number (Luhn). Arabic-Indic (٠-٩) and Eastern
 * Arabic/Persian (۰-۹) digits count as 0-9, as learn/digits.py does on the server.
 */
(function () {
  "use strict";
  if (window.OefenpleinGuard) return;
  var SEPARATORS = /[\s.\-/]/g;
  var DIGIT_RUNS = /\d(?:[\s.\-/]?\d){10,18}/g;
  var IBAN_RUNS = /\b[A-Za-z]{2}\d{2}(?:\s?[A-Za-z0-9]){11,30}/g;

  var OTHER_DIGITS = /[\u0660-\u0669\u06f0-\u06f9\uff10-\uff19]/g;

  function asciiDigits(value) {
    // U+0660, U+06F0 and U+FF10 (full-width) are all zero: the low four bits of the code are the digit.
    return String(value).replace(OTHER_DIGITS, function (digit) {
      return String(digit.charCodeAt(0) & 15);
    });
  }

  function compact(value) {
    return asciiDigits(value).replace(SEPARATORS, "");
  }

  function nationalNumber(value) {
    var digits = compact(value);
    if (!/^\d{11}$/.test(digits)) return false;
    var month = Number(digits.slice(2, 4));
    if (month % 20 > 12 || month > 52) return false;
    var check = Number(digits.slice(9));
    return check === 97 - (Number(digits.slice(0, 9)) % 97) || check === 97 - (Number("2" + digits.slice(0, 9)) % 97);
  }

  function iban(value) {
    var text = compact(value).toUpperCase();
    if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(text)) return false;
    if (text.slice(0, 2) === "BE" && text.length !== 16) return false;
    var rest = 0;
    var moved = text.slice(4) + text.slice(0, 4);
    for (var i = 0; i < moved.length; i++) {
      var number = parseInt(moved[i], 36);
      rest = (rest * (number > 9 ? 100 : 10) + number) % 97;
    }
    return rest === 1;
  }

  function card(value) {
    var digits = compact(value);
    if (!/^\d{13,19}$/.test(digits) || /^(\d)\1*$/.test(digits)) return false;
    var total = 0;
    for (var i = 0; i < digits.length; i++) {
      var number = Number(digits[digits.length - 1 - i]);
      if (i % 2 === 1) number = number > 4 ? number * 2 - 9 : number * 2;
      total += number;
    }
    return total % 10 === 0;
  }

  function sensitiveKind(text) {
    if (!text) return null;
    text = asciiDigits(text);
    var found = text.match(IBAN_RUNS) || [];
    for (var i = 0; i < found.length; i++) if (iban(found[i])) return "iban";
    found = text.match(DIGIT_RUNS) || [];
    for (var j = 0; j < found.length; j++) {
      var digits = compact(found[j]);
      if (digits.length === 11 && nationalNumber(digits)) return "national_number";
      if (card(digits)) return "card";
    }
    return null;
  }

  sensitiveKind.nationalNumber = nationalNumber;
  sensitiveKind.iban = iban;
  sensitiveKind.card = card;
  sensitiveKind.asciiDigits = asciiDigits;
  window.OefenpleinGuard = sensitiveKind;
})();
