import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, passwordProblem, verifyPassword } from '../../src/services/passwords.ts';

describe('password hashing', () => {
  it('hashes with scrypt, a salt per password and the parameters in the string', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse battery', b)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(needsRehash(a)).toBe(false);
  });

  it('treats Unicode the same however it was typed (NFC)', async () => {
    const hash = await hashPassword('mot de passe \u00e9t\u00e9');
    expect(await verifyPassword('mot de passe e\u0301te\u0301', hash)).toBe(true);
  });

  it('refuses malformed or hostile hashes and asks to rehash weak ones', async () => {
    expect(await verifyPassword('anything at all', 'plaintext')).toBe(false);
    expect(
      await verifyPassword(
        'anything at all',
        '$scrypt$ln=30,r=8,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5',
      ),
    ).toBe(false);
    expect(
      needsRehash('$scrypt$ln=10,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V'),
    ).toBe(true);
    expect(needsRehash('nonsense')).toBe(true);
  });

  it('needs at least 10 characters, counted as characters', () => {
    expect(passwordProblem('short')).toMatch(/at least 10/);
    expect(passwordProblem('123456789')).toMatch(/it has 9/);
    expect(passwordProblem('1234567890')).toBeNull();
    expect(passwordProblem('密码密码密码密码密码')).toBeNull();
    expect(passwordProblem('😀😀😀😀😀')).toMatch(/it has 5/);
  });
});
