/**
 * The README's examples run as written: each ```ts block is saved as a module next to this
 * test and imported, so its `@pulseboard/protocol` import resolves like a user's would and its
 * `node:assert` checks are the test. A block that stops matching the code fails here.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
const dir = mkdtempSync(join(fileURLToPath(new URL(".", import.meta.url)), ".readme-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("README examples", () => {
  it("has examples for both directions", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    expect(blocks.join("\n")).toContain("parseServerFrame(");
    expect(blocks.join("\n")).toContain("parseClientMessage(");
  });

  blocks.forEach((code, i) => {
    it(`example ${i + 1} runs and its assertions hold`, async () => {
      expect(code).toContain('from "@pulseboard/protocol"');
      const file = join(dir, `example-${i + 1}.ts`);
      writeFileSync(file, code);
      await expect(import(/* @vite-ignore */ pathToFileURL(file).href)).resolves.toBeDefined();
    });
  });
});
