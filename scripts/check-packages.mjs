#!/usr/bin/env node
// Every public package as a user gets it: packed from this checkout (its `prepack` builds
// dist/), linted by publint (strict) and by "Are the types wrong?" (ESM-only profile),
// installed from the tarball into an empty project and imported by plain Node 20 (no
// TypeScript, no export condition of ours), and the typical import of the client bundled,
// minified and gzipped against its size budget, beside two well-known realtime clients
// measured the same way. Part of `npm test`; `node scripts/check-packages.mjs` runs it alone.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);

/**
 * The typical import: connect a manager. Budget in gzipped bytes; raise it only on purpose,
 * with the reason in the commit (the README quotes the measured figure).
 */
const CLIENT_BUDGET_GZ = 24 * 1024;
const TYPICAL_IMPORTS = [
  {
    name: "@pulseboard/realtime-client",
    code: `import { WebSocketManager } from "@pulseboard/realtime-client";\nnew WebSocketManager({ url: "ws://127.0.0.1:9/ws" }).connect();\n`,
    budget: CLIENT_BUDGET_GZ,
  },
  {
    // The adapter over the client, solid-js included (a Solid app has it already).
    name: "@pulseboard/solid",
    code: `import { makeRealtime } from "@pulseboard/solid";\nmakeRealtime({ url: "ws://127.0.0.1:9/ws" });\n`,
  },
  {
    // The hooks over the client, react included (a React app has it already).
    name: "@pulseboard/react",
    code: `import { createElement } from "react";\nimport { useRealtime, useSeries } from "@pulseboard/react";\nexport const Cpu = () => createElement("p", null, useSeries(useRealtime({ url: "ws://127.0.0.1:9/ws" }), "cpu.usage").ring?.lastValue);\n`,
  },
  { name: "socket.io-client", code: `import { io } from "socket.io-client";\nio("ws://127.0.0.1:9");\n` },
  { name: "centrifuge", code: `import { Centrifuge } from "centrifuge";\nnew Centrifuge("ws://127.0.0.1:9/connection/websocket").connect();\n` },
];

/** Public workspace packages: every package.json under the workspaces that is not private. */
function publicPackages() {
  const { workspaces } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const dirs = [];
  for (const pattern of workspaces) {
    if (pattern.endsWith("/*")) {
      const parent = join(root, pattern.slice(0, -2));
      for (const entry of readdirSync(parent)) dirs.push(join(parent, entry));
    } else dirs.push(join(root, pattern));
  }
  const all = dirs
    .filter((dir) => existsSync(join(dir, "package.json")))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }));
  return { all, public: dependenciesFirst(all.filter(({ manifest }) => manifest.private !== true)) };
}

/**
 * Order packages so that each comes after the workspace packages it depends on: a tarball's
 * workspace dependencies are installed from their own tarballs, packed before it.
 */
function dependenciesFirst(packages) {
  const byName = new Map(packages.map((p) => [p.manifest.name, p]));
  const ordered = [];
  const state = new Map();
  const visit = (p, path) => {
    if (state.get(p) === "done") return;
    if (state.get(p) === "visiting") throw new Error(`workspace packages depend on each other in a cycle: ${[...path, p.manifest.name].join(" -> ")}`);
    state.set(p, "visiting");
    for (const dep of Object.keys(p.manifest.dependencies ?? {})) {
      const inner = byName.get(dep);
      if (inner !== undefined) visit(inner, [...path, p.manifest.name]);
    }
    state.set(p, "done");
    ordered.push(p);
  };
  for (const p of packages) visit(p, []);
  return ordered;
}

function run(command, args, cwd) {
  return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

const failures = [];
const work = mkdtempSync(join(tmpdir(), "pulseboard-pack-"));
const project = join(work, "project");
mkdirSync(join(project, "node_modules"), { recursive: true });
writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));

