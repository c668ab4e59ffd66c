import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonSyntaxErrorAt } from '../../src/server/json-body.ts';

// A body that is not JSON is refused naming where it stops being JSON (details.position, line, column):
// jsonSyntaxErrorAt must agree with JSON.parse on what is JSON, and on the position wherever V8 says one.

const v8Position = (text: string): number | null | 'parses' => {
  try {
    JSON.parse(text);
    return 'parses';
  } catch (error) {
    const at = /at position (\d+)/.exec((error as Error).message);
    return at ? Number(at[1]) : null;
  }
};

/** A JSON text with one character deleted, replaced or inserted: mostly not JSON any more. */
const nearJson = fc
  .tuple(
    fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value, null, Math.random() < 0.5 ? 0 : 2)),
    fc.nat(),
    fc.constantFrom('delete', 'replace', 'insert'),
    fc.constantFrom(...'{}[]:,"\\ \n\tx0-.eE+tfnu'.split(''), '\u0001'),
  )
  .map(([text, at, how, char]) => {
    const i = text.length === 0 ? 0 : at % text.length;
    if (how === 'delete') return text.slice(0, i) + text.slice(i + 1);
    if (how === 'replace') return text.slice(0, i) + char + text.slice(i + 1);
    return text.slice(0, i) + char + text.slice(i);
  });

describe('jsonSyntaxErrorAt', () => {
  it('finds a fault exactly when JSON.parse refuses the text, at the position V8 names when it names one', () => {
    fc.assert(
      fc.property(nearJson, (text) => {
        const found = jsonSyntaxErrorAt(text);
        const v8 = v8Position(text);
        if (v8 === 'parses') expect(found, text).toBeNull();
        else {
          expect(found, text).not.toBeNull();
          if (v8 !== null) expect(found?.position, text).toBe(v8);
        }
      }),
      { numRuns: 10000 },
    );
  });

  it('counts lines and columns from 1, and puts a body that ends too soon at its end', () => {
    expect(jsonSyntaxErrorAt('{\n  "name": "a",\n  "query": {,}\n}')).toEqual({
      position: 29,
      line: 3,
      column: 13,
    });
    expect(jsonSyntaxErrorAt('{"name": x}')).toEqual({ position: 9, line: 1, column: 10 });
    expect(jsonSyntaxErrorAt('{"a":')).toEqual({ position: 5, line: 1, column: 6 });
    expect(jsonSyntaxErrorAt('[1]]')).toEqual({ position: 3, line: 1, column: 4 });
  });

  it('reads a body nested 20,000 deep without running out of stack', () => {
    expect(jsonSyntaxErrorAt(`${'['.repeat(20_000)}${']'.repeat(20_000)}`)).toBeNull();
    expect(jsonSyntaxErrorAt('['.repeat(20_000))).toEqual({ position: 20_000, line: 1, column: 20_001 });
  });
});
