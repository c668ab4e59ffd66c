import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiRequest, requestLanguage, setRequestLanguage } from '../../web/src/api/client.ts';

// The web client asks the API for messages in the UI language (src/server/locale.ts reads Accept-Language).
describe('the language API requests ask for', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setRequestLanguage(null);
  });

  function recordingFetch(seen: Headers[]) {
    return vi.fn(async (_url: string, init?: RequestInit) => {
      seen.push(new Headers(init?.headers));
      return new Response(
        JSON.stringify({ error: { code: 'not_found', message: '客户 a1 不存在（或你无权查看）。' } }),
        {
          status: 404,
        },
      );
    });
  }

  it('sends the UI language as Accept-Language, and none before the language is known', async () => {
    const seen: Headers[] = [];
    vi.stubGlobal('fetch', recordingFetch(seen));
    await expect(apiRequest('/accounts/a1')).rejects.toBeInstanceOf(ApiError);
    expect(seen[0]?.get('accept-language')).toBeNull();

    setRequestLanguage('zh-CN');
    expect(requestLanguage()).toBe('zh-CN');
    const error = await apiRequest('/accounts/a1').catch((e: unknown) => e);
    expect(seen[1]?.get('accept-language')).toBe('zh-CN');
    expect((error as ApiError).message).toBe('客户 a1 不存在（或你无权查看）。');

    setRequestLanguage('en');
    await apiRequest('/accounts/a1').catch(() => undefined);
    expect(seen[2]?.get('accept-language')).toBe('en');
  });
});