try {
  const packed = [];
  const workspace = publicPackages();
  const workspaceNames = new Map(workspace.all.map(({ manifest }) => [manifest.name, manifest]));
  for (const { dir, manifest } of workspace.public) {
    const where = relative(root, dir);
    const [info] = JSON.parse(run("npm", ["pack", "--silent", "--json", "--pack-destination", work], dir));
    const tarball = join(work, info.filename);
    const files = info.files.map((f) => f.path);
    for (const needed of ["LICENSE", "README.md", "package.json"]) if (!files.includes(needed)) failures.push(`${where}: the tarball has no ${needed}`);
    if (!files.some((f) => f.startsWith("dist/"))) failures.push(`${where}: the tarball has no dist/`);
    // Every module in dist/ is the output of a module in src/: a file left by an earlier build
    // (a module since moved or deleted) would ship as dead code, or worse, stay importable.
    const stale = files.filter((f) => /^dist\/.*\.js$/.test(f) && !files.includes(f.replace(/^dist\//, "src/").replace(/\.js$/, ".ts")));
    if (stale.length > 0) failures.push(`${where}: dist/ holds build output without a source in src/ (a stale build): ${stale.slice(0, 5).join(", ")}${stale.length > 5 ? ` and ${stale.length - 5} more` : ""}`);
    for (const field of ["license", "repository", "homepage", "bugs", "keywords"]) if (manifest[field] === undefined) failures.push(`${where}: package.json has no "${field}"`);
    try {
      run(bin("publint"), ["run", tarball, "--strict"], root);
    } catch (error) {
      failures.push(`${where}: publint --strict\n${error.stdout}${error.stderr}`);
    }
    try {
      run(bin("attw"), [tarball, "--profile", "esm-only", "--format", "ascii"], root);
    } catch (error) {
      failures.push(`${where}: attw --profile esm-only\n${error.stdout}${error.stderr}`);
    }
    // Install: unpack into the consumer's node_modules. Dependencies on workspace packages
    // come from their own tarballs, packed and unpacked before this one (dependencies first),
    // so the tarball is proven against what users would install; the other dependencies come
    // from this checkout's node_modules (the registry is not needed to prove our own files).
    const target = join(project, "node_modules", manifest.name);
    mkdirSync(target, { recursive: true });
    run("tar", ["-xzf", tarball, "-C", target, "--strip-components=1"], work);
    // Peer dependencies (a UI framework) are the consumer's to install: linked from this
    // checkout like the other third-party dependencies.
    for (const [dep, range] of Object.entries({ ...manifest.peerDependencies, ...manifest.dependencies })) {
      const link = join(project, "node_modules", dep);
      const inWorkspace = workspaceNames.get(dep);
      if (inWorkspace !== undefined) {
        if (inWorkspace.private === true) failures.push(`${where}: depends on ${dep}, which is private and never published`);
        else if (range !== "*" && range !== inWorkspace.version) failures.push(`${where}: depends on ${dep}@${range}, but the workspace has ${inWorkspace.version}`);
        else if (!packed.some((p) => p.manifest.name === dep)) failures.push(`${where}: depends on ${dep}, which was not packed before it`);
        continue;
      }
      if (existsSync(link)) continue;
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(join(root, "node_modules", dep), link, "dir");
    }
    const fromTarballs = Object.keys(manifest.dependencies ?? {}).filter((dep) => workspaceNames.has(dep));
    packed.push({ where, manifest, kb: info.size / 1024, files: files.length, fromTarballs });
  }

  // Plain Node imports every entry point of every package, from the tarballs.
  for (const { where, manifest } of packed) {
    for (const subpath of Object.keys(manifest.exports ?? { ".": null })) {
      if (subpath.endsWith(".json")) continue;
      const specifier = subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
      const script = `const m = await import(${JSON.stringify(specifier)}); console.log(Object.keys(m).length);`;
      try {
        const exported = Number(run(process.execPath, ["--input-type=module", "-e", script], project).trim());
        if (!(exported > 0)) failures.push(`${where}: ${specifier} exports nothing`);
      } catch (error) {
        failures.push(`${where}: plain Node cannot import ${specifier} from the tarball\n${error.stderr}`);
      }
    }
  }

  // The typical import, bundled for browsers and minified, gzipped at level 9.
  const sizes = [];
  for (const entry of TYPICAL_IMPORTS) {
    const fromTarball = entry.name.startsWith("@pulseboard/");
    const result = await build({
      stdin: { contents: entry.code, resolveDir: fromTarball ? project : root, loader: "js" },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      logLevel: "silent",
      define: { "process.env.NODE_ENV": '"production"' },
    });
    const bytes = result.outputFiles[0].contents;
    const gz = gzipSync(bytes, { level: 9 }).length;
    sizes.push({ ...entry, min: bytes.length, gz });
    if (entry.budget !== undefined && gz > entry.budget) {
      failures.push(`${entry.name}: the typical import is ${(gz / 1024).toFixed(1)} KB gz, over its budget of ${(entry.budget / 1024).toFixed(1)} KB`);
    }
  }

  console.log("packages (packed from this checkout, installed from the tarball, imported by plain Node):");
  for (const p of packed) {
    const deps = p.fromTarballs.length === 0 ? "" : `; ${p.fromTarballs.join(", ")} installed from its tarball`;
    console.log(`  ${p.manifest.name}@${p.manifest.version}  ${p.kb.toFixed(1)} KB tarball, ${p.files} files${deps}`);
  }
  console.log("typical import, bundled + minified + gzip -9 (esbuild, browser, es2022):");
  for (const s of sizes) {
    const budget = s.budget === undefined ? "" : `  budget ${(s.budget / 1024).toFixed(1)} KB`;
    console.log(`  ${s.name.padEnd(30)} ${(s.min / 1024).toFixed(1).padStart(6)} KB min  ${(s.gz / 1024).toFixed(1).padStart(5)} KB gz${budget}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`\npackage check failed:\n- ${failures.join("\n- ")}`);
  process.exit(1);
}
console.log("package check: publint, attw, install from tarball and size budget all pass");
