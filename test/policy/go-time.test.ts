/**
 * Which YAML scalars Intercept reads as a time, and the text Go prints for it. Vectors from Go's
 * yaml.v3 v3.0.1 decode_test.go (its timestamp cases and TestUnmarshalFullTimestamp) and resolve.go
 * (allowedTimestampFormats, the YYYY- quick check); the text is time.Time.String's layout,
 * "2006-01-02 15:04:05.999999999 -0700 MST".
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
