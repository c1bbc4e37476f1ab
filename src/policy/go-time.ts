/**
 * YAML timestamps as Intercept reads them. Go's yaml.v3 (v3.0.1, resolve.go) takes an untagged
 * plain scalar that starts with four digits and a dash as a time when Go's time.Parse accepts
 * it in one of four layouts, and a time is what lands in a condition's `value: any`. Intercept
 * compares it by its `%v` text (time.Time.String), which no JSON argument equals: a policy
 * with `value: 2026-01-31` never matches the argument "2026-01-31".
 */
import { GoTime } from "./gofmt.js";
import { daysInMonth } from "../tape/time.js";

/** yaml.v3's allowedTimestampFormats, in its order: T, t or spaces between date and time, then the date alone. */
const LAYOUTS: readonly { separator: string | undefined; zone: boolean }[] = [
  { separator: "T", zone: true },
  { separator: "t", zone: true },
  { separator: " ", zone: false },
  { separator: undefined, zone: false },
];

interface Parsed {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** The fraction's digits as written, at most nine (time.Parse reads no more). */
  fraction: string;
  /** Seconds east of UTC; undefined for UTC. */
  offset: number | undefined;
}

/** The time yaml.v3 reads `text` as, or undefined when it reads it some other way. */
export function goTimestamp(text: string): GoTime | undefined {
  // yaml.v3's quick check: exactly four digits, then a dash.
  if (!/^[0-9]{4}-/.test(text)) return undefined;
  for (const layout of LAYOUTS) {
    const t = parseLayout(text, layout.separator, layout.zone);
    if (t) return new GoTime(text, goTimeString(t));
  }
  return undefined;
}

/**
 * time.Parse of "2006-1-2" followed, with a separator, by "15:4:5.999999999" and, with `zone`,
 * "Z07:00". Month, day, hour, minute and second take one or two digits; a space in the layout
 * takes one or more; the whole text must be used.
 */
function parseLayout(s: string, separator: string | undefined, zone: boolean): Parsed | undefined {
  let i = 0;
  const num = (): number | undefined => {
    if (!isDigit(s, i)) return undefined;
    const two = isDigit(s, i + 1);
    const n = two ? Number(s.slice(i, i + 2)) : Number(s[i]);
    i += two ? 2 : 1;
    return n;
  };
  const literal = (c: string): boolean => {
    if (s[i] !== c) return false;
    i++;
    if (c === " ") while (s[i] === " ") i++;
    return true;
  };
  const year = Number(s.slice(0, 4));
  i = 4;
  if (!literal("-")) return undefined;
  const month = num();
  if (month === undefined || month < 1 || month > 12 || !literal("-")) return undefined;
  const day = num();
  if (day === undefined) return undefined;
  const t: Parsed = { year, month, day, hour: 0, minute: 0, second: 0, fraction: "", offset: undefined };
  if (separator !== undefined) {
    if (!literal(separator)) return undefined;
    const hour = num();
    if (hour === undefined || hour > 23 || !literal(":")) return undefined;
    const minute = num();
    if (minute === undefined || minute > 59 || !literal(":")) return undefined;
    const second = num();
    if (second === undefined || second > 59) return undefined;
    Object.assign(t, { hour, minute, second });
    // ".999999999": a period or comma and up to nine digits, or nothing.
    if ((s[i] === "." || s[i] === ",") && isDigit(s, i + 1)) {
      let n = 0;
      while (n < 9 && isDigit(s, i + 1 + n)) n++;
      t.fraction = s.slice(i + 1, i + 1 + n);
      i += 1 + n;
    }
    if (zone) {
      if (s[i] === "Z") i++;
      else {
        // ±hh:mm, two digits each; Go allows up to 24 hours and 60 minutes.
        const m = /^([+-])([0-9]{2}):([0-9]{2})/.exec(s.slice(i));
        if (!m || Number(m[2]) > 24 || Number(m[3]) > 60) return undefined;
        t.offset = (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60;
        i += 6;
      }
    }
  }
  if (i !== s.length || day < 1 || day > daysInMonth(year, month)) return undefined;
  return t;
}

/**
 * Go's time.Time.String: "2006-01-02 15:04:05.999999999 -0700 MST". A zone offset of zero is
 * taken as the gateway host's local zone, UTC (Go names the zone it finds in effect there); any
 * other offset is a zone without a name, which Go prints as the offset again.
 */
function goTimeString(t: Parsed): string {
  const two = (n: number) => String(n).padStart(2, "0");
  const fraction = t.fraction.replace(/0+$/, "");
  const offset = t.offset ?? 0;
  const minutes = Math.abs(offset) / 60;
  const numeric = `${offset < 0 ? "-" : "+"}${two(Math.floor(minutes / 60))}${two(minutes % 60)}`;
  const zoneName = offset === 0 ? "UTC" : numeric;
  return `${String(t.year).padStart(4, "0")}-${two(t.month)}-${two(t.day)} ${two(t.hour)}:${two(t.minute)}:${two(t.second)}${fraction ? "." + fraction : ""} ${numeric} ${zoneName}`;
}

function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 0x30 && c <= 0x39;
}
