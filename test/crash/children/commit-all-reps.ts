// Child process for test/crash/plan-commit.test.ts: commits every rep's plan (commitPlansForAllReps, split into
// its two halves so that the parent knows when the write starts) on the database at argv[2], from argv[3].
// Prints "saving" before the write transaction and the summaries as JSON when it is committed.
import { makeContext, SYSTEM_ACTOR } from '../../../src/services/context.ts';
import { planAllReps, saveRepPlans } from '../../../src/services/plan.ts';
import { createDb } from '../../../src/storage/database.ts';

const [url, from] = process.argv.slice(2);
if (!url || !from) throw new Error('usage: commit-all-reps <database-url> <from>');
const db = await createDb(url, { poolSize: 2 });
const ctx = makeContext(db, SYSTEM_ACTOR, () => new Date('2026-11-27T02:00:00.000Z'));
const request = { from, acceptOverload: true };
const plans = await planAllReps(ctx, request);
process.stdout.write('saving\n');
const summaries = await saveRepPlans(ctx, plans, request);
process.stdout.write(`${JSON.stringify(summaries)}\n`);
await db.close();
