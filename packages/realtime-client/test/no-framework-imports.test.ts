import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The client runs in browsers and in Node, inside any framework or none: its source may not
// import a UI framework, nor a Node built-in. Nor a test framework: the testing kit
// (src/testing) works with any of them.
const SRC = fileURLToPath(new URL("../src", import.meta.url));
const FORBIDDEN = /^(solid-js|react|react-dom|vue|svelte|preact|vitest|@vitest\/[^/]+|jest|@jest\/[^/]+|mocha)(\/|$)|^node:/;
const IMPORT = /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|import\s+["']([^"']+)["']|require\s*\(\s*["']([^"']+)["']\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

function forbiddenImports(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2] ?? match[3] ?? match[4];
    if (specifier !== undefined && FORBIDDEN.test(specifier)) found.push(specifier);
  }
  return found;
}

describe("realtime-client source", () => {
  it("the scanner recognises every import form it must catch", () => {
    expect(forbiddenImports('import { createSignal } from "solid-js";')).toEqual(["solid-js"]);
    expect(forbiddenImports("import type { FC } from 'react';")).toEqual(["react"]);
    expect(forbiddenImports('export * from "node:fs";')).toEqual(["node:fs"]);
    expect(forbiddenImports('const m = await import("vue");')).toEqual(["vue"]);
    expect(forbiddenImports('import "preact/hooks";')).toEqual(["preact/hooks"]);
    expect(forbiddenImports('import { vi } from "vitest";')).toEqual(["vitest"]);
    expect(forbiddenImports('import { expect } from "@jest/globals";')).toEqual(["@jest/globals"]);
    expect(forbiddenImports('import { x } from "./react-like.js"; import y from "solid-js-extra";')).toEqual([]);
  });

  it("imports no UI framework, test framework or node: built-in", () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(5);
    const offenders = files.flatMap((file) =>
      forbiddenImports(readFileSync(file, "utf8")).map((spec) => `${relative(SRC, file)} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });
});
