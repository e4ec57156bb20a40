// The few DOM calls sim/dom.js makes, as plain objects: enough to see what a builder produced.
export function fakeDocument() {
  function node(tag) {
    return {
      tag,
      children: [],
      attributes: {},
      listeners: {},
      set textContent(text) {
        this.children = text ? [{ text: String(text) }] : [];
      },
      get textContent() {
        return this.children.map((child) => (child.tag ? child.textContent : child.text)).join("");
      },
      appendChild(child) {
        this.children.push(child);
        return child;
      },
      setAttribute(name, value) {
        this.attributes[name] = String(value);
      },
      addEventListener(type, listener) {
        this.listeners[type] = listener;
      },
    };
  }
  return {
    createElement: node,
    createElementNS: (ns, tag) => node(tag),
    createTextNode: (text) => ({ text }),
  };
}
