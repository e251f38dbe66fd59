/**
 * The line-protocol parser under fast-check: random valid points serialized with a correct
 * escaper, mixed with lines broken in known ways, blank lines and comments, CRLF or LF; and
 * bodies of random characters. Over 10 000 bodies in all. No exception escapes, every good
 * line comes back exactly, every bad line is reported at its line number, nothing else is.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineProtocolParser, type ParsedPoint, type Precision } from "../src/index.js";

const NOW = 1_700_000_000_000;

// --- a correct writer ---------------------------------------------------------------------

function escapeName(text: string, special: string): string {
  let out = "";
  for (const ch of text) out += ch === "\\" ? "\\\\" : special.includes(ch) ? `\\${ch}` : ch;
  return out;
}
const escapeMeasurement = (s: string): string => escapeName(s, ", ");
const escapeKey = (s: string): string => escapeName(s, ",= ");
const escapeString = (s: string): string => s.replace(/[\\"]/g, (c) => `\\${c}`);

type FieldValue = { type: "float"; value: number } | { type: "integer"; text: string } | { type: "unsigned"; text: string } | { type: "boolean"; text: string } | { type: "string"; value: string };

interface Point {
  measurement: string;
  tags: Array<[string, string]>;
  fields: Array<[string, FieldValue]>;
  /** In the body's precision. */
  time: bigint | undefined;
}

function writeValue(v: FieldValue): string {
  switch (v.type) {
    case "float":
      return String(v.value);
    case "integer":
      return `${v.text}i`;
    case "unsigned":
      return `${v.text}u`;
    case "boolean":
      return v.text;
    case "string":
      return `"${escapeString(v.value)}"`;
  }
}

function writePoint(p: Point): string {
  let line = escapeMeasurement(p.measurement);
  for (const [k, v] of p.tags) line += `,${escapeKey(k)}=${escapeKey(v)}`;
  line += ` ${p.fields.map(([k, v]) => `${escapeKey(k)}=${writeValue(v)}`).join(",")}`;
  if (p.time !== undefined) line += ` ${p.time}`;
  return line;
}

const MULT: Record<Precision, bigint> = { ns: 1n, us: 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };

/** What the parser must return for a point: decoded, tags sorted, time in epoch ms (floored). */
function expected(p: Point, line: number, precision: Precision): ParsedPoint {
  let time: number | undefined;
  if (p.time !== undefined) {
    const ns = p.time * MULT[precision];
    const q = ns / 1_000_000n;
    time = Number(ns < 0n && q * 1_000_000n !== ns ? q - 1n : q);
    if (time === 0) time = 0;
  }
  return {
    line,
    measurement: p.measurement,
    tags: [...p.tags].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    fields: p.fields.map(([k, v]): ParsedPoint["fields"][number] => {
      switch (v.type) {
        case "float":
          return [k, v.value, "float"];
        case "integer":
          return [k, Number(v.text), "integer"];
        case "unsigned":
          return [k, Number(v.text), "unsigned"];
        case "boolean":
          return [k, v.text.toLowerCase().startsWith("t"), "boolean"];
        case "string":
          return [k, v.value, "string"];
      }
    }),
    time,
  };
}

// --- generators ---------------------------------------------------------------------------

