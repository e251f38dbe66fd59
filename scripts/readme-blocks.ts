/**
 * The code blocks of a package README and the rules the packages' README tests hold them to:
 * every `ts` / `tsx` block carries a marker on the line before it. `<!-- example: PATH -->`
 * blocks are files of the package, word for word; `<!-- checked: PATH -->` blocks are run
 * word for word by that test file, between `// --- README example start ---` and
 * `// --- README example end ---`; `<!-- fragment -->` blocks are excerpts that need a
 * program around them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface ReadmeBlock {
  /** The marker's text (`example: PATH`, `checked: PATH`, `fragment`), undefined without one. */
  marker: string | undefined;
  code: string;
}

const MARKER = /^(example|checked): \S+$|^fragment$/;

/** Every ts / tsx block of the package's README.md, with its marker. */
export function readmeBlocks(packageDir: string): ReadmeBlock[] {
  const readme = readFileSync(join(packageDir, "README.md"), "utf8");
  return [...readme.matchAll(/(?:^|\n)(?:<!-- (.+?) -->\n)?```tsx?\n([\s\S]*?)```/g)].map((m) => ({ marker: m[1], code: m[2] }));
}

/**
 * What breaks the rules: unmarked blocks (by first line), example blocks that differ from
 * their file, checked blocks not found word for word in their test file.
 * @returns one sentence per problem; empty when the README holds to them.
 */
export function readmeProblems(packageDir: string, blocks = readmeBlocks(packageDir)): string[] {
  const problems: string[] = [];
  for (const { marker, code } of blocks) {
    if (marker === undefined || !MARKER.test(marker)) {
      problems.push(`a block without a marker: ${code.split("\n")[0]}`);
      continue;
    }
    if (marker === "fragment") continue;
    const [kind, path] = marker.split(": ");
    const text = readFileSync(join(packageDir, path), "utf8");
    if (kind === "example" && text !== code) problems.push(`${path} is not the block word for word`);
    if (kind === "checked") {
      const between = text.split("// --- README example start ---\n")[1]?.split("// --- README example end ---")[0];
      const indent = /^( *)/.exec(between ?? "")?.[1] ?? "";
      const dedented = between?.replace(new RegExp(`^${indent}`, "gm"), "").replace(/ *$/, "");
      if (dedented !== code) problems.push(`${path} does not run the block word for word between its README example markers`);
    }
  }
  return problems;
}
