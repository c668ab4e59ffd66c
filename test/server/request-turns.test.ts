// src/server/turns.ts: requests start one per event-loop turn, in arrival order, so that a busy server still
// accepts new connections (Node accepts one per turn). Checked against the loop's own turns: a marker immediate
// that re-schedules itself logs each turn boundary.
import { describe, expect, it } from 'vitest';
import { RequestTurns } from '../../src/server/turns.ts';

describe('RequestTurns', () => {
  it('lets one waiting request start per event-loop turn, first come first served', async () => {
    const turns = new RequestTurns();
    const log: string[] = [];
    const started = ['a', 'b', 'c'].map((name) => turns.next().then(() => log.push(name)));
    expect(turns.queued).toBe(3);
    let markers = 0;
    const mark = () => {
      log.push('|');
      if (++markers < 4) setImmediate(mark);
    };
    setImmediate(mark);
    await Promise.all(started);
    expect(log.slice(0, 5)).toEqual(['a', '|', 'b', '|', 'c']);
    expect(turns.queued).toBe(0);
  });

  it('takes requests that arrive while others wait after them', async () => {
    const turns = new RequestTurns();
    const log: string[] = [];
    const first = turns.next().then(() => {
      log.push('first');
      // Arrives while "second" waits: goes after it.
      return turns.next().then(() => log.push('third'));
    });
    const second = turns.next().then(() => log.push('second'));
    await Promise.all([first, second]);
    expect(log).toEqual(['first', 'second', 'third']);
  });
});
