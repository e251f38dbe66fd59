/**
 * One source for every default: `MANAGER_DEFAULTS`. The manager applies exactly its values,
 * `DEFAULT_BACKOFF` is its `backoff` entry, and the two places that repeat the values for
 * readers, the README's option tables and the `@default` tags of the option types, say the
 * same thing. A default changed in one place and not the others fails here.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { DEFAULT_BACKOFF, MANAGER_DEFAULTS } from "../src/index.js";
import { resolveOptions } from "../src/client/options.js";

/** Options whose default is whatever the platform provides (or derived), not a value. */
const PLATFORM_DEFAULTS = new Set(["httpUrl", "WebSocket", "fetch", "clock", "random", "frameScheduler", "environment"]);
/** Options without a default: required, or off unless given. */
const NO_DEFAULT = new Set(["url", "token", "capacityFor"]);

type Value = string | number | boolean;

/** `{ heartbeat: { intervalMs: 5000 } }` -> `{ "heartbeat.intervalMs": 5000 }`. */
function flatten(object: object, prefix = ""): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const [key, value] of Object.entries(object)) {
    if (typeof value === "object" && value !== null) for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
    else out.set(prefix + key, value as Value);
  }
  return out;
}

const DEFAULTS = flatten(MANAGER_DEFAULTS);

/**
 * A default as the docs write it: `5000`, `"live"`, `Infinity`, `true`, `4194304 (4 MiB)`,
 * `{ intervalMs: 5000, timeoutMs: 12000 }`. Undefined when it is not a literal value.
 */
function parseLiteral(text: string): Value | Record<string, Value> | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    const body = trimmed.slice(0, trimmed.indexOf("}") + 1);
    return JSON.parse(body.replace(/([A-Za-z_$][\w$]*)\s*:/g, '"$1":')) as Record<string, Value>;
  }
  const token = /^("[^"]*"|[^\s(]+)/.exec(trimmed)?.[1] ?? "";
  if (token === "Infinity") return Infinity;
  try {
    const value: unknown = JSON.parse(token);
    return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** One documented default: its flattened key, its value (undefined when not a literal), where it is written. */
interface Documented {
  key: string;
  value: Value | undefined;
  where: string;
}

function readmeDefaults(): Documented[] {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("## Options"), readme.indexOf("## Events"));
  const rows: Documented[] = [];
  for (const line of section.split("\n")) {
    const cells = /^\| `([^`]+)` \| ([^|]+) \|/.exec(line);
    if (cells === null) continue;
    const [, key, cell] = cells;
    const literal = /^`([^`]+)`/.exec(cell.trim());
    rows.push({ key, value: literal === null ? undefined : (parseLiteral(literal[1]) as Value | undefined), where: `README row ${key}: ${cell.trim()}` });
  }
  return rows;
}

