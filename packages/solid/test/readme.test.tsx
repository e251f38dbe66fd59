/**
 * The README's code: every `ts` / `tsx` block is marked (scripts/readme-blocks.ts has the
 * rules). The quick start is examples/cpu-readout.tsx word for word (type-checked with the
 * package: tsconfig.json includes examples/); the testing block runs here, word for word.
 */
import { dirname } from "node:path";
import { cleanup, render } from "@solidjs/testing-library";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTestManager } from "@pulseboard/realtime-client/testing";
import { readmeBlocks, readmeProblems } from "../../../scripts/readme-blocks.js";
import { CpuReadout } from "../examples/cpu-readout.jsx";

// jsdom gives modules an http: URL; the test runner's `import.meta.dirname` is the file's folder.
const pkg = dirname(import.meta.dirname);

afterEach(() => vi.useRealTimers());

describe("the README's code blocks", () => {
  it("marks every ts block: an example file, a block a test runs, or a fragment", () => {
    const blocks = readmeBlocks(pkg);
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    expect(blocks.filter((b) => b.marker !== "fragment").map((b) => b.marker)).toEqual(["example: examples/cpu-readout.tsx", "checked: test/readme.test.tsx"]);
    expect(readmeProblems(pkg, blocks)).toEqual([]);
  });

  it("the quick-start component shows the state and the CPU sample, and closes with its owner", async () => {
    // --- README example start ---
    vi.useFakeTimers(); // the throttle's 250 ms, exact
    const kit = createTestManager({ settle: () => vi.advanceTimersByTimeAsync(0) });
    const { getByTestId } = render(() => <CpuReadout manager={kit.manager} />);
    await kit.open();
    expect(getByTestId("state").textContent).toBe("open");
    kit.data({ "cpu.usage": [41.96] });
    kit.frame();
    await vi.advanceTimersByTimeAsync(250); // the end of the throttle window
    expect(getByTestId("cpu").textContent).toBe("42.0");
    // --- README example end ---
    cleanup(); // unmount: the component's owner closes the client
    expect(kit.manager.state).toBe("closed");
  });
});
