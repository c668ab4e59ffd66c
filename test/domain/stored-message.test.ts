import { describe, expect, it } from 'vitest';
import { AppError, errorFromPlain, plainError } from '../../src/domain/errors.ts';
import { msg, renderMessage } from '../../src/domain/messages.ts';
import {
  messageFromData,
  readStoredMessage,
  renderStoredMessage,
  storedMessage,
  storedMessageText,
} from '../../src/domain/stored-message.ts';

const sheetMissing = msg('import_file.sheet_not_found', {
  sheet: 'Customers',
  sheets: { en: '"Sheet1", "客户"', 'zh-CN': '“Sheet1”、“客户”' },
});

describe('a message stored as text', () => {
  it('keeps the English text and the catalog message, nested messages included', () => {
    const damaged = msg('import_file.damaged', {
      what: msg('import_file.zip.broken_header', { part: 'xl/a.xml' }),
    });
    for (const message of [sheetMissing, damaged]) {
      const stored = storedMessage(message);
      expect(readStoredMessage(stored)).toEqual({ text: renderMessage(message, 'en'), message });
      expect(renderStoredMessage(stored, 'zh-CN')).toBe(renderMessage(message, 'zh-CN'));
      expect(renderStoredMessage(stored, 'en')).toBe(renderMessage(message, 'en'));
    }
    expect(renderStoredMessage(storedMessage(sheetMissing), 'zh-CN')).toBe(
      '没有名为“Customers”的工作表；这个工作簿中有：“Sheet1”、“客户”',
    );
  });

  it('reads plain text, and anything that is not its JSON, as English text', () => {
    for (const text of ['interrupted: the process stopped', '{"en": broken', '{"en":3}', '{}', '']) {
      expect(readStoredMessage(text)).toEqual({ text, message: null });
      expect(renderStoredMessage(text, 'zh-CN')).toBe(text);
    }
    // A key the catalog does not have (renamed since), or parameters of the wrong shape: the English text.
    for (const message of [
      { key: 'imports.renamed', params: {} },
      { key: 'import_file.sheet_empty', params: { sheet: ['x'] } },
      { key: 'import_file.sheet_empty', params: { sheet: { en: 'x' } } },
      { key: 'import_file.damaged', params: { what: { key: 'nope', params: {} } } },
      { key: 'import_file.sheet_empty' },
    ]) {
      const stored = JSON.stringify({ en: 'The English.', message });
      expect(readStoredMessage(stored)).toEqual({ text: 'The English.', message: null });
      expect(renderStoredMessage(stored, 'zh-CN')).toBe('The English.');
    }
  });

  it('stores plain English without a message, and cuts what is too long', () => {
    expect(storedMessageText('Plain.', null)).toBe('Plain.');
    expect(storedMessageText('x'.repeat(3000), null)).toHaveLength(2000);
    const long = msg('import_file.cannot_read', { reason: 'y'.repeat(5000) });
    const stored = storedMessage(long, 1000);
    expect(stored).toBe(renderMessage(long, 'en').slice(0, 1000));
    expect(readStoredMessage(stored).message).toBeNull();
  });

  it('checks a message from plain data all the way down', () => {
    expect(messageFromData(JSON.parse(JSON.stringify(sheetMissing)))).toEqual(sheetMissing);
    expect(messageFromData(null)).toBeNull();
    expect(messageFromData({ key: 'constructor', params: {} })).toBeNull();
    expect(
      messageFromData({ key: 'import_file.too_many_rows', params: { sheet: 'S', max: Number.NaN } }),
    ).toBeNull();
  });
});

describe('an AppError across a worker thread', () => {
  it('keeps its code, details and catalog message through a structured clone', () => {
    const error = new AppError('bad_request', sheetMissing, {
      problem: 'sheet_not_found',
      sheets: ['Sheet1'],
    });
    const back = errorFromPlain(structuredClone(plainError(error)));
    expect(back).toBeInstanceOf(AppError);
    expect(back).toMatchObject({ code: 'bad_request', message: error.message, details: error.details });
    expect(back.localized).toEqual(sheetMissing);
  });

  it('turns anything else into an internal error with its text', () => {
    const back = errorFromPlain(structuredClone(plainError(new Error('boom'))));
    expect(back).toMatchObject({ code: 'internal', message: 'boom', localized: null });
    expect(errorFromPlain(plainError('text'))).toMatchObject({ code: 'internal', message: 'text' });
    const plain = new AppError('conflict', 'Plain English.');
    expect(errorFromPlain(structuredClone(plainError(plain)))).toMatchObject({
      message: 'Plain English.',
      localized: null,
    });
  });
});
