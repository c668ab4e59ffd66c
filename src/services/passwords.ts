import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { AppError } from '../domain/errors.ts';
import { type Message, msg, renderMessage } from '../domain/messages.ts';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 1024;

// scrypt with N = 2^15, r = 8, p = 1 (OWASP's 2024 floor is N = 2^17 with p = 1 or 2^15 with more passes;
// 2^15 keeps a sign-in near 60 ms on a small server). The parameters live in the hash string, so raising
// them later only needs `needsRehash` to upgrade each hash at the user's next sign-in.
const CURRENT = { ln: 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
// Bounds for parameters read back from a stored hash, so a corrupt row cannot make the server spin.
const MAX_LN = 20;
const MAX_R = 16;
const MAX_P = 4;

interface Params {
  ln: number;
  r: number;
  p: number;
}

function derive(password: string, salt: Buffer, params: Params, length = KEY_LENGTH): Promise<Buffer> {
  const N = 2 ** params.ln;
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 256 * N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    // Asynchronous: runs on libuv's thread pool, so a sign-in never blocks other requests.
    scrypt(password.normalize('NFC'), salt, length, options, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

function passwordProblemMessage(password: string): Message | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH)
    return msg('auth.password_too_short', { min: MIN_PASSWORD_LENGTH, length });
  if (length > MAX_PASSWORD_LENGTH) return msg('auth.password_too_long', { max: MAX_PASSWORD_LENGTH });
  return null;
}

/** Why a password is not acceptable (in English), or null when it is. Length counts characters, not bytes. */
export function passwordProblem(password: string): string | null {
  const problem = passwordProblemMessage(password);
  return problem && renderMessage(problem, 'en');
}

export function assertPasswordAcceptable(password: string): void {
  const problem = passwordProblemMessage(password);
  if (problem) throw new AppError('validation_failed', problem, { field: 'password' });
}

/** `$scrypt$ln=15,r=8,p=1$<salt>$<key>` (base64 without padding): PHC string format, salt per password. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, CURRENT);
  return `$scrypt$ln=${CURRENT.ln},r=${CURRENT.r},p=${CURRENT.p}$${b64(salt)}$${b64(key)}`;
}

function parse(hash: string): { params: Params; salt: Buffer; key: Buffer } | null {
  const match = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(hash);
  if (!match) return null;
  const params = { ln: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  if (params.ln < 1 || params.ln > MAX_LN || params.r < 1 || params.r > MAX_R || params.p < 1) return null;
  if (params.p > MAX_P) return null;
  const salt = Buffer.from(match[4] ?? '', 'base64');
  const key = Buffer.from(match[5] ?? '', 'base64');
  if (salt.length < 8 || key.length < 16) return null;
  return { params, salt, key };
}

/** Constant-time check of a password against a stored hash; false for a malformed hash. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const parsed = parse(hash);
  if (!parsed || [...password].length > MAX_PASSWORD_LENGTH) {
    // Spend the same time as a real check, so a missing or broken hash cannot be told apart by timing.
    await derive(password.slice(0, MAX_PASSWORD_LENGTH), DUMMY_SALT, CURRENT);
    return false;
  }
  const key = await derive(password, parsed.salt, parsed.params, parsed.key.length);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** Burns the time of one verification; used when the email is unknown so timing does not reveal it. */
export async function spendVerificationTime(password: string): Promise<void> {
  await derive(password.slice(0, MAX_PASSWORD_LENGTH), DUMMY_SALT, CURRENT);
}

/** True when the hash was made with weaker parameters than today's and should be replaced. */
export function needsRehash(hash: string): boolean {
  const parsed = parse(hash);
  if (!parsed) return true;
  return parsed.params.ln < CURRENT.ln || parsed.params.r < CURRENT.r || parsed.key.length < KEY_LENGTH;
}

const DUMMY_SALT = randomBytes(SALT_LENGTH);

function b64(buffer: Buffer): string {
  return buffer.toString('base64').replace(/=+$/, '');
}
