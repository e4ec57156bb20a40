// ESLint (flat config) for the site's own JavaScript: the browser files under */static/*/js/ and the
// Node unit tests under tests/js/. Run with `npx --no-install eslint .` (part of `make test`).
import js from "@eslint/js";
import globals from "globals";

export default [
  {
    // Built, installed or copied code: not ours to lint.
    ignores: ["node_modules/", ".venv/", "staticfiles/", "var/", "media/", "bench/out/"],
  },
  js.configs.recommended,
  {
    rules: {
      // `x == null` is the one loose comparison we mean (null or undefined); any other is a slip.
      eqeqeq: ["error", "always", { null: "ignore" }],
      // A classic script's top-level function would silently become window.<name> for every page.
      "no-implicit-globals": "error",
      // One name, one thing: `field` the builder and `field` a stored field were easy to mix up.
      "no-shadow": "error",
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  {
    // Browser scripts loaded with a plain <script> tag: one closure each, globals on `window`.
    files: ["*/static/*/js/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "script", globals: { ...globals.browser } },
  },
  {
    // Browser ES modules: loaded with <script type="module">, and what they import. Keep this list in
    // step with the templates (a module linted as a script fails on its first `import`).
    files: ["sandboxes/static/sandboxes/js/engine.js", "sandboxes/static/sandboxes/js/sim/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.browser } },
  },
  {
    files: ["tests/js/**/*.mjs", "eslint.config.mjs"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.node } },
  },
];
