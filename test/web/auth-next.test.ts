import { describe, expect, it } from 'vitest';
import { safeNext } from '../../web/src/features/auth/next-path.ts';

describe('where sign-in returns to', () => {
  it('returns to the page that was asked for', () => {
    expect(safeNext('/accounts?tier=A')).toBe('/accounts?tier=A');
    expect(safeNext('/plan')).toBe('/plan');
  });

  it('never leaves the site or loops back to sign-in', () => {
    for (const next of [
      null,
      '',
      'https://evil.example',
      '//evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
    ]) {
      expect(safeNext(next)).toBe('/');
    }
    expect(safeNext('/sign-in')).toBe('/');
    expect(safeNext('/sign-in?next=/x')).toBe('/');
  });
});