/** Characters that names are made of, rich in the ones that need escaping. */
const nameChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCXYZ0123456789_-.:") },
  { weight: 3, arbitrary: fc.constantFrom(",", "=", " ", "\\", '"', "'", "#", "*", "%", "/", "\t", "{", "}") },
  { weight: 1, arbitrary: fc.constantFrom("é", "🍭", "日", "\u00a0") },
);
const name = fc.array(nameChar, { minLength: 1, maxLength: 10 }).map((cs) => cs.join(""));
/** A measurement cannot start with # (a comment), nor with blanks (skipped before a line). */
const measurement = name.filter((n) => !/^[#\t]/.test(n));

const MAX_INT = 9223372036854775807n;
const fieldValue: fc.Arbitrary<FieldValue> = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => ({ type: "float" as const, value: Object.is(value, -0) ? 0 : value })),
  fc.integer({ min: -1000, max: 1000 }).map((value) => ({ type: "float" as const, value })),
  fc.bigInt({ min: -MAX_INT - 1n, max: MAX_INT }).map((n) => ({ type: "integer" as const, text: String(n) })),
  fc.bigInt({ min: 0n, max: 18446744073709551615n }).map((n) => ({ type: "unsigned" as const, text: String(n) })),
  fc.constantFrom("t", "T", "true", "True", "TRUE", "f", "F", "false", "False", "FALSE").map((text) => ({ type: "boolean" as const, text })),
  fc
    .array(fc.oneof(fc.constantFrom("a", " ", ",", "=", '"', "\\", "\\n", "é", "🚀", "\t", "#"), fc.string({ maxLength: 3 }).filter((s) => !/[\r\n]/.test(s))), { maxLength: 8 })
    .map((parts) => ({ type: "string" as const, value: parts.join("") })),
);

const precision = fc.constantFrom<Precision>("ns", "us", "ms", "s");
const MAX_MS = 8_640_000_000_000_000n;
function timeFor(p: Precision): fc.Arbitrary<bigint | undefined> {
  // Keep the time within a Date's range in ms (and 19 digits) for this precision.
  const limit = (MAX_MS * 1_000_000n) / MULT[p];
  const max = limit > 9_223_372_036_854_775_806n ? 9_223_372_036_854_775_806n : limit;
  return fc.option(fc.bigInt({ min: -max, max }), { nil: undefined });
}

function point(p: Precision): fc.Arbitrary<Point> {
  return fc.record({
    measurement,
    tags: fc.uniqueArray(fc.tuple(name, name), { maxLength: 4, selector: (t) => t[0] }),
    fields: fc.uniqueArray(fc.tuple(name, fieldValue), { minLength: 1, maxLength: 5, selector: (f) => f[0] }),
    time: timeFor(p),
  });
}

/** Lines that are invalid whatever comes before them: [text, what breaks it]. */
const brokenLine: fc.Arbitrary<string> = fc.tuple(measurement, fc.constantFrom(
  (m: string) => m, // no field set at all
  (m: string) => `${m} f=`,
  (m: string) => `${m} f=1.2.3`,
  (m: string) => `${m} f=1e999`,
  (m: string) => `${m} f=--1`,
  (m: string) => `${m} f=tru`,
  (m: string) => `${m} f=12i3`,
  (m: string) => `${m} f=9223372036854775808i`,
  (m: string) => `${m} f=-9223372036854775809i`,
  (m: string) => `${m} f=18446744073709551616u`,
  (m: string) => `${m} f=-1u`,
  (m: string) => `${m} f="abc`,
  (m: string) => `${m} f=1 12a`,
  (m: string) => `${m} f=1 1.5`,
  (m: string) => `${m} f=1 99999999999999999999`,
  (m: string) => `${m} f=1 123 456`,
  (m: string) => `${m},t= f=1`,
  (m: string) => `${m},=v f=1`,
  (m: string) => `${m}, f=1`,
  (m: string) => `${m},t=a=b f=1`,
  (m: string) => `${m},t=1,t=2 f=1`,
  (m: string) => `${m} f=1,f=2`,
  (m: string) => `${m} f=1,`,
  (m: string) => `${m} =1`,
  (m: string) => `${m} f="a"x`,
  (m: string) => `${m} f=NaN`,
  (m: string) => `${m} f=Infinity`,
  () => ",t=1 f=1",
  () => " ,t=1 f=1",
)).map(([m, make]) => make(escapeMeasurement(m)));

type BodyLine = { kind: "point"; point: Point } | { kind: "bad"; text: string } | { kind: "blank"; text: string };

const bodyLine = (p: Precision): fc.Arbitrary<BodyLine> =>
  fc.oneof(
    { weight: 6, arbitrary: point(p).map((pt) => ({ kind: "point" as const, point: pt })) },
    { weight: 3, arbitrary: brokenLine.map((text) => ({ kind: "bad" as const, text })) },
    { weight: 1, arbitrary: fc.constantFrom("", "   ", "\t", "# comment", "  # indented, = comment").map((text) => ({ kind: "blank" as const, text })) },
  );

