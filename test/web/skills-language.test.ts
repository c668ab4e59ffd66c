// Skill names on the Practice and Team skills pages come in the page's language. Without `lang` the server names
// the skills in the user's saved language, which stays Chinese for someone who reads the app in English through
// their browser's language and never used the switch: the English page then listed 应对「请寄资料」.
import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { repSkillsQuery, teamSkillsQuery } from '../../web/src/api/practice.ts';

describe('the skills requests of the Practice and Team skills pages', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  function recordingFetch(urls: URL[]) {
    return vi.fn(async (url: string) => {
      urls.push(new URL(url, 'http://tierline.test'));
      return new Response(JSON.stringify({}), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    });
  }

  it('ask for the skill names in the page’s language, and keep each language’s answer apart', async () => {
    const urls: URL[] = [];
    vi.stubGlobal('fetch', recordingFetch(urls));
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });

    await client.fetchQuery(repSkillsQuery(null, 'en'));
    await client.fetchQuery(repSkillsQuery('u-1', 'zh'));
    await client.fetchQuery(teamSkillsQuery('en'));

    expect(urls.map((url) => [url.pathname, url.searchParams.get('lang')])).toEqual([
      ['/api/skills/stages', 'en'],
      ['/api/skills/stages', 'zh'],
      ['/api/practice/team', 'en'],
    ]);
    expect(urls[1]?.searchParams.get('userId')).toBe('u-1');
    // A switch of language is a new request, not the other language's cached answer.
    expect(repSkillsQuery(null, 'en').queryKey).not.toEqual(repSkillsQuery(null, 'zh').queryKey);
    expect(teamSkillsQuery('en').queryKey).not.toEqual(teamSkillsQuery('zh').queryKey);
  });
});
