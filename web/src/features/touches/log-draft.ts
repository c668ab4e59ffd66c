/**
 * What was typed into the log form and not saved yet (the note and the next step), per signed-in user and
 * account: closing the form any way (Esc, the close button, Cancel, a click beside it) keeps it, the form opened
 * again for that account starts from it, and a log sent (or kept to send) drops it. In memory only, for the life
 * of the page: a draft is not worth a prompt, and not worth storing on a shared computer either.
 */
export interface LogDraft {
  note: string;
  nextStep: string;
}

const drafts = new Map<string, LogDraft>();

/** Whose draft for which account: another user signed in on the same page never gets it. */
export function logDraftKey(userId: string | undefined, accountId: string): string {
  return `${userId ?? ''}\u0000${accountId}`;
}

/** The draft kept for `key`, if any. */
export function readLogDraft(key: string): LogDraft | undefined {
  return drafts.get(key);
}

/** Keeps what the form holds now; a form with nothing typed (only spaces) keeps nothing. */
export function keepLogDraft(key: string, draft: LogDraft): void {
  if (draft.note.trim() === '' && draft.nextStep.trim() === '') drafts.delete(key);
  else drafts.set(key, { note: draft.note, nextStep: draft.nextStep });
}

/** The log was sent: its draft is gone. */
export function dropLogDraft(key: string): void {
  drafts.delete(key);
}
