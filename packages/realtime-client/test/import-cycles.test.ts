/**
 * No import cycles in the client or in the protocol package, type-only imports included. A
 * cycle means two modules that cannot be read (or tested) one without the other: the fix is
 * to move what both need into a third module they both import, as `ParseErrorCounts` now sits
 * with the other public types and `HistoryClient` in its own file.
 *
 * madge walks the imports as TypeScript writes them (`./x.js` naming `x.ts`); the first test
 * proves it sees a cycle of exactly that kind, so an empty answer means something.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import madge from "madge";
import { describe, expect, it } from "vitest";

const SOURCES = ["../src", "../../protocol/src"].map((dir) => fileURLToPath(new URL(dir, import.meta.url)));

async function cycles(dirs: string[]): Promise<string[][]> {
  const result = await madge(dirs, { fileExtensions: ["ts"], detectiveOptions: { ts: { skipTypeImports: false } } });
  return result.circular();
}

describe("import cycles", () => {
  it("are found through .js specifiers and type-only imports", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pulseboard-cycle-"));
    try {
      writeFileSync(join(dir, "a.ts"), 'import type { B } from "./b.js";\nexport interface A { b: B }\n');
      writeFileSync(join(dir, "b.ts"), 'import type { A } from "./a.js";\nexport interface B { a?: A }\n');
      writeFileSync(join(dir, "c.ts"), 'import type { A } from "./a.js";\nexport type C = A;\n');
      expect(await cycles([dir])).toEqual([["a.ts", "b.ts"]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("there are none in the client and the protocol package", { timeout: 30_000 }, async () => {
    expect(await cycles(SOURCES)).toEqual([]);
  });
});
