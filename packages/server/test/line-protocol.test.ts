import { describe, expect, it } from "vitest";
import { LineProtocolParser, encodeSegment, formatLineError, parseLineProtocol, parseLineProtocolPoints, parsePrecision, type IngestBatch } from "../src/index.js";

const NOW = 1_700_000_000_123;

/** A batch's series as [id, { t, v }] pairs (without the declaration each carries). */
function seriesOf(batch: IngestBatch): Array<[string, { t: number[]; v: number[] }]> {
  return [...batch.series].map(([id, { t, v }]) => [id, { t, v }]);
}

function points(body: string, precision?: Parameters<typeof parsePrecision>[0]) {
  return parseLineProtocolPoints(body, { now: NOW, precision: parsePrecision(precision) });
}

describe("line protocol: syntax", () => {
  it("reads measurement, tags, fields of every type and the timestamp", () => {
    const r = points('weather,location=us-midwest,season=summer temperature=82,humidity=71i,count=3u,ok=true,note="warm" 1465839830100400200');
    expect(r.errors).toEqual([]);
    expect(r.points).toEqual([
      {
        line: 1,
        measurement: "weather",
        tags: [
          ["location", "us-midwest"],
          ["season", "summer"],
        ],
        fields: [
          ["temperature", 82, "float"],
          ["humidity", 71, "integer"],
          ["count", 3, "unsigned"],
          ["ok", true, "boolean"],
          ["note", "warm", "string"],
        ],
        time: 1465839830100,
      },
    ]);
  });

  it("applies the escaping rules of names and strings", () => {
    const r = points(
      [
        "my\\ Measurement,tag\\ Key1=tag\\ Value1,comma\\,key=a\\,b,eq\\=k=v\\=w fieldKey=\"string value\"",
        'm f="\\"string\\" within a string"',
        'm f="back\\\\slash and lone \\ and \\n"',
        "m=with=equals f=1",
        "m,t=🍭 f=\"Launch 🚀\"",
      ].join("\n"),
    );
    expect(r.errors).toEqual([]);
    expect(r.points.map((p) => [p.measurement, p.tags, p.fields.map((f) => f[1])])).toEqual([
      [
        "my Measurement",
        [
          ["comma,key", "a,b"],
          ["eq=k", "v=w"],
          ["tag Key1", "tag Value1"],
        ],
        ["string value"],
      ],
      ["m", [], ['"string" within a string']],
      ["m", [], ["back\\slash and lone \\ and \\n"]],
      ["m=with=equals", [], [1]],
      ["m", [["t", "🍭"]], ["Launch 🚀"]],
    ]);
  });

  it("follows Influx's backslash table: two contiguous backslashes are one", () => {
    // Backslashes before a space: an odd count escapes the space, an even count does not.
    const table: Array<[string, string]> = [
      ["\\", "\\"],
      ["\\\\", "\\"],
      ["\\\\\\", "\\\\"],
      ["\\\\\\\\", "\\\\"],
      ["\\\\\\\\\\", "\\\\\\"],
      ["\\\\\\\\\\\\", "\\\\\\"],
    ];
    for (const [written, meant] of table) {
      const r = points(`m,t=a${written}b f=1`);
      expect(r.errors, written).toEqual([]);
      expect(r.points[0].tags[0][1], written).toBe(`a${meant}b`);
    }
  });

  it("reads float forms, booleans and integer ranges", () => {
    const r = points(
      [
        "m a=1,b=-1.5,c=1e-3,d=.5,e=1.,f=-1.234456e+78,g=+2",
        "m t=t,T=T,true=true,True=True,TRUE=TRUE,f=f,F=F,false=false,False=False,FALSE=FALSE",
        "m max=9223372036854775807i,min=-9223372036854775808i,umax=18446744073709551615u,zero=0u",
      ].join("\n"),
    );
    expect(r.errors).toEqual([]);
    expect(r.points[0].fields.map((f) => f[1])).toEqual([1, -1.5, 0.001, 0.5, 1, -1.234456e78, 2]);
    expect(r.points[1].fields.map((f) => f[1])).toEqual([true, true, true, true, true, false, false, false, false, false]);
    // Beyond 2^53 the JavaScript number is the nearest double.
    expect(r.points[2].fields.map((f) => [f[1], f[2]])).toEqual([
      [Number("9223372036854775807"), "integer"],
      [-Number("9223372036854775808"), "integer"],
      [Number("18446744073709551615"), "unsigned"],
      [0, "unsigned"],
    ]);
  });

  it("converts timestamps of every precision to epoch ms, floored; a missing one is the receive time", () => {
    expect(points("m f=1 1465839830100400200").points[0].time).toBe(1465839830100);
    expect(points("m f=1 1465839830100400", "us").points[0].time).toBe(1465839830100);
    expect(points("m f=1 1465839830100400", "u").points[0].time).toBe(1465839830100);
    expect(points("m f=1 1465839830100", "ms").points[0].time).toBe(1465839830100);
    expect(points("m f=1 1465839830", "s").points[0].time).toBe(1465839830000);
    expect(points("m f=1 2", "m").points[0].time).toBe(120_000);
    expect(points("m f=1 2", "h").points[0].time).toBe(7_200_000);
    expect(points("m f=1 -1500000").points[0].time).toBe(-2);
    expect(points("m f=1 999999").points[0].time).toBe(0);
    expect(seriesOf(parseLineProtocol("m f=1", { now: NOW }).batch)).toEqual([["m.f", { t: [NOW], v: [1] }]]);
    expect(parsePrecision("ns")).toBe("ns");
    expect(parsePrecision(undefined)).toBe("ns");
    expect(parsePrecision("weeks")).toBeUndefined();
  });

  it("skips blank lines, comments, leading whitespace and CRLF; allows trailing spaces", () => {
    const r = points("\n# a comment\n   \t\n  m f=1 1000000  \r\n\tm g=2\r\n   # indented comment\n");
    expect(r.errors).toEqual([]);
    expect(r.points.map((p) => [p.line, p.fields[0][0], p.time])).toEqual([
      [4, "f", 1],
      [5, "g", undefined],
    ]);
  });

  it("reports each malformed line with its number, column and a sentence, and keeps the good lines", () => {
    const body = [
      "cpu,host=a usage=1", // 1 ok
      "cpu,host=a", // 2
      "cpu,host=a usage=", // 3
      "cpu,host=a usage=1.2.3", // 4
      'cpu,host=a note="unterminated', // 5
      "cpu,host=a usage=1 12a", // 6
      "cpu,host= usage=1", // 7
      "cpu,=a usage=1", // 8
      "cpu, usage=1", // 9
      "cpu,host=a=b usage=1", // 10
      "cpu,host=a,host=b usage=1", // 11
      "cpu usage=1,usage=2", // 12
      "cpu usage=1,", // 13
      ",host=a usage=1", // 14
      "cpu usage=9223372036854775808i", // 15
      "cpu usage=-1u", // 16
      "cpu usage=18446744073709551616u", // 17
      "cpu usage=1e999", // 18
      "cpu usage=tru", // 19
      'cpu usage="a"x', // 20
      "cpu usage=1 123 456", // 21
      "cpu usage=1 12345678901234567890", // 22
      "cpu usage=NaN", // 23
      "cpu usage", // 24
      "cpu =1", // 25
      "cpu,host=b usage=2 1000000", // 26 ok
    ].join("\n");
    const r = parseLineProtocol(body, { now: NOW });
    expect(r.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
    expect(r).toMatchObject({ errorCount: 24, points: 2, samples: 2, lines: 26 });
    expect(seriesOf(r.batch)).toEqual([
      ["cpu.a.usage", { t: [NOW], v: [1] }],
      ["cpu.b.usage", { t: [1], v: [2] }],
    ]);
    const byLine = new Map(r.errors.map((e) => [e.line, e]));
    expect(formatLineError(byLine.get(4)!)).toBe('line 4, column 18: invalid number "1.2.3" for field "usage"');
    expect(formatLineError(byLine.get(2)!)).toBe("line 2, column 11: missing field set: a point needs a space and at least one field after the measurement and tags");
    expect(byLine.get(5)!.message).toMatch(/unterminated string for field "note"/);
    expect(byLine.get(6)).toMatchObject({ column: 20, message: 'invalid timestamp "12a": expected an integer' });
    expect(byLine.get(7)).toMatchObject({ column: 10, message: 'missing value for tag "host"' });
    expect(byLine.get(10)!.message).toMatch(/unescaped "=" in the value of tag "host"/);
    expect(byLine.get(11)!.message).toBe('duplicate tag key "host"');
    expect(byLine.get(12)).toMatchObject({ column: 13, message: 'duplicate field "usage"' });
    expect(byLine.get(15)!.message).toMatch(/out of the signed 64-bit range/);
    expect(byLine.get(17)!.message).toMatch(/out of the 64-bit range/);
    expect(byLine.get(18)!.message).toMatch(/out of the 64-bit float range/);
    expect(byLine.get(19)!.message).toMatch(/^invalid value "tru": not a number/);
    expect(byLine.get(21)!.message).toBe("unexpected text after the timestamp");
    expect(byLine.get(22)!.message).toMatch(/timestamp "12345678901234567890" is out of range/);
    expect(byLine.get(2)!.text).toBe("cpu,host=a");
  });

  it("lists at most maxErrors errors and counts them all", () => {
    const body = Array.from({ length: 250 }, () => "bad").join("\n");
    const r = parseLineProtocol(body, { now: NOW });
    expect(r.errors.length).toBe(100);
    expect(r.errorCount).toBe(250);
  });
});

describe("line protocol: ids, labels, units and kinds", () => {
  it("makes measurement.tagvalues(sorted by key).field ids, one segment per tag value", () => {
    const r = parseLineProtocol(
      ["cpu,host=a,cpu=cpu0 usage_user=3,usage_system=1", "host,name=h-00001 cpu=3", "mem,host=web.example.com used_percent=55.5", "app.requests,route=/a\\ b count=1i"].join("\n"),
      { now: NOW },
    );
    expect(r.errors).toEqual([]);
    expect([...r.batch.series.keys()]).toEqual([
      "cpu.cpu0.a.usage_user",
      "cpu.cpu0.a.usage_system",
      "host.h-00001.cpu",
      "mem.web%2Eexample%2Ecom.used_percent",
      "app.requests.%2Fa%20b.count",
    ]);
    expect(r.batch.series.get("cpu.cpu0.a.usage_user")!.declaration).toEqual({
      id: "cpu.cpu0.a.usage_user",
      defaults: { label: "cpu usage_user (cpu=cpu0, host=a)", group: "cpu", unit: "", kind: "gauge" },
    });
    // The same point with its tags in another order is the same series.
    const again = parseLineProtocol("cpu,cpu=cpu0,host=a usage_user=4", { now: NOW });
    expect([...again.batch.series.keys()]).toEqual(["cpu.cpu0.a.usage_user"]);
    expect(encodeSegment("é,*%", false)).toBe("%C3%A9%2C%2A%25");
  });

  it("reads units, kinds, labels and groups from the reserved tags, per line and per field", () => {
    const r = parseLineProtocol('net,host=a,_kind=counter,_unit=B,_unit.drops=packets,_label.drops=Dropped\\ packets,_group=network bytes_in=10i,drops=2i', { now: NOW });
    expect(r.errors).toEqual([]);
    expect(r.batch.series.get("net.a.bytes_in")!.declaration!.set).toEqual({ kind: "counter", unit: "B", group: "network" });
    expect(r.batch.series.get("net.a.drops")!.declaration!.set).toEqual({ kind: "counter", unit: "packets", label: "Dropped packets", group: "network" });
    const bad = parseLineProtocol(["m,_kind=speed f=1", "m,_units=x f=1", "m,_level=loud s=\"x\""].join("\n"), { now: NOW });
    expect(bad.errors.map((e) => e.message)).toEqual([
      'invalid _kind "speed": one of gauge, rate, counter, latency, share',
      expect.stringMatching(/^unknown reserved tag "_units"/),
      expect.stringMatching(/^invalid _level "loud"/),
    ]);
  });

  it("turns string fields into events (message, else text, else k=v), or ignores them on request", () => {
    const body = [
      'syslog,host=a,severity=err,appname=cron message="disk full",procid="12" 1000000',
      'deploys,_event=deploy,_source=ci,_level=info version="1.2.3",who="ana" 2000000',
      "cpu,host=a usage=1,state=\"busy\" 3000000",
    ].join("\n");
    const r = parseLineProtocol(body, { now: NOW });
    expect(r.errors).toEqual([]);
    expect(r.batch.events).toEqual([
      { t: 1, level: "error", kind: "log", source: "syslog", text: "disk full" },
      { t: 2, level: "info", kind: "deploy", source: "ci", text: "version=1.2.3 who=ana" },
      { t: 3, level: "info", kind: "log", source: "cpu", text: "state=busy" },
    ]);
    expect([...r.batch.series.keys()]).toEqual(["cpu.a.usage"]);
    expect(r.stringFields).toBe(5);
    const ignored = parseLineProtocol(body, { now: NOW, strings: "ignore" });
    expect(ignored.batch.events).toEqual([]);
    expect(ignored).toMatchObject({ points: 3, stringFields: 5, samples: 1 });
  });

  it("a field whose id would be too long is a line error", () => {
    const r = parseLineProtocol(`m ${"f".repeat(300)}=1\nm ok=1`, { now: NOW });
    expect(r.errors.map((e) => [e.line, e.message])).toEqual([[1, expect.stringMatching(/metric id is longer than 256 characters/)]]);
    expect([...r.batch.series.keys()]).toEqual(["m.ok"]);
  });
});

describe("line protocol: limits", () => {
  it("returns the limit that stopped the body, and keeps nothing of it", () => {
    const lines = parseLineProtocol("m f=1\nm f=2\nm f=3", { now: NOW, limits: { maxLines: 2 } });
    expect(lines.limit).toMatchObject({ limit: "maxLines", max: 2, actual: 3, status: 413 });
    expect(lines.batch.series.size).toBe(0);
    const bytes = parseLineProtocol("m f=1", { now: NOW, limits: { maxBodyBytes: 4 } });
    expect(bytes.limit).toMatchObject({ limit: "maxBodyBytes", status: 413 });
    const series = parseLineProtocol("m a=1,b=2,c=3", { now: NOW, limits: { maxSeriesPerRequest: 2 } });
    expect(series.limit).toMatchObject({ limit: "maxSeriesPerRequest", max: 2, actual: 3, status: 413 });
    expect(series.batch.series.size).toBe(0);
    const samples = parseLineProtocol("m a=1\nm a=2\nm a=3", { now: NOW, limits: { maxSamplesPerRequest: 2 } });
    expect(samples.limit).toMatchObject({ limit: "maxSamplesPerRequest", status: 413 });
    const events = parseLineProtocol('m s="a"\nm s="b"', { now: NOW, limits: { maxEventsPerRequest: 1 } });
    expect(events.limit).toMatchObject({ limit: "maxEventsPerRequest", status: 413 });
    // A final newline does not count as a line.
    expect(parseLineProtocol("m f=1\nm f=2\n", { now: NOW, limits: { maxLines: 2 } }).limit).toBeUndefined();
  });

  it("a reused parser keeps one batch per call and its cache bounded", () => {
    const parser = new LineProtocolParser({ cacheSize: 2 });
    const first = parser.parse("a,h=1 f=1\nb,h=1 f=1\nc,h=1 f=1", { now: NOW });
    const second = parser.parse("a,h=1 f=2\nc,h=1 f=3", { now: NOW });
    expect(seriesOf(first.batch)).toEqual([
      ["a.1.f", { t: [NOW], v: [1] }],
      ["b.1.f", { t: [NOW], v: [1] }],
      ["c.1.f", { t: [NOW], v: [1] }],
    ]);
    expect(seriesOf(second.batch)).toEqual([
      ["a.1.f", { t: [NOW], v: [2] }],
      ["c.1.f", { t: [NOW], v: [3] }],
    ]);
  });
});
