import { describe, expect, it } from 'vitest';
import { HOME_PATH, homePathFor, homeTarget } from '../../web/src/navigation.ts';

describe('where / leads', () => {
  it('keeps a day asked for: Today opens on it (its own ?date=), whoever is signed in', () => {
    expect(homeTarget('rep', '?date=2026-10-05')).toBe('/today?date=2026-10-05');
    expect(homeTarget('manager', '?date=2026-10-05')).toBe('/today?date=2026-10-05');
    expect(homeTarget('admin', 'date=2026-10-05&x=1')).toBe('/today?date=2026-10-05&x=1');
  });

  it("goes to the role's home page, with any other query as it was", () => {
    expect(homeTarget('rep', '')).toBe(HOME_PATH);
    expect(homeTarget('manager', '')).toBe(homePathFor('manager'));
    expect(homeTarget('admin', '?weeks=8')).toBe('/dashboard?weeks=8');
    expect(homeTarget(undefined, '?')).toBe(HOME_PATH);
  });
});
