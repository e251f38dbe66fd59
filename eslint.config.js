// Lint: typescript-eslint's recommended type-aware-free rules everywhere, plus eslint-plugin-solid
// for the dashboard, where it catches reactivity mistakes (destructured props, signals read
// outside tracking scopes) that the type checker cannot see.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import solid from "eslint-plugin-solid/configs/typescript";
import globals from "globals";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "coverage/**", "test-results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
    },
  },
  {
    files: ["src/**/*.{ts,tsx}", "tests/dom/**/*.{ts,tsx}", "packages/solid/**/*.{ts,tsx}"],
    ...solid,
  },
  {
    // The client and the protocol are framework-agnostic and run anywhere: a UI framework or
    // Node built-in import there is a bug.
    files: ["packages/realtime-client/src/**/*.ts", "packages/protocol/src/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: ["solid-js", "solid-js/*", "react", "react-dom", "vue", "svelte", "preact", "node:*"] },
      ],
    },
  },
);
