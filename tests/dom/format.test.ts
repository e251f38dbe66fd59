import { describe, expect, it } from "vitest";
import { formatBytes, formatChange, formatClock, formatCompact, formatDuration, formatRate, formatValue, formatValueParts, NO_VALUE } from "../../src/format.ts";

describe("formatCompact", () => {
  it.each([
    [0, "0"],
    [999, "999"],
    [12.345, "12.3"],
    [1234, "1.2K"],
    [3_400_000, "3.4M"],
    [2_500_000_000, "2.5B"],
    [-4200, "-4.2K"],
    [999_960, "1.0M"], // never "1000.0K"
    [999.96, "1.0K"], // never "1000.0"
  ])("%s -> %s", (value, text) => {
    expect(formatCompact(value)).toBe(text);
  });

  it("shows a dash for values that do not exist", () => {
    expect(formatCompact(NaN)).toBe(NO_VALUE);
    expect(formatCompact(Infinity)).toBe(NO_VALUE);
  });
});

describe("formatValueParts", () => {
  it("formats by unit", () => {
    expect(formatValueParts(42.123, "%")).toEqual({ value: "42.1", unit: "%" });
    expect(formatValueParts(153.4, "ms")).toEqual({ value: "153", unit: "ms" });
    expect(formatValueParts(4.25, "ms")).toEqual({ value: "4.3", unit: "ms" });
    expect(formatValueParts(1530, "ms")).toEqual({ value: "1.53", unit: "s" });
    expect(formatValueParts(3_456_789, "USD")).toEqual({ value: "$3.46M", unit: "" });
    expect(formatValueParts(1234, "req/s")).toEqual({ value: "1.2K", unit: "req/s" });
    expect(formatValueParts(NaN, "req/s")).toEqual({ value: NO_VALUE, unit: "req/s" });
  });

  it("joins value and unit", () => {
    expect(formatValue(42.1, "%")).toBe("42.1%");
    expect(formatValue(1234, "req/s")).toBe("1.2K req/s");
    expect(formatValue(12, "USD")).toBe("$12");
  });
});

describe("other formatters", () => {
  it("formats changes with a real minus sign", () => {
    expect(formatChange(0.0321)).toBe("+3.2%");
    expect(formatChange(-0.5)).toBe("\u221250.0%");
    expect(formatChange(0)).toBe("0.0%");
    expect(formatChange(NaN)).toBe(NO_VALUE);
  });

  it("formats rates, bytes and durations", () => {
    expect(formatRate(20_000)).toBe("20.0K/s");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(12.3 * 1024 * 1024)).toBe("12.3 MB");
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(3000)).toBe("3 s");
    expect(formatDuration(125_000)).toBe("2 min 05 s");
    expect(formatDuration(-1)).toBe(NO_VALUE);
  });

  it("formats local clock times with milliseconds", () => {
    const t = new Date(2024, 4, 6, 14, 3, 7, 42).getTime();
    expect(formatClock(t)).toBe("14:03:07.042");
  });
});