/** The `@default` tags of an interface's properties, keyed by property name. */
function tagsOf(file: string, name: string): Map<string, { tag: string; type: string | undefined }> {
  const path = fileURLToPath(new URL(file, import.meta.url));
  const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.ES2022, true);
  const found = new Map<string, { tag: string; type: string | undefined }>();
  const visit = (node: ts.Node): void => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === name) {
      for (const member of node.members) {
        if (!ts.isPropertySignature(member) || !ts.isIdentifier(member.name)) continue;
        const tag = ts.getJSDocTags(member).find((t) => t.tagName.text === "default");
        if (tag === undefined) continue;
        const comment = typeof tag.comment === "string" ? tag.comment : ts.getTextOfJSDocComment(tag.comment);
        const type = member.type !== undefined && ts.isTypeReferenceNode(member.type) ? member.type.typeName.getText(source) : undefined;
        found.set(member.name.text, { tag: comment ?? "", type });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function tsdocDefaults(): Documented[] {
  const files: Record<string, string> = { BackoffOptions: "../src/scheduling/backoff.ts" };
  const rows: Documented[] = [];
  for (const [key, { tag, type }] of tagsOf("../src/client/types.ts", "WebSocketManagerOptions")) {
    const value = parseLiteral(tag);
    if (typeof value === "object") {
      // `heartbeat?: HeartbeatOptions` with `@default { intervalMs: 5000, ... }`: the object
      // tag and the nested interface's own tags must both agree.
      for (const [inner, v] of Object.entries(value)) rows.push({ key: `${key}.${inner}`, value: v, where: `@default of ${key}: ${tag}` });
      for (const [inner, nested] of tagsOf(files[type ?? ""] ?? "../src/client/types.ts", type ?? "")) {
        rows.push({ key: `${key}.${inner}`, value: parseLiteral(nested.tag) as Value | undefined, where: `@default of ${type}.${inner}: ${nested.tag}` });
      }
    } else {
      rows.push({ key, value, where: `@default of ${key}: ${tag}` });
    }
  }
  return rows;
}

/** Each documented default equals MANAGER_DEFAULTS, or is a platform default; and every default is documented. */
function disagreements(documented: Documented[]): string[] {
  const problems: string[] = [];
  for (const { key, value, where } of documented) {
    if (PLATFORM_DEFAULTS.has(key) || (NO_DEFAULT.has(key) && value === undefined)) continue;
    if (!DEFAULTS.has(key)) problems.push(`${where}: not in MANAGER_DEFAULTS`);
    else if (!Object.is(value, DEFAULTS.get(key))) problems.push(`${where}: MANAGER_DEFAULTS says ${String(DEFAULTS.get(key))}`);
  }
  const keys = new Set(documented.map((d) => d.key));
  for (const key of DEFAULTS.keys()) if (!keys.has(key)) problems.push(`${key} (${String(DEFAULTS.get(key))}) is not documented`);
  return problems;
}

describe("MANAGER_DEFAULTS", () => {
  it("is frozen at every level", () => {
    const frozen = (o: object): boolean => Object.isFrozen(o) && Object.values(o).every((v) => typeof v !== "object" || v === null || frozen(v));
    expect(frozen(MANAGER_DEFAULTS)).toBe(true);
  });

  it("is what the manager applies when an option is left out", () => {
    const o = resolveOptions({ url: "ws://127.0.0.1:9/ws", WebSocket: class {} as never, fetch: () => Promise.reject(new Error("unused")) });
    const applied = flatten({
      source: o.source,
      metrics: o.metrics,
      events: o.events,
      startFrom: o.startFrom,
      bufferCapacity: o.bufferCapacity,
      eventCapacity: o.eventCapacity,
      backoff: o.backoff,
      maxRetries: o.maxRetries,
      connectTimeoutMs: o.connectTimeoutMs,
      handshakeTimeoutMs: o.handshakeTimeoutMs,
      heartbeat: o.heartbeat,
      holeRepair: o.holeRepair,
      fallback: o.fallback,
      maxFrameBytes: o.maxFrameBytes,
      history: o.history,
    });
    expect(Object.fromEntries(applied)).toEqual(Object.fromEntries(DEFAULTS));
  });

  it("is where the backoff pattern's defaults come from", () => {
    expect(DEFAULT_BACKOFF).toBe(MANAGER_DEFAULTS.backoff);
  });

  it("agrees with the README's option tables", () => {
    const rows = readmeDefaults();
    expect(rows.length).toBeGreaterThan(25);
    expect(disagreements(rows)).toEqual([]);
  });

  it("agrees with the @default tags of the option types", () => {
    const tags = tsdocDefaults();
    expect(tags.length).toBeGreaterThan(25);
    expect(disagreements(tags)).toEqual([]);
  });

  it("the checks above catch a default documented wrong, or not at all", () => {
    expect(disagreements([{ key: "bufferCapacity", value: 2048, where: "w" }])).toEqual(
      expect.arrayContaining(["w: MANAGER_DEFAULTS says 4096", expect.stringMatching(/^heartbeat\.timeoutMs \(12000\) is not documented$/)]),
    );
    expect(disagreements([{ key: "retries", value: 3, where: "w" }])).toContain("w: not in MANAGER_DEFAULTS");
    expect(parseLiteral("4194304 (4 MiB)")).toBe(4_194_304);
    expect(parseLiteral('"live"')).toBe("live");
    expect(parseLiteral("{ intervalMs: 5000, timeoutMs: 12000 }")).toEqual({ intervalMs: 5000, timeoutMs: 12_000 });
    expect(parseLiteral("systemClock")).toBeUndefined();
  });
});
