/**
 * What a server makes of client messages (`parseClientMessage`), on its own: every bad input
 * has its error code, good ones come back with their defaults applied, nothing throws. The
 * mock server's tests (mock-server/test/validation.test.ts) send the same inputs over a real
 * socket and check that the connection and the server stay up.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  exceedsUtf8,
  isSeq,
  MAX_CLIENT_MESSAGE_BYTES,
  MAX_ID_LENGTH,
  MAX_SUBSCRIBE_METRICS,
  parseClientMessage,
  utf8Length,
} from "../src/index.js";

const subscribe = (fields: Record<string, unknown>) => JSON.stringify({ type: "subscribe", metrics: "*", ...fields });
const bytes = (text: string) => new TextEncoder().encode(text);

describe("parseClientMessage", () => {
  const CASES: Array<[name: string, message: string, code: string]> = [
    ["oversized message", JSON.stringify({ type: "ping", id: 1, clientTime: 1, pad: "x".repeat(MAX_CLIENT_MESSAGE_BYTES) }), "too_large"],
    ["not JSON", "{type: subscribe", "bad_json"],
    ["a JSON array", "[1,2,3]", "bad_message"],
    ["a JSON string", '"subscribe"', "bad_message"],
    ["null", "null", "bad_message"],
    ["no type", '{"metrics":"*"}', "bad_message"],
    ["unknown type", '{"type":"dance"}', "unknown_type"],
    ["metrics not a list", subscribe({ metrics: 5 }), "bad_message"],
    ["metrics with a number", subscribe({ metrics: ["cpu.usage", 5] }), "bad_message"],
    ["an empty metric id", subscribe({ metrics: [""] }), "bad_message"],
    ["a metric id too long", subscribe({ metrics: ["m".repeat(MAX_ID_LENGTH + 1)] }), "bad_message"],
    ["too many metrics", subscribe({ metrics: Array.from({ length: MAX_SUBSCRIBE_METRICS + 1 }, (_, i) => `m${i}`) }), "too_many_metrics"],
    ["negative since", subscribe({ since: -1 }), "bad_message"],
    ["fractional since", subscribe({ since: 1.5 }), "bad_message"],
    ["since as text", subscribe({ since: "3" }), "bad_message"],
    ["events not boolean", subscribe({ events: "yes" }), "bad_message"],
    ["epoch not a string", subscribe({ since: 0, epoch: 5 }), "bad_message"],
    ["epoch too long", subscribe({ since: 0, epoch: "e".repeat(MAX_ID_LENGTH + 1) }), "bad_message"],
    ["ping without id", '{"type":"ping","clientTime":1}', "bad_message"],
    ["ping with a non-finite time", '{"type":"ping","id":1,"clientTime":"now"}', "bad_message"],
  ];

  for (const [name, message, code] of CASES) {
    it(`${name} -> ${code}, as text and as bytes`, () => {
      for (const data of [message, bytes(message)]) {
        const parsed = parseClientMessage(data, false);
        expect(parsed).toMatchObject({ ok: false, code });
        if (!parsed.ok) expect(parsed.message.length).toBeGreaterThan(10);
      }
    });
  }

  it("rejects binary messages, whatever they hold", () => {
    expect(parseClientMessage(bytes('{"type":"ping","id":1,"clientTime":1}'), true)).toMatchObject({ ok: false, code: "bad_message" });
  });

  it("measures the limit in UTF-8 bytes, not in characters", () => {
    // 6000 three-byte characters: 6000 code units, 18 000 bytes.
    const text = JSON.stringify({ type: "ping", id: 1, clientTime: 1, pad: "€".repeat(6000) });
    expect(text.length).toBeLessThan(MAX_CLIENT_MESSAGE_BYTES);
    const parsed = parseClientMessage(text, false);
    expect(parsed).toMatchObject({ ok: false, code: "too_large" });
    if (!parsed.ok) expect(parsed.message).toContain(`${bytes(text).length} bytes`);
  });

  it("applies a subscribe's defaults and removes duplicate ids", () => {
    expect(parseClientMessage(JSON.stringify({ type: "subscribe", metrics: ["a", "b", "a"] }), false)).toEqual({
      ok: true,
      message: { type: "subscribe", metrics: ["a", "b"], since: null, epoch: undefined, events: true },
    });
    expect(parseClientMessage(bytes(subscribe({ since: 7, epoch: "e1", events: false })), false)).toEqual({
      ok: true,
      message: { type: "subscribe", metrics: "*", since: 7, epoch: "e1", events: false },
    });
  });

  it("returns a ping's id and time", () => {
    expect(parseClientMessage('{"type":"ping","id":3,"clientTime":1700000000000}', false)).toEqual({
      ok: true,
      message: { type: "ping", id: 3, clientTime: 1_700_000_000_000 },
    });
  });

  it("never throws, whatever the bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (data, isBinary) => {
        const parsed = parseClientMessage(data, isBinary);
        expect(typeof parsed.ok).toBe("boolean");
      }),
    );
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(typeof parseClientMessage(text, false).ok).toBe("boolean");
      }),
    );
  });
});

describe("isSeq", () => {
  it("accepts non-negative safe integers only", () => {
    for (const good of [0, 1, Number.MAX_SAFE_INTEGER]) expect(isSeq(good)).toBe(true);
    for (const bad of [-1, 1.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN, Infinity, "3", null, undefined]) expect(isSeq(bad)).toBe(false);
  });
});

describe("UTF-8 size", () => {
  it("agrees with TextEncoder on well-formed text of any script", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), fc.nat(1200), (text, limit) => {
        const size = bytes(text).length;
        expect(utf8Length(text)).toBe(size);
        expect(exceedsUtf8(text, limit)).toBe(size > limit);
      }),
    );
  });
});
