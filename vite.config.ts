import { runnerImport, type Plugin } from "vite";
import { defineConfig } from "vitest/config";
import solid from "vite-plugin-solid";
import type { pulseboardMockServer } from "./mock-server/src/vite-plugin.ts";

// The `@pulseboard/source` export condition makes workspace packages resolve to their
// TypeScript source during development and tests; embedders get the built dist/ through the
// default condition. It is scoped so that a consumer's own `source` condition (a common name)
// never pulls our .ts files into their type check.
const conditions = ["@pulseboard/source", "module", "browser", "development|production"];
const nodeConditions = ["@pulseboard/source", "module", "node", "development|production"];

/**
 * The mock server's plugin, loaded through Vite's module runner with the source condition.
 * Imported statically, it would be bundled with this file by Vite's config loader, which
 * resolves workspace packages with the `node` condition only: to their built dist/, absent
 * in a fresh clone and stale after an edit. Through the runner the embedded mock server runs
 * on the workspace's TypeScript source, like the tests.
 */
async function mockServerPlugin(): Promise<Plugin> {
  const { module } = await runnerImport<{ pulseboardMockServer: typeof pulseboardMockServer }>("./mock-server/src/vite-plugin.ts", {
    environments: { inline: { resolve: { conditions: ["@pulseboard/source"], noExternal: [/^@pulseboard\//] } } },
  });
  return module.pulseboardMockServer();
}

// Vitest runs this file in mode "test": its projects choose their own plugins there. Any other
// mode (dev server, build, preview, and the dev server the e2e tests start) gets Solid and the
// mock server.
export default defineConfig(async ({ mode }) => ({
  plugins: mode === "test" ? [] : [solid(), await mockServerPlugin()],
  resolve: { conditions },
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
  preview: { host: "127.0.0.1", port: 4173, strictPort: true },
  build: { target: "es2022", sourcemap: true },
  test: {
    projects: [
      {
        // Client and server: real sockets on 127.0.0.1. No Solid plugin here: it adds the
        // `browser` condition, which would load ws/browser.js instead of the ws server.
        resolve: { conditions: nodeConditions },
        ssr: { resolve: { conditions: nodeConditions } },
        test: {
          name: "node",
          environment: "node",
          include: ["packages/*/test/**/*.test.ts", "mock-server/test/**/*.test.ts", "examples/**/*.test.ts"],
          // The framework adapters' tests run in jsdom, in the dom project.
          exclude: ["packages/solid/**", "packages/react/**", "**/node_modules/**"],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        plugins: [solid()],
        resolve: { conditions },
        test: {
          name: "dom",
          environment: "jsdom",
          include: ["tests/dom/**/*.test.{ts,tsx}", "packages/solid/test/**/*.test.{ts,tsx}"],
          setupFiles: ["tests/dom/setup.ts"],
        },
      },
      {
        // The React hooks in react-dom on jsdom. No Solid plugin: it would compile JSX for Solid.
        resolve: { conditions },
        test: {
          name: "react",
          environment: "jsdom",
          include: ["packages/react/test/**/*.test.ts"],
        },
      },
      {
        resolve: { conditions: nodeConditions },
        ssr: { resolve: { conditions: nodeConditions } },
        test: {
          name: "e2e",
          environment: "node",
          include: ["tests/e2e/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
}));
