import { describe, expect, it } from "vitest";
import { parseServerFrame } from "@pulseboard/protocol";
import type { DataFrame, MetricInfo } from "@pulseboard/protocol";
import { SeriesStore } from "../src/store/series-store.js";

const info = (id: string, rateHz = 20): MetricInfo => ({ id, label: id.toUpperCase(), unit: "", kind: "gauge", rateHz });
const frame = (seq: number, series: Record<string, { t: number[]; v: unknown[] }>): DataFrame =>
  ({ type: "data", seq, series }) as DataFrame;

function storeWith(...ids: string[]): SeriesStore {
  const store = new SeriesStore({ capacity: 8 });
  store.setCatalogue(ids.map((id) => info(id)));
  return store;
}

describe("SeriesStore", () => {
  it("creates one ring per catalogued metric and appends frame columns to it", () => {
    const store = storeWith("cpu", "mem");
    const result = store.ingest(frame(1, { cpu: { t: [1, 2], v: [10, 20] }, mem: { t: [1], v: [5] } }));
    expect(result).toEqual({ points: 3, droppedNonFinite: 0, droppedOutOfOrder: 0, unknownIds: [] });
    expect(Array.from(store.series("cpu")!.values())).toEqual([10, 20]);
    expect(store.info("mem")?.label).toBe("MEM");
    expect(store.ids()).toEqual(["cpu", "mem"]);
  });

  it("ignores and reports ids that are not in the catalogue", () => {
    const store = storeWith("cpu");
    const result = store.ingest(frame(1, { cpu: { t: [1], v: [1] }, ghost: { t: [1, 2], v: [1, 2] } }));
    expect(result.unknownIds).toEqual(["ghost"]);
    expect(result.points).toBe(1);
    expect(store.series("ghost")).toBeUndefined();
    expect(store.totals.unknown).toBe(2);
  });

  it("drops and counts non-finite values one point at a time, keeping the rest of the frame", () => {
    const store = storeWith("cpu");
    // As it comes off the wire: JSON has no NaN, so servers send null; strings are hostile input.
    const parsed = parseServerFrame('{"type":"data","seq":1,"series":{"cpu":{"t":[1,2,3,4,5],"v":[1,null,"NaN",{},5]}}}');
    if (!parsed.ok || parsed.frame.type !== "data") throw new Error("fixture must parse");
    const result = store.ingest(parsed.frame);
    expect(result.points).toBe(2);
    expect(result.droppedNonFinite).toBe(3);
    expect(Array.from(store.series("cpu")!.times())).toEqual([1, 5]);
    expect(store.totals.nonFinite).toBe(3);
  });

  it("drops points that are not after the newest time of their series (replay overlap, clock skew)", () => {
    const store = storeWith("cpu");
    store.ingest(frame(1, { cpu: { t: [10, 20], v: [1, 2] } }));
    const result = store.ingest(frame(2, { cpu: { t: [20, 15, 30, 30, 25, 40], v: [9, 9, 3, 9, 9, 4] } }));
    expect(result.droppedOutOfOrder).toBe(4);
    expect(Array.from(store.series("cpu")!.times())).toEqual([10, 20, 30, 40]);
    expect(Array.from(store.series("cpu")!.values())).toEqual([1, 2, 3, 4]);
  });

  it("reuses one result object: read it before the next ingest", () => {
    const store = storeWith("cpu");
    const a = store.ingest(frame(1, { ghost: { t: [1], v: [1] } }));
    const b = store.ingest(frame(2, { cpu: { t: [1], v: [1] } }));
    expect(b).toBe(a);
    expect(b.unknownIds).toEqual([]);
  });

  it("counts ring overflow in totals.dropped", () => {
    const store = storeWith("cpu");
    store.ingest(frame(1, { cpu: { t: Array.from({ length: 20 }, (_, i) => i), v: new Array(20).fill(1) } }));
    expect(store.series("cpu")!.length).toBe(8);
    expect(store.totals.dropped).toBe(12);
    expect(store.totals.points).toBe(20);
  });

  it("lists changed series once per takeChanged call", () => {
    const store = storeWith("cpu", "mem", "disk");
    store.ingest(frame(1, { cpu: { t: [1], v: [1] } }));
    store.ingest(frame(2, { cpu: { t: [2], v: [1] }, mem: { t: [1], v: [1] } }));
    store.ingest(frame(3, { disk: { t: [1], v: [null] } })); // nothing appended: not a change
    expect([...store.takeChanged()]).toEqual(["cpu", "mem"]);
    expect([...store.takeChanged()]).toEqual([]);
  });

  it("backfills history into place, dropping non-finite values and duplicate times", () => {
    const store = storeWith("cpu");
    store.ingest(frame(1, { cpu: { t: [100, 110], v: [10, 11] } }));
    store.takeChanged();
    expect(store.backfill("cpu", [70, 80, 90, 100], [7, null, 9, 99])).toBe(2);
    expect(Array.from(store.series("cpu")!.times())).toEqual([70, 90, 100, 110]);
    expect(Array.from(store.series("cpu")!.values())).toEqual([7, 9, 10, 11]);
    expect([...store.takeChanged()]).toEqual(["cpu"]);
    expect(store.backfill("ghost", [1], [1])).toBe(0);
  });

  it("records holes, merges overlapping ones and forgets those older than the ring", () => {
    const store = new SeriesStore({ capacity: 4, maxHoles: 2 });
    store.setCatalogue([info("cpu")]);
    store.ingest(frame(1, { cpu: { t: [0, 10], v: [1, 1] } }));
    store.markHole("cpu", 20, 30);
    store.markHole("cpu", 25, 40);
    expect(store.holes("cpu")).toEqual([{ from: 20, to: 40 }]);
    store.markHole("cpu", 50, 60);
    store.markHole("cpu", 70, 80); // beyond maxHoles: the oldest goes
    expect(store.holes("cpu")).toEqual([{ from: 50, to: 60 }, { from: 70, to: 80 }]);
    store.ingest(frame(2, { cpu: { t: [90, 100, 110, 120], v: [1, 1, 1, 1] } }));
    expect(store.holes("cpu")).toEqual([]); // the ring now starts at 90
    expect(store.holes("ghost")).toEqual([]);
  });

  it("keeps data of metrics that stay in a new catalogue and removes the others", () => {
    const store = storeWith("cpu", "mem");
    store.ingest(frame(1, { cpu: { t: [1], v: [1] }, mem: { t: [1], v: [1] } }));
    store.setCatalogue([info("cpu"), info("net")]);
    expect(store.series("cpu")!.length).toBe(1);
    expect(store.series("mem")).toBeUndefined();
    expect(store.series("net")!.length).toBe(0);
    expect(store.catalogue().map((m) => m.id)).toEqual(["cpu", "net"]);
  });

  it("sizes rings per metric with capacityFor, ignoring unusable answers", () => {
    const store = new SeriesStore({ capacity: 16, capacityFor: (m) => (m.id === "bad" ? -1 : m.rateHz * 10) });
    store.setCatalogue([info("fast", 100), info("bad")]);
    expect(store.series("fast")!.capacity).toBe(1000);
    expect(store.series("bad")!.capacity).toBe(16);
  });
});
