import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarDays, getDaysOff, setDaysOff } from '../../src/services/calendar.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { peopleOverview } from '../../src/services/people-overview.ts';
import { previewPlan } from '../../src/services/plan.ts';
import { getWorkspaceSettings, updateWorkspaceSettings } from '../../src/services/workspace-settings.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { demoUserId, openDemoWorkspace } from '../helpers/demo.ts';

const NOW = new Date('2026-06-01T02:00:00.000Z');

for (const dialect of DIALECTS) {
  describe(`planning on another country's public holidays on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let ctx: ServiceContext;
    let repId: string;

    beforeAll(async () => {
      ({ tdb, ctx } = await openDemoWorkspace(dialect, NOW));
      repId = await demoUserId(tdb);
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    const dayOf = async (date: string) => {
      const plan = await previewPlan(ctx, { repId, from: '2026-06-29', months: 6 });
      const day = plan.days.find((d) => d.date === date);
      expect(day, date).toBeDefined();
      return day as { working: boolean; calls: number; visits: number };
    };

    it("plans China's National Day week off by default, and the US's Independence Day as a working day", async () => {
      expect((await getWorkspaceSettings(ctx)).country).toBe('CN');
      expect(await dayOf('2026-10-05')).toMatchObject({ working: false, calls: 0, visits: 0 });
      expect((await dayOf('2026-07-03')).working).toBe(true);
    });

    it('switches to the US schedule: July 4 observed on Friday the 3rd, Columbus Day, and China’s holidays worked', async () => {
      const { version } = await getWorkspaceSettings(ctx);
      const saved = await updateWorkspaceSettings(ctx, { country: 'US', version });
      expect(saved.country).toBe('US');
      expect(await dayOf('2026-07-03')).toMatchObject({ working: false, calls: 0, visits: 0 });
      expect(await dayOf('2026-10-12')).toMatchObject({ working: false, calls: 0, visits: 0 });
      expect((await dayOf('2026-10-05')).working).toBe(true);
      const plan = await previewPlan(ctx, { repId, from: '2026-06-29', months: 6 });
      expect(plan.unpublishedYears).toEqual([]);
    });

    it("gives one rep another country's holidays than the workspace's, and back", async () => {
      await updateWorkspaceSettings(ctx, {
        country: 'CN',
        version: (await getWorkspaceSettings(ctx)).version,
      });
      const other = await tdb.db.kysely
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'david.zhang@demo.tierline.local')
        .executeTakeFirstOrThrow();
      const read = await getDaysOff(ctx, repId);
      // The calendar saved, and how many of the rep's planned touches it moved off the days now off.
      const { moved, ...saved } = await setDaysOff(ctx, repId, {
        dates: ['2026-07-06'],
        holidays: 'HK',
        version: read.version,
      });
      expect(saved).toEqual({ repId, dates: ['2026-07-06'], holidays: 'HK', version: read.version + 1 });
      expect(moved).toBeGreaterThan(0);
      expect(await getDaysOff(ctx, repId)).toEqual(saved);
      // The Team page shows whose holidays differ from the workspace's.
      const schedules = async () =>
        new Map((await peopleOverview(ctx)).items.map((p) => [p.id, p.work?.holidays]));
      expect((await schedules()).get(repId)).toBe('HK');
      expect((await schedules()).get(other.id)).toBeNull();
      // Hong Kong: 1 July (SAR Establishment Day) off, China's National Day week worked after 2 October.
      expect(await dayOf('2026-07-01')).toMatchObject({ working: false, calls: 0, visits: 0 });
      expect(await dayOf('2026-07-06')).toMatchObject({ working: false, calls: 0, visits: 0 });
      expect((await dayOf('2026-10-05')).working).toBe(true);
      const days = await calendarDays(ctx, { from: '2026-10-01', to: '2026-10-09', repId: other.id });
      expect(days.days.filter((d) => !d.working).map((d) => d.date)).toContain('2026-10-05');
      // Changing only the days off keeps the rep's schedule; null goes back to the workspace's.
      const kept = await setDaysOff(ctx, repId, { dates: [], version: saved.version });
      expect(kept.holidays).toBe('HK');
      expect(
        (await setDaysOff(ctx, repId, { dates: [], holidays: null, version: kept.version })).holidays,
      ).toBeNull();
      expect((await schedules()).get(repId)).toBeNull();
      expect((await dayOf('2026-10-05')).working).toBe(false);
      await expect(
        setDaysOff(ctx, repId, { dates: [], holidays: 'XX' as 'HK', version: kept.version + 1 }),
      ).rejects.toThrow(/not a schedule/);
    });

    it('refuses a schedule it does not have, and keeps the one saved', async () => {
      await updateWorkspaceSettings(ctx, {
        country: 'US',
        version: (await getWorkspaceSettings(ctx)).version,
      });
      const { version } = await getWorkspaceSettings(ctx);
      await expect(updateWorkspaceSettings(ctx, { country: 'XX' as 'US', version })).rejects.toThrow();
      expect((await getWorkspaceSettings(ctx)).country).toBe('US');
    });
  });
}
