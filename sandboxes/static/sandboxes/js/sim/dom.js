/* Building the simulator's page parts. `builder(document, rtl)` gives one player its own `el`: the
 * right-to-left setting belongs to that player (a page may hold an Arabic and a Dutch player side by
 * side), never to the module.
 */

export function builder(doc, rtl) {
  /* Right-to-left: a number written in groups ("0470 00 12 34") keeps its order. */
  function setText(node, text) {
    node.textContent = "";
    String(text).split(/(\d+(?:[ \u00a0]\d+)+)/).forEach(function (part, index) {
      var span = index % 2 && rtl ? node.appendChild(doc.createElement("span")) : node;
      if (span !== node) span.dir = "ltr";
      if (part) span.appendChild(doc.createTextNode(part));
    });
  }

  function el(tag, props, kids) {
    var node = doc.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      var value = props[key];
      if (value == null || value === false) return;
      if (key === "text") setText(node, value);
      else if (key === "cls") node.className = value;
      else if (key === "click") node.addEventListener("click", value);
      else node.setAttribute(key, value === true ? "" : value);
    });
    (kids || []).forEach(function (kid) {
      if (kid != null) node.appendChild(typeof kid === "string" ? doc.createTextNode(kid) : kid);
    });
    return node;
  }

  return { el: el, setText: setText, rtl: rtl };
}

/* A drawn, fake QR code: finder squares in three corners and a pattern seeded by `code`. */
export function fakeQr(doc, code, label) {
  var NS = "http://www.w3.org/2000/svg";
  var size = 21, seed = 2166136261, path = "";
  for (var i = 0; i < code.length; i++) seed = Math.imul(seed ^ code.charCodeAt(i), 16777619) >>> 0;
  function finder(x, y, cx, cy) {
    var dx = cx - x, dy = cy - y;
    if (dx < 0 || dy < 0 || dx > 7 || dy > 7) return null;
    if (dx === 7 || dy === 7) return false;
    return dx === 0 || dy === 0 || dx === 6 || dy === 6 || (dx > 1 && dx < 5 && dy > 1 && dy < 5);
  }
  for (var y = 0; y < size; y++) {
    for (var x = 0; x < size; x++) {
      var dark = [finder(0, 0, x, y), finder(size - 7, 0, x, y), finder(0, size - 7, x, y)].filter(function (v) {
        return v !== null;
      })[0];
      if (dark === undefined) {
        seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0;
        dark = seed % 5 < 2;
      }
      if (dark) path += "M" + (x + 2) + " " + (y + 2) + "h1v1h-1z";
    }
  }
  var svg = doc.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", "0 0 25 25");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.setAttribute("class", "sim-qr");
  var back = doc.createElementNS(NS, "rect");
  back.setAttribute("width", "25");
  back.setAttribute("height", "25");
  back.setAttribute("fill", "#fff");
  var marks = doc.createElementNS(NS, "path");
  marks.setAttribute("d", path);
  marks.setAttribute("fill", "#000");
  svg.appendChild(back);
  svg.appendChild(marks);
  return svg;
}
