// Hostile text on request (--long-labels, --long-units, --long-event-text): catalogue labels,
// units, event texts and sources padded to an exact length, with an unbroken run and words.
import { describe, expect, it } from "vitest";
import type { EventsFrame, HelloFrame } from "@pulseboard/protocol";
import { FlagError, parseMockFlags } from "../src/index.js";
import { lengthen } from "../src/long-text.js";
import { TestClient, startServer } from "./helpers.js";

describe("lengthen", () => {
  it("pads to exactly the length, keeping the text first, with an unbroken run and then words", () => {
    const text = lengthen("req/s", 1000);
    expect(text.length).toBe(1000);
    expect(text.startsWith("req/s ")).toBe(true);
    expect(text).toMatch(/ w{400,} /); // nowhere to wrap
    expect(text.slice(600)).toMatch(/^[a-z ]+$/); // words with spaces: wraps into lines
    expect(text.slice(600).split(" ").length).toBeGreaterThan(50);
  });

  it("leaves text that is long enough (and a length of 0) alone", () => {
    expect(lengthen("Requests", 0)).toBe("Requests");
    expect(lengthen("Requests", 8)).toBe("Requests");
    expect(lengthen("", 3)).toHaveLength(3);
  });
});

describe("long text flags", () => {
  it("map to options and refuse bad lengths", () => {
    expect(parseMockFlags("--long-labels 100000 --long-units=80 --long-event-text 5").options.longText).toEqual({ labels: 100_000, units: 80, events: 5 });
    for (const argv of ["--long-labels -1", "--long-units 1.5", "--long-event-text 2000000"]) {
      expect(() => parseMockFlags(argv), argv).toThrow(FlagError);
    }
  });

  it("serve long labels and units in the hello, and long event texts and sources in the stream", async () => {
    const server = await startServer({ hosts: 2, eventsRate: 100, longText: { labels: 5000, units: 3000, events: 4000 } });
    const client = await TestClient.connect(server);
    client.subscribe({ since: 0, metrics: "*", events: true });
    await client.waitFor((c) => c.ofType("events").length > 0, "an events frame");

    const hello = client.ofType("hello")[0] as HelloFrame;
    expect(hello.metrics.length).toBe(server.service.metrics.length);
    for (const m of hello.metrics) {
      expect(m.label).toHaveLength(5000);
      expect(m.unit).toHaveLength(3000);
    }
    expect(hello.metrics.find((m) => m.id === "host.h-00001.cpu")?.label.startsWith("CPU h-00001 ")).toBe(true);
    const events = (client.ofType("events") as EventsFrame[]).flatMap((f) => f.events);
    for (const e of events) {
      expect(e.text).toHaveLength(4000);
      expect(e.source).toHaveLength(4000);
    }
  });
});
