/**
 * The README's code: every `ts` / `tsx` block is marked. `<!-- example: PATH -->` blocks are
 * files of this package, word for word (type-checked with the package: tsconfig.json includes
 * examples/); `<!-- checked: PATH -->` blocks are run word for word by that test file;
 * `<!-- fragment -->` blocks are excerpts that need a program around them.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { cleanup, render } from "@solidjs/testing-library";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTestManager } from "@pulseboard/realtime-client/testing";
import { CpuReadout } from "../examples/cpu-readout.jsx";

// jsdom gives modules an http: URL; the test runner's `import.meta.dirname` is the file's folder.
const pkg = dirname(import.meta.dirname);
const read = (path: string) => readFileSync(join(pkg, path), "utf8");
const readme = read("README.md");
const blocks = [...readme.matchAll(/(?:^|\n)(?:<!-- (.+?) -->\n)?```tsx?\n([\s\S]*?)```/g)].map((m) => ({ marker: m[1], code: m[2] }));

afterEach(() => vi.useRealTimers());

describe("the README's code blocks", () => {
  it("marks every ts block: an example file, a block a test runs, or a fragment", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    const unmarked = blocks.filter((b) => b.marker === undefined || !/^(example|checked): \S+$|^fragment$/.test(b.marker));
    expect(unmarked.map((b) => b.code.split("\n")[0])).toEqual([]);
    const examples = blocks.filter((b) => b.marker?.startsWith("example: "));
    expect(examples.map((b) => b.marker)).toEqual(["example: examples/cpu-readout.tsx"]);
    for (const b of examples) expect(b.code, b.marker).toBe(read(b.marker!.slice(9)));
    const checked = blocks.filter((b) => b.marker?.startsWith("checked: "));
    expect(checked.map((b) => b.marker)).toEqual(["checked: test/readme.test.tsx"]);
    const self = read("test/readme.test.tsx");
    const between = self.split("// --- README example start ---\n")[1]?.split("    // --- README example end ---")[0];
    expect(between?.replace(/^ {4}/gm, ""), "the checked block, word for word").toBe(checked[0].code);
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
