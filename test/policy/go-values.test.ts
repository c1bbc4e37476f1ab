/**
 * Plain YAML scalars as Intercept reads them into a condition's `value: any`: Go's yaml.v3
 * v3.0.1. Times: vectors from its decode_test.go (the timestamp cases and
 * TestUnmarshalFullTimestamp) and resolve.go (allowedTimestampFormats, the YYYY- quick check),
 * printed in time.Time.String's layout "2006-01-02 15:04:05.999999999 -0700 MST". Numbers:
 * resolve.go tries, on text starting with a digit or a sign and with every underscore dropped,
 * strconv.ParseInt(s, 0, 64), ParseUint(s, 0, 64), then a yamlStyleFloat through ParseFloat;
 * else the text stays a string.
 */
import { describe, expect, it } from "vitest";
import { goTimestamp } from "../../src/policy/go-time.js";
import { GoTime, formatGo } from "../../src/policy/gofmt.js";
import { goPlain } from "../../src/policy/dialects/fields.js";
import { parseYamlSource } from "../../src/yaml-source.js";

/** The value yaml.v3 gives `a` in `a: <scalar>` decoded into an `any`, as mcptape holds it. */
function valueOf(scalar: string): unknown {
  const root = parseYamlSource(`a: ${scalar}\n`, "t.yaml").root!;
  if (root.kind !== "map") throw new Error("not a map");
  return goPlain(root.entries[0]!.value);
}

describe("timestamps as yaml.v3 reads them", () => {
  it.each([
    ["2015-01-01", "2015-01-01 00:00:00 +0000 UTC"],
    ["2015-02-24T18:19:39.12Z", "2015-02-24 18:19:39.12 +0000 UTC"],
    ["2015-2-3T3:4:5Z", "2015-02-03 03:04:05 +0000 UTC"],
    ["2015-02-24t18:19:39Z", "2015-02-24 18:19:39 +0000 UTC"],
    ["2015-02-24 18:19:39", "2015-02-24 18:19:39 +0000 UTC"],
    ["2015-02-24T18:19:39.123456789-03:00", "2015-02-24 18:19:39.123456789 -0300 -0300"],
    ["2024-02-29", "2024-02-29 00:00:00 +0000 UTC"],
  ])("%s is a time, printed %j", (text, go) => {
    expect(goTimestamp(text)?.text).toBe(go);
    const v = valueOf(text);
    expect(v).toBeInstanceOf(GoTime);
    expect(formatGo(v)).toBe(go);
    expect(JSON.stringify(v)).toBe(JSON.stringify(text)); // a report shows it as written
  });

  it.each([
    ["2015-02-30", "no such day"],
    ["2023-02-29", "not a leap year"],
    ["2015-13-01", "no such month"],
    ["2015-01-01T10:00:00", "a T needs a zone"],
    ["2015-01-01T24:00:00Z", "hour 24"],
    ["20150-01-01", "five digits before the dash"],
    ["2015-01-01x", "text after the date"],
  ])("%s is not a time (%s)", (text) => {
    expect(goTimestamp(text)).toBeUndefined();
    expect(typeof valueOf(text)).toBe("string");
  });

  it("quoted or tagged !!str it stays text; tagged !!timestamp it is a time even quoted", () => {
    expect(valueOf('"2015-01-01"')).toBe("2015-01-01");
    expect(valueOf("!!str 2015-01-01")).toBe("2015-01-01");
    expect(formatGo(valueOf('!!timestamp "2015-01-01"'))).toBe("2015-01-01 00:00:00 +0000 UTC");
  });
});

describe("numbers as yaml.v3 reads them (strconv, base 0, underscores dropped)", () => {
  it.each([
    ["0X1F", 31n, "31"],
    ["-0x10", -16n, "-16"],
    ["+0x10", 16n, "16"],
    ["0x1_0", 16n, "16"],
    ["+_1", 1n, "1"],
    ["0O17", 15n, "15"],
    ["-0b101", -5n, "-5"],
    ["0755", 493n, "493"],
    ["0", 0n, "0"],
    ["1_000.5", 1000.5, "1000.5"],
    ["08", 8, "8"],
    ["1e3", 1000, "1000"],
    [".5", 0.5, "0.5"],
    ["18446744073709551615", 18446744073709551615n, "18446744073709551615"],
    ["+18446744073709551615", 2 ** 64, "1.8446744073709552e+19"],
    ["99999999999999999999", 99999999999999999999n, "1e+20"],
    ["-.inf", -Infinity, "-Inf"],
  ])("%s reads as %s, printed %j", (text, value, go) => {
    expect(valueOf(text)).toEqual(value);
    expect(formatGo(valueOf(text))).toBe(go);
  });

  it.each(["0x1FFFFFFFFFFFFFFFF", "1e400", "1:20", "0x", "1_0x"])("%s stays text", (text) => {
    expect(valueOf(text)).toBe(text);
  });
});
