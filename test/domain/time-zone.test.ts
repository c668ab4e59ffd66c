import { describe, expect, it } from 'vitest';
import { localDateAt, todayIn, utcOffsetAt } from '../../src/domain/calendar/time-zone.ts';
import { mulberry32 } from '../../src/domain/random.ts';

// todayIn answers from a table of each zone's UTC offsets (worked out with Intl once per span of days); Intl is the
// oracle here, asked for every instant.

const DAY_MS = 86_400_000;

function oracleOf(timeZone: string): (ms: number) => string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    calendar: 'iso8601',
    numberingSystem: 'latn',
  });
  return (ms) => {
    let y = '';
    let m = '';
    let d = '';
    for (const p of parts.formatToParts(ms)) {
      if (p.type === 'year') y = p.value;
      else if (p.type === 'month') m = p.value;
      else if (p.type === 'day') d = p.value;
    }
    return `${y.padStart(4, '0')}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  };
}

/** The zone's offset at `ms` as Intl shows the local time (whole seconds). */
function offsetOf(timeZone: string): (ms: number) => number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    hourCycle: 'h23',
    calendar: 'iso8601',
  });
  return (ms) => {
    const at = Math.floor(ms / 1000) * 1000;
    const f: Record<string, number> = {};
    for (const p of parts.formatToParts(at)) if (p.type !== 'literal') f[p.type] = Number(p.value);
    return (
      Date.UTC(f.year as number, (f.month as number) - 1, f.day as number, f.hour, f.minute, f.second) - at
    );
  };
}

/** The instants (ms) at which the zone's offset changes between `from` and `to`, found with Intl every `step` ms. */
function changesOf(timeZone: string, from: number, to: number, step = DAY_MS): number[] {
  const offset = offsetOf(timeZone);
  const found: number[] = [];
  let before = offset(from);
  for (let t = from + step; t <= to; t += step) {
    const after = offset(t);
    if (after !== before) {
      let lo = t - step;
      let hi = t;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (offset(mid) === before) lo = mid;
        else hi = mid;
      }
      found.push(hi);
    }
    before = after;
  }
  return found;
}

/** `count` instants: most uniform over 1900–2199 (the table's range), some around the zone's changes, some far. */
function instantsFor(timeZone: string, count: number, seed: number): number[] {
  const random = mulberry32(seed);
  const out: number[] = [];
  const changes = changesOf(timeZone, Date.UTC(1980, 0, 1), Date.UTC(2045, 0, 1));
  const lo = Date.UTC(1900, 0, 2);
  const hi = Date.UTC(2200, 0, 1);
  // Each change's last and first milliseconds, and around it (the local date flips at midnight next to many).
  for (const t of changes) out.push(t - 1, t, t + 999, t + 1000, t - 1001);
  while (out.length < count) {
    const u = random();
    if (u < 0.55) out.push(lo + Math.floor(random() * (hi - lo)));
    else if (u < 0.75 && changes.length > 0) {
      const t = changes[Math.floor(random() * changes.length)] as number;
      out.push(t + Math.floor((random() * 2 - 1) * DAY_MS));
    } else if (u < 0.95) out.push(Date.UTC(2020, 0, 1) + Math.floor(random() * 20 * 365 * DAY_MS));
    else {
      // Far past and future: years 1000–1899 and 2200–9999.
      const early = random() < 0.5;
      const a = early ? Date.UTC(1000, 0, 1) : hi;
      const b = early ? lo : Date.UTC(9999, 11, 31);
      out.push(a + Math.floor(random() * (b - a)));
    }
  }
  return out.slice(0, count);
}

describe('todayIn against Intl', () => {
  // New York and Berlin (DST), Lord Howe (30-minute DST), Kathmandu (+5:45, +5:30 before 1986), Chatham (+12:45 and
  // DST), Casablanca (DST suspended in Ramadan), Santiago (changes at local midnight); every other zone below.
  const zones = [
    'America/New_York',
    'Europe/Berlin',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'Pacific/Chatham',
    'Africa/Casablanca',
    'America/Santiago',
  ];
  for (const [i, zone] of zones.entries()) {
    it(`agrees at 20,000 seeded random instants in ${zone}, each change of 1980–2044 to the millisecond`, () => {
      const oracle = oracleOf(zone);
      const offset = offsetOf(zone);
      const wrong: string[] = [];
      for (const ms of instantsFor(zone, 20_000, 20261128 + i)) {
        const expected = oracle(ms);
        const got = todayIn(zone, new Date(ms));
        // The table's offset too: a change misplaced away from local midnight leaves most dates right.
        if (utcOffsetAt(zone, ms) !== offset(ms) && wrong.length < 10)
          wrong.push(`${new Date(ms).toISOString()}: offset ${utcOffsetAt(zone, ms)}, Intl ${offset(ms)}`);
        if (got !== expected && wrong.length < 10)
          wrong.push(`${new Date(ms).toISOString()}: ${got}, Intl ${expected}`);
      }
      expect(wrong).toEqual([]);
    });
  }

  it('agrees in every zone Intl knows, around now and each of their changes in 2026', () => {
    const random = mulberry32(7);
    const wrong: string[] = [];
    const from = Date.UTC(2026, 0, 1);
    const to = Date.UTC(2027, 0, 1);
    for (const zone of ['UTC', 'Etc/GMT+12', 'Etc/GMT-14', ...Intl.supportedValuesOf('timeZone')]) {
      const oracle = oracleOf(zone);
      const offset = offsetOf(zone);
      const instants: number[] = [];
      for (const t of changesOf(zone, from, to, DAY_MS)) instants.push(t - 1, t, t + 1000);
      for (let k = 0; k < 100; k++) instants.push(from + Math.floor(random() * (to - from)));
      for (const ms of instants) {
        const expected = oracle(ms);
        const got = localDateAt(zone, ms);
        if (utcOffsetAt(zone, ms) !== offset(ms) && wrong.length < 10)
          wrong.push(
            `${zone} ${new Date(ms).toISOString()}: offset ${utcOffsetAt(zone, ms)}, Intl ${offset(ms)}`,
          );
        if (got !== expected && wrong.length < 10)
          wrong.push(`${zone} ${new Date(ms).toISOString()}: ${got}, Intl ${expected}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('takes an instant in ms as todayIn takes a Date, and throws for an invalid one', () => {
    expect(localDateAt('Asia/Kathmandu', Date.parse('2025-12-31T18:15:00Z'))).toBe('2026-01-01');
    expect(localDateAt('Asia/Kathmandu', Date.parse('2025-12-31T18:14:59.999Z'))).toBe('2025-12-31');
    expect(() => localDateAt('Asia/Shanghai', Date.parse('not a date'))).toThrow(RangeError);
  });
});
