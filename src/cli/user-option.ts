import { AppError } from '../domain/errors.ts';
import type { CliBackend } from './backend.ts';

/**
 * A person given to an option (`--rep`, `--owner`) as a user id or an email address, as the user's id. An email
 * is looked up among the users the caller may see (`users list`). With `verify`, an id is looked up too on the
 * local database (the system user sees everyone), so a mistyped id is refused naming the option instead of
 * answering an agenda with nothing in it; against a server the id goes as it is, and the server answers for it
 * (404 for someone who does not exist, 403 for another rep's agenda). Not found: `not_found`, naming the option
 * and what it takes.
 */
export async function userIdOf(
  backend: CliBackend,
  flag: string,
  value: string,
  options: { verify: boolean },
): Promise<string> {
  const wanted = value.trim();
  const byEmail = wanted.includes('@');
  if (!byEmail && !(options.verify && backend.kind === 'local')) return wanted;
  const users = await backend.users();
  const user = byEmail
    ? users.find((u) => u.email.toLowerCase() === wanted.toLowerCase())
    : users.find((u) => u.id === wanted);
  if (user) return user.id;
  const seen = backend.kind === 'remote' ? ' among the users you can see' : '';
  throw new AppError(
    'not_found',
    `${flag}: no user has the ${byEmail ? 'email' : 'id'} "${wanted}"${seen}; give a user's id or email (\`tierline users list\` lists them).`,
    { option: flag, value: wanted },
  );
}
