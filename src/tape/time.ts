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
  // Two digits at a time, each field at its fixed place: about a quarter cheaper than a loop over a count of digits.
  const century = twoDigits(s, 0);
  const yearOfCentury = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  let ms = 0;
  if (n > 20) {
    if (s.charCodeAt(19) !== DOT) return NaN;
    ms = fraction(s, n);
    if (ms < 0) return NaN;
  }
  // twoDigits() is -1 when a character is not a digit, so each check below also refuses those.
  if (century < 0 || yearOfCentury < 0) return NaN;
  const year = century * 100 + yearOfCentury;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
  const days = daysOf(year, month, day);
  return Number.isNaN(days) ? NaN : days * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}

/** The last day read and its days from the epoch: a tape's lines mostly share their day. */
let lastDate = -1;
let lastDays = 0;

/** Days from the epoch to a real day of the calendar, or NaN (month and day as read: -1 for no digits). */
function daysOf(year: number, month: number, day: number): number {
  const date = (year * 100 + month) * 100 + day;
  if (date === lastDate) return lastDays;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  lastDate = date;
  lastDays = daysFromEpoch(year, month, day);
  return lastDays;
}

/** The milliseconds of the fraction s[20, n - 1): digits past the third dropped; -1 when one is not a digit. */
function fraction(s: string, n: number): number {
  let ms = 0;
  for (let i = 20, scale = 100; i < n - 1; i++, scale /= 10) {
    const d = s.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    if (i < 23) ms += d * scale;
  }
  return ms;
}

/** The number s[at, at + 2) writes in ASCII digits, or -1 when either is not a digit. */
function twoDigits(s: string, at: number): number {
  const tens = s.charCodeAt(at) - ZERO;
  const ones = s.charCodeAt(at + 1) - ZERO;
  return tens < 0 || tens > 9 || ones < 0 || ones > 9 ? -1 : tens * 10 + ones;
}

/** Days in a month of the proleptic Gregorian calendar (month 1 to 12). */
export function daysInMonth(year: number, month: number): number {
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
