import type { FastifyInstance } from 'fastify';
import { AppError } from '../domain/errors.ts';
import { msg } from '../domain/messages.ts';

/**
 * Request bodies are JSON (uploads: multipart/form-data, on their own route). Fastify also reads `text/plain` as
 * a string by default, which every JSON route then refused as "expected object, received string" (400); without
 * that parser a text/plain body answers 415 like any other Content-Type a route does not read. A body that is
 * not JSON answers 400 saying where it stops being JSON (`details`: `position`, `line`, `column`), which
 * Fastify's own parser does not tell; the parsing itself (prototype-poisoning keys refused) stays Fastify's.
 */
export function installJsonBodies(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    parse(request, body as string, (error: (Error & { code?: string }) | null, value?: unknown) => {
      if (error?.code !== 'FST_ERR_CTP_INVALID_JSON_BODY') return done(error, value);
      const at = jsonSyntaxErrorAt(body as string);
      if (at === null)
        // JSON.parse reads it: refused for a `__proto__` or `constructor.prototype` key.
        return done(
          new AppError('bad_request', msg('request.forbidden_json_key'), { reason: 'forbidden_key' }),
        );
      done(
        new AppError('bad_request', msg('request.invalid_json_at', { line: at.line, column: at.column }), at),
      );
    }),
  );
}

export interface JsonPosition {
  /** Characters (UTF-16 code units) before the first one that cannot be there, from 0. */
  position: number;
  /** Its line and column, from 1. */
  line: number;
  column: number;
}

const HEX = /^[0-9a-fA-F]$/;
const ESCAPED = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/**
 * Where a text stops being JSON (the first character that cannot be there, or the end when it ends too soon), or
 * null when it is JSON. JSON.parse's messages do not always say (Node 20: "Unexpected token 'x', … is not valid
 * JSON"). Iterative, so a body nested 20,000 deep is read without recursion; a leading byte-order mark is
 * skipped, as the parser skips it.
 */
export function jsonSyntaxErrorAt(text: string): JsonPosition | null {
  const failAt = (position: number): JsonPosition => {
    const before = text.slice(0, position);
    const lastBreak = before.lastIndexOf('\n');
    return {
      position,
      line: before.split('\n').length,
      column: position - lastBreak,
    };
  };
  const n = text.length;
  const stack: string[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  type Expect = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'commaOrClose' | 'end';
  let expect: Expect = 'value';
  const afterValue = (): Expect => (stack.length === 0 ? 'end' : 'commaOrClose');
  /** The end of the string starting at i (a `"`), or -1 - the position of the first character that breaks it. */
  const stringEnd = (start: number): number => {
    let j = start + 1;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 0x22) return j + 1;
      if (c < 0x20) return -1 - j;
      if (c !== 0x5c) {
        j += 1;
        continue;
      }
      const escaped = text[j + 1];
      if (escaped === undefined) return -1 - n;
      if (ESCAPED.has(escaped)) j += 2;
      else if (escaped === 'u') {
        for (let k = j + 2; k < j + 6; k++) if (!HEX.test(text[k] ?? '')) return -1 - Math.min(k, n);
        j += 6;
      } else return -1 - (j + 1);
    }
    return -1 - n;
  };
  /** The end of the number, string or literal starting at i, or -1 - the position of the fault. */
  const scalarEnd = (start: number): number => {
    const c = text[start];
    if (c === '"') return stringEnd(start);
    for (const literal of ['true', 'false', 'null'])
      if (c === literal[0]) {
        for (let k = 1; k < literal.length; k++) if (text[start + k] !== literal[k]) return -1 - (start + k);
        return start + literal.length;
      }
    return numberEnd(start);
  };
  const isDigit = (at: number) => {
    const d = text.charCodeAt(at);
    return d >= 0x30 && d <= 0x39;
  };
  /** A number's end, or -1 - the position of the first character that cannot continue it (as V8 says). */
  const numberEnd = (start: number): number => {
    let j = start;
    if (text[j] === '-') j += 1;
    if (text[j] === '0') j += 1;
    else if (isDigit(j)) while (isDigit(j)) j += 1;
    else return -1 - j;
    if (text[j] === '.') {
      j += 1;
      if (!isDigit(j)) return -1 - j;
      while (isDigit(j)) j += 1;
    }
    if (text[j] === 'e' || text[j] === 'E') {
      j += 1;
      if (text[j] === '+' || text[j] === '-') j += 1;
      if (!isDigit(j)) return -1 - j;
      while (isDigit(j)) j += 1;
    }
    return j;
  };
  for (;;) {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      i += 1;
    }
    if (expect === 'end') return i < n ? failAt(i) : null;
    if (i >= n) return failAt(n);
    const c = text[i];
    if (expect === 'colon') {
      if (c !== ':') return failAt(i);
      i += 1;
      expect = 'value';
    } else if (expect === 'commaOrClose') {
      const open = stack[stack.length - 1];
      if (c === ',') {
        i += 1;
        expect = open === '{' ? 'key' : 'value';
      } else if ((open === '{' && c === '}') || (open === '[' && c === ']')) {
        stack.pop();
        i += 1;
        expect = afterValue();
      } else return failAt(i);
    } else if (expect === 'key' || expect === 'keyOrClose') {
      if (expect === 'keyOrClose' && c === '}') {
        stack.pop();
        i += 1;
        expect = afterValue();
      } else {
        if (c !== '"') return failAt(i);
        const end = stringEnd(i);
        if (end < 0) return failAt(-1 - end);
        i = end;
        expect = 'colon';
      }
    } else if (expect === 'valueOrClose' && c === ']') {
      stack.pop();
      i += 1;
      expect = afterValue();
    } else if (c === '{' || c === '[') {
      stack.push(c);
      i += 1;
      expect = c === '{' ? 'keyOrClose' : 'valueOrClose';
    } else {
      const end = scalarEnd(i);
      if (end < 0) return failAt(-1 - end);
      i = end;
      expect = afterValue();
    }
  }
}
