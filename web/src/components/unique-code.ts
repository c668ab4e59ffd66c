/**
 * The code filled in for a manager who adds something the product names by a code (lowercase letters, digits and
 * single dashes, at most 64 characters): an objection (NewObjectionModal) or a skill (AddSkillModal). From the
 * English name when there is one, numbered after the prefix (objection-8, skill-3) when there is none, as for one
 * written only in Chinese. Either way not one already `taken`; the manager may still write another, and the
 * server refuses a clash.
 */

const MAX_LENGTH = 64;

/** A code from English words (`Price too high` → `price-too-high`, `Café` → `cafe`); empty when there are none. */
export function suggestCode(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_LENGTH)
    .replace(/-+$/, '');
}

/** `base`, or `base-2`, `base-3`… when taken, still within 64 characters. */
function freeCode(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const code = `${base.slice(0, MAX_LENGTH - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken.has(code)) return code;
  }
}

/**
 * The code to offer: from `english` when that has letters or digits, otherwise `<prefix>-N` counting on from the
 * codes there are (objection-8 when the playbook has 7), never one of `taken`.
 */
export function uniqueCode(english: string, taken: ReadonlySet<string>, prefix: string): string {
  const fromEnglish = suggestCode(english);
  if (fromEnglish) return freeCode(fromEnglish, taken);
  for (let n = taken.size + 1; ; n++) if (!taken.has(`${prefix}-${n}`)) return `${prefix}-${n}`;
}
