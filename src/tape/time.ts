/**
 * Tape times: ISO-8601 UTC, `2026-11-21T23:40:23.123Z` (spec/tape.md), read by hand. The reader
 * reads one on every line of tapes with millions of lines, and a regex test and Date.parse
 * cost more than the digits do. The answer is Date.parse's, on the times the format allows.
 */

const ZERO = 0x30;
const DASH = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;
const T = 0x54;
const Z = 0x5a;
const MS_PER_DAY = 86_400_000;

/**
 * Milliseconds since the epoch of tape time `s`, or NaN when `s` is not one: not the format
 * `YYYY-MM-DDTHH:MM:SS` with an optional `.` and 1 to 9 digits and then `Z`, or no real moment.
 * Month 13 or second 60 are no time, and neither is February 30 or hour 24 (Date.parse would
 * roll those over to another day than the tape says). Digits past the third of a fraction are
 * dropped, as Date.parse drops them.
 */
export function tapeTimeMs(s: string): number {
  const n = s.length;
  // 20: no fraction; 22 to 30: a dot and 1 to 9 digits.
  if (n < 20 || n === 21 || n > 30 || s.charCodeAt(n - 1) !== Z) return NaN;
  if (s.charCodeAt(4) !== DASH || s.charCodeAt(7) !== DASH || s.charCodeAt(10) !== T || s.charCodeAt(13) !== COLON || s.charCodeAt(16) !== COLON) return NaN;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  let ms = 0;
  if (n > 20) {
    if (s.charCodeAt(19) !== DOT || digits(s, 20, n - 21) < 0) return NaN;
    ms = digits(s, 20, Math.min(3, n - 21)) * (n === 22 ? 100 : n === 23 ? 10 : 1);
  }
  // digits() is -1 when a character is not a digit, so each check below also refuses those.
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
  return daysFromEpoch(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}

/** The number in s[from, from + count) written in ASCII digits, or -1 when one is not a digit. */
function digits(s: string, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days from 1970-01-01 to the given day of the proleptic Gregorian calendar (years 0 to 9999). */
function daysFromEpoch(year: number, month: number, day: number): number {
  // Counted from March, so the leap day is the last day of the year.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
