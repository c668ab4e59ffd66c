// The agenda bench (bench/plan-agenda.bench.ts) compares the app's GET /api/agenda with a bare node:http handler
// running the same SQL; it refuses to run when the two answer differently. The app's answer grew (`truncated`,
// then `day`) without the bare handler, and the bench stopped working unnoticed: this checks the two agree on the
// demo workspace, on a working day, a weekend, a holiday and days with nothing due.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareAnswers } from '../../bench/agenda-bare.ts';
import { agendaJson } from '../../src/server/agenda-json.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { getAgenda } from '../../src/services/touches.ts';
import { DIALECTS, FIXED_NOW, type TestDatabase } from '../helpers/databases.ts';
import { openDemoWorkspace } from '../helpers/demo.ts';

const sqlite = DIALECTS.find((d) => d.name === 'sqlite');
if (!sqlite) throw new Error('no SQLite test dialect');

describe('the agenda bench’s bare handler', () => {
  let tdb: TestDatabase;
  let ctx: ServiceContext;
  let reps: string[];

  beforeAll(async () => {
    ({ tdb, ctx } = await openDemoWorkspace(sqlite, FIXED_NOW));
    reps = (
      await tdb.db.kysely.selectFrom('users').select('id').where('role', '=', 'rep').orderBy('id').execute()
    ).map((r) => r.id);
  });
  afterAll(async () => {
    await tdb?.cleanup();
  });

  it('answers every rep’s agenda exactly as the app does', async () => {
    const bare = bareAnswers(tdb.db);
    // Friday (today, with overdue touches), the weekend, a public holiday, a make-up workday, far ahead.
    const dates = ['2026-11-27', '2026-11-28', '2026-10-01', '2026-09-28', '2026-12-14', '2027-06-30'];
    let items = 0;
    for (const repId of reps) {
      for (const date of dates) {
        const fromApp = JSON.parse(agendaJson(await getAgenda(ctx, { repId, date })));
        expect(JSON.parse(bare(repId, date)), `${repId} on ${date}`).toEqual(fromApp);
        items += fromApp.items.length;
      }
    }
    // The comparison covered agendas with items, not only empty ones.
    expect(items).toBeGreaterThan(0);
  });
});
