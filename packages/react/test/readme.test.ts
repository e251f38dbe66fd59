/**
 * The README's code: every `ts` block is marked (scripts/readme-blocks.ts has the rules). The
 * quick start is examples/live/main.ts word for word (type-checked with the package, run in
 * Chromium by tests/e2e/react-example.test.ts); the testing block runs here, word for word.
 */
import { dirname } from "node:path";
import { act, cleanup, render } from "@testing-library/react";
import { createElement } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { createTestManager } from "@pulseboard/realtime-client/testing";
import { readmeBlocks, readmeProblems } from "../../../scripts/readme-blocks.js";
import { useSeries } from "../src/index.js";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
// jsdom gives modules an http: URL; the test runner's `import.meta.dirname` is the file's folder.
const pkg = dirname(import.meta.dirname);

afterEach(() => cleanup());

describe("the README's code blocks", () => {
  it("marks every ts block: an example file, a block a test runs, or a fragment", () => {
    const blocks = readmeBlocks(pkg);
    expect(blocks.filter((b) => b.marker !== "fragment").map((b) => b.marker)).toEqual(["example: examples/live/main.ts", "checked: test/readme.test.ts"]);
    expect(readmeProblems(pkg, blocks)).toEqual([]);
  });

  it("the testing block renders the value the fake server sent", async () => {
    // --- README example start ---
    const kit = createTestManager();
    function Cpu() {
      const { ring } = useSeries(kit.manager, "cpu.usage");
      return createElement("output", null, ring && ring.length > 0 ? ring.lastValue : "-");
    }
    const { container } = render(createElement(Cpu));
    await act(() => kit.open());
    await act(async () => {
      kit.data({ "cpu.usage": [42] });
      kit.frame();
    });
    expect(container.textContent).toBe("42");
    kit.manager.close();
    // --- README example end ---
  });
});
