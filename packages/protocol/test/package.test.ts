/**
 * The protocol package runs anywhere and depends on nothing: its source imports only its own
 * modules (no package, no Node built-in, no UI framework), and its manifest declares no
 * dependency. What the client and the servers share must not drag anything in.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const SPECIFIER = /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)/g;

it("imports only its own modules and declares no dependency", () => {
  const files = readdirSync(join(root, "src")).filter((name) => name.endsWith(".ts"));
  expect(files.length).toBeGreaterThan(5);
  const foreign = files.flatMap((name) =>
    // Block comments hold @example imports, which are what a user writes.
    [...readFileSync(join(root, "src", name), "utf8").replace(/\/\*[\s\S]*?\*\//g, "").matchAll(SPECIFIER)]
      .map((match) => match[1] ?? match[2])
      .filter((specifier) => !specifier.startsWith("./"))
      .map((specifier) => `${name} imports ${specifier}`),
  );
  expect(foreign).toEqual([]);
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<string, unknown>;
  expect(manifest.dependencies).toBeUndefined();
  expect(manifest.peerDependencies).toBeUndefined();
});
