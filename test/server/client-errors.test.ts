import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';

/** Sends raw bytes (as curl does with `?q=价格`: it never percent-encodes) and reads the answer to the end. */
function rawRequest(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(Buffer.from(head, 'utf8')));
    let text = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

// README, HTTP API: errors are always { "error": { "code", "message", "details" } } — also for a request Node's
// HTTP parser refuses before any route sees it (Fastify's default answered {"error":"Bad Request","message":"Client
// Error"}).
describe('requests the HTTP parser refuses', () => {
  let tdb: TestDatabase;
  let app: AppInstance;
  let port: number;

  beforeAll(async () => {
    tdb = await (DIALECTS[0] as (typeof DIALECTS)[number]).open();
    app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    port = address.port;
  });
  afterAll(async () => {
    await app.close();
    await tdb.cleanup();
  });

  it('answers a URL with unencoded Chinese in the API error shape, saying to encode it', async () => {
    const answer = await rawRequest(
      port,
      'GET /api/objections/search?q=价格太高 HTTP/1.1\r\nHost: x\r\n\r\n',
    );
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    expect(head.toLowerCase()).toContain('content-type: application/json');
    const error = JSON.parse(body).error;
    expect(error.code).toBe('bad_request');
    expect(error.message).toContain('percent-encoded');
    expect(error.details).toEqual({ reason: 'HPE_INVALID_URL' });
  });

  it('answers other unreadable requests in the same shape', async () => {
    const answer = await rawRequest(port, 'NOT AN HTTP REQUEST\r\n\r\n');
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(body)).toEqual({
      error: {
        code: 'bad_request',
        message: 'The server could not read this HTTP request.',
        // What Node's parser said (the details every error carries).
        details: { reason: expect.stringMatching(/^HPE_/) },
      },
    });
  });

  it('still serves the same query percent-encoded', async () => {
    const answer = await rawRequest(
      port,
      `GET /api/objections/search?q=${encodeURIComponent('价格太高')} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    // Not signed in: the route answers (401), so the request got past the parser.
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
  });
});