const body = precision.chain((p) =>
  fc.record({
    precision: fc.constant(p),
    lines: fc.array(bodyLine(p), { minLength: 1, maxLength: 8 }),
    crlf: fc.boolean(),
    finalNewline: fc.boolean(),
  }),
);

describe("line protocol fuzz", () => {
  it("10 000 bodies of valid and broken lines: good lines round-trip, bad lines are reported at their line", () => {
    const parser = new LineProtocolParser();
    fc.assert(
      fc.property(body, ({ precision: p, lines, crlf, finalNewline }) => {
        const texts = lines.map((l) => (l.kind === "point" ? writePoint(l.point) : l.text));
        const text = texts.join(crlf ? "\r\n" : "\n") + (finalNewline ? "\n" : "");
        const got = parser.points(text, { precision: p, now: NOW });
        const goodLines = lines.flatMap((l, i) => (l.kind === "point" ? [expected(l.point, i + 1, p)] : []));
        const badLines = lines.flatMap((l, i) => (l.kind === "bad" ? [i + 1] : []));
        expect(got.points).toEqual(goodLines);
        expect(got.errors.map((e) => e.line)).toEqual(badLines);
        expect(got.errorCount).toBe(badLines.length);
        for (const e of got.errors) {
          expect(e.column).toBeGreaterThanOrEqual(1);
          expect(e.column).toBeLessThanOrEqual(texts[e.line - 1].length + 1);
          expect(e.message.length).toBeGreaterThan(0);
        }
        // The batch API agrees on which lines are good (no reserved tags in these names is
        // not guaranteed, so count only the lines that the mapping accepts as well).
        const batch = parser.parse(text, { precision: p, now: NOW, limits: { maxIdLength: 100_000, maxLabelLength: 100_000, maxTextLength: 100_000 } });
        const reserved = lines.filter((l) => l.kind === "point" && l.point.tags.some(([k]) => k.startsWith("_"))).length;
        expect(batch.points + batch.errorCount).toBe(goodLines.length + badLines.length);
        expect(batch.errorCount - badLines.length).toBeLessThanOrEqual(reserved);
        const mapped = lines.filter((l) => l.kind === "point" && !l.point.tags.some(([k]) => k.startsWith("_")));
        const numeric = mapped.reduce((n, l) => n + (l.kind === "point" ? l.point.fields.filter(([, v]) => v.type !== "string").length : 0), 0);
        expect(batch.samples).toBeGreaterThanOrEqual(numeric);
      }),
      { numRuns: 10_000 },
    );
    // About 4 s alone; the budget leaves room for a busy machine.
  }, 120_000);

  it("bodies of random text never throw, and every non-blank line is either a point or an error", () => {
    const parser = new LineProtocolParser();
    const chars = fc.oneof(fc.constantFrom("a", "b", "=", ",", " ", "\\", '"', "\n", "\r", "\t", "#", "1", "i", "u", ".", "-", "e", "t"), fc.string({ maxLength: 2 }));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 60 }).map((cs) => cs.join("")), fc.constantFrom<Precision>("ns", "us", "ms", "s"), (text, p) => {
        const nonBlank = text.split("\n").filter((line) => {
          const trimmed = line.replace(/\r$/, "").replace(/^[ \t]+/, "");
          return trimmed !== "" && !trimmed.startsWith("#");
        }).length;
        const got = parser.points(text, { precision: p, now: NOW });
        expect(got.points.length + got.errorCount).toBe(nonBlank);
        const batch = parser.parse(text, { precision: p, now: NOW });
        expect(batch.points + batch.errorCount).toBe(nonBlank);
        for (const e of [...got.errors, ...batch.errors]) expect(typeof e.message).toBe("string");
      }),
      { numRuns: 3000 },
    );
  }, 60_000);
});
