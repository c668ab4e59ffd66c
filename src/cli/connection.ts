import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { resolveDatabaseUrl } from '../storage/database.ts';
import { info, UsageError } from './output.ts';

/**
 * Where a command works: on a local database (opened directly, as the `system` actor) or against a remote
 * Tierline server over its HTTP API (as the user an API token belongs to; the server enforces their scope).
 */
export type Connection =
  | { kind: 'local'; databaseUrl: string }
  | { kind: 'remote'; server: URL; token: string };

interface GlobalOptions {
  db?: string;
  server?: string;
  token?: string;
  tokenFile?: string;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** `tierline accounts list` → "accounts list" (for messages). */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function parseServer(value: string, from: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${from}: "${value}" is not a URL; give the server as http(s)://host[:port].`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${from}: the server URL must start with http:// or https://.`);
  }
  if (url.username || url.password) {
    throw new UsageError(`${from}: put no user name or password in the URL; use an API token.`);
  }
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url;
}

/** The token from a file: its first line, trimmed (the file may end with a newline). Never echoed. */
function readTokenFile(path: string, from: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${from} ${path}: cannot read it (${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}).`,
    );
  }
  const token = (text.split(/\r?\n/, 1)[0] ?? '').trim();
  if (!token)
    throw new UsageError(`${from} ${path}: the file is empty; put the API token on its first line.`);
  return token;
}

function checkToken(token: string, from: string): string {
  // Only what an HTTP header can carry is checked here; the server decides whether the token is valid. The
  // message never repeats the token: it may be a real secret with a typo.
  if (!/^[\x21-\x7e]{1,512}$/.test(token)) {
    throw new UsageError(
      `${from}: the API token must be one word of printable ASCII characters (Tierline tokens look like tl_…).`,
    );
  }
  return token;
}

/**
 * Resolves the global options and environment into a connection:
 * - `--server <url>` (else $TIERLINE_SERVER, unless `--db` is given) selects the remote back end;
 * - the token comes from `--token-file`, `--token`, $TIERLINE_TOKEN_FILE or $TIERLINE_TOKEN, in that order;
 * - otherwise `--db`, $DATABASE_URL or ./data/tierline.db is opened locally.
 */
export function connectionOf(command: Command, env: NodeJS.ProcessEnv = process.env): Connection {
  const opts = command.optsWithGlobals<GlobalOptions>();
  if (opts.server !== undefined && opts.db !== undefined) {
    throw new UsageError('give either --server (a remote server) or --db (a local database), not both.');
  }
  const serverValue = opts.server ?? (opts.db === undefined ? env.TIERLINE_SERVER || undefined : undefined);
  if (serverValue === undefined) {
    if (opts.token !== undefined || opts.tokenFile !== undefined) {
      throw new UsageError(
        '--token and --token-file are for a remote server: add --server <url> (or set TIERLINE_SERVER).',
      );
    }
    return { kind: 'local', databaseUrl: resolveDatabaseUrl(opts.db) };
  }
  const from = opts.server !== undefined ? '--server' : 'TIERLINE_SERVER';
  const server = parseServer(serverValue, from);
  if (opts.token !== undefined && opts.tokenFile !== undefined) {
    throw new UsageError('give either --token or --token-file, not both.');
  }
  let token: string;
  if (opts.tokenFile !== undefined)
    token = checkToken(readTokenFile(opts.tokenFile, '--token-file'), '--token-file');
  else if (opts.token !== undefined) token = checkToken(opts.token.trim(), '--token');
  else if (env.TIERLINE_TOKEN_FILE)
    token = checkToken(readTokenFile(env.TIERLINE_TOKEN_FILE, 'TIERLINE_TOKEN_FILE'), 'TIERLINE_TOKEN_FILE');
  else if (env.TIERLINE_TOKEN) token = checkToken(env.TIERLINE_TOKEN.trim(), 'TIERLINE_TOKEN');
  else {
    throw new UsageError(
      `${from} needs an API token: set TIERLINE_TOKEN (or TIERLINE_TOKEN_FILE), or pass --token-file <file>.`,
    );
  }
  if (server.protocol === 'http:' && !LOOPBACK.test(server.hostname)) {
    info(
      `tierline: warning: ${server.host} is reached over plain http, so the API token travels unencrypted; use https.`,
    );
  }
  return { kind: 'remote', server, token };
}

/** For commands that open the database themselves: refuses a remote server with exit code 2. */
export function requireLocal(command: Command): string {
  const connection = connectionOf(command);
  if (connection.kind === 'remote') {
    throw new UsageError(
      `\`tierline ${commandPath(command)}\` works only on a local database (it opens the database itself), not against a server. Drop --server (or unset TIERLINE_SERVER, or pass --db); against a server, use the web app or the HTTP API for this.`,
    );
  }
  return connection.databaseUrl;
}
