// Pressing Esc in the log form's date picker closed the whole form and lost the note typed: a form closed with
// typed text now keeps it as a draft for that user and account, until a log is sent.
import { describe, expect, it } from 'vitest';
import {
  dropLogDraft,
  keepLogDraft,
  logDraftKey,
  readLogDraft,
} from '../../web/src/features/touches/log-draft.ts';

describe("the log form's draft", () => {
  it('comes back for the same user and account, and for nobody else', () => {
    const key = logDraftKey('user-1', 'account-1');
    keepLogDraft(key, { note: '客户想看同行案例', nextStep: '' });
    expect(readLogDraft(logDraftKey('user-1', 'account-1'))).toEqual({
      note: '客户想看同行案例',
      nextStep: '',
    });
    expect(readLogDraft(logDraftKey('user-2', 'account-1'))).toBeUndefined();
    expect(readLogDraft(logDraftKey('user-1', 'account-2'))).toBeUndefined();
    dropLogDraft(key);
  });

  it('follows the text as it is typed, and is gone once the text is emptied or the log sent', () => {
    const key = logDraftKey('user-1', 'account-3');
    keepLogDraft(key, { note: 'a', nextStep: '' });
    keepLogDraft(key, { note: 'ab', nextStep: 'call back' });
    expect(readLogDraft(key)).toEqual({ note: 'ab', nextStep: 'call back' });
    keepLogDraft(key, { note: '  ', nextStep: '' });
    expect(readLogDraft(key)).toBeUndefined();
    keepLogDraft(key, { note: 'again', nextStep: '' });
    dropLogDraft(key);
    expect(readLogDraft(key)).toBeUndefined();
  });
});
