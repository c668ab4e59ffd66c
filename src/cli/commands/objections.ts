import { createInterface } from 'node:readline/promises';
import { type Command, Option } from 'commander';
import { LEARNING_RULE_LABELS } from '../../domain/learning/stage-rules.ts';
import type { TDrillRating } from '../../schemas/learning.ts';
import { LEARNING_STAGES, type TLang } from '../../schemas/objections.ts';
import type { TPlaybookObjection } from '../../schemas/playbook-api.ts';
import { getDrillAnswer, getDrillQueue, reviewDrill } from '../../services/practice.ts';
import { getRepSkills, resolveSubject } from '../../services/skills.ts';
import { readWorkspaceSettings } from '../../services/workspace-settings.ts';
import { withBackend } from '../backend.ts';
import { withDb } from '../db.ts';
import { count, dateOption, intOption, namesFields, printJson, UsageError } from '../output.ts';

const out = (text: string) => process.stdout.write(`${text}\n`);
const percent = (rate: number | null) => (rate === null ? '–' : `${Math.round(rate * 100)}%`);

function describeObjection(o: TPlaybookObjection, lang: TLang): string[] {
  const lines = [
    `${o.code}  ${o.title}  (${lang === 'zh' ? '遇到' : 'met'} ${o.stats.count}, ${percent(o.stats.successRate)} → ${lang === 'zh' ? '约见/下一步' : 'meeting or next step'})`,
    `  ${o.text}`,
  ];
  for (const r of o.responses) {
    lines.push(`  ${r.preferred ? '★' : '·'} [${r.code}] ${r.text}`);
    if (r.stats.count)
      lines.push(`      ${r.stats.successes}/${r.stats.count} ${percent(r.stats.successRate)}`);
  }
  return lines;
}

function langOption(defaultLang = 'with --server, your own locale; else zh'): Option {
  return new Option('--lang <lang>', `language of the text: zh or en (default: ${defaultLang})`).choices([
    'zh',
    'en',
  ]);
}

/** Commands about a rep (skills, drill) show their text in that rep's language unless --lang is given. */
const REP_LANG = 'the rep’s locale';

export function registerObjectionCommands(program: Command): void {
  const objections = program
    .command('objections')
    .description('The objection playbook (method §5): list, show, search, what works');

  objections
    .command('list')
    .description(
      'Every objection with its responses; --json prints an array of { code, zh, en, responses, … }',
    )
    .addOption(langOption())
    .addOption(
      new Option('--sort <order>', 'order of responses: preferred first, or by how well they work')
        .choices(['preferred', 'effectiveness'])
        .default('preferred'),
    )
    .option('--json', 'print JSON on stdout')
    .action(async (opts, command: Command) => {
      await withBackend(command, async (backend) => {
        const playbook = await backend.playbook({ lang: opts.lang, sort: opts.sort });
        if (opts.json) return printJson(playbook.objections);
        for (const o of playbook.objections) out(describeObjection(o, playbook.lang).join('\n'));
      });
    });

  objections
    .command('show <idOrCode>')
    .description('One objection with its responses')
    .addOption(langOption())
    .option('--json', 'print JSON on stdout')
    .action(async (idOrCode: string, opts, command: Command) => {
      await withBackend(command, async (backend) => {
        const o = await backend.objection(idOrCode, { lang: opts.lang });
        if (opts.json) return printJson(o);
        out(describeObjection(o, o.lang).join('\n'));
      });
    });

  const search = objections.command('search <text...>');
  // The API's query `q` is this command's words.
  namesFields(search, { q: '<text>' })
    .description(
      'Find objections by a Chinese fragment (预算, 价格太高, 供应商) or English words; --json prints an array of objections with score and matched',
    )
    .addOption(langOption())
    .option('--limit <n>', 'at most N objections, 1 to 100', intOption('--limit', 1, 100), 20)
    .option('--json', 'print JSON on stdout')
    .action(async (words: string[], opts, command: Command) => {
      const q = words.join(' ');
      if (q.trim() === '')
        throw new UsageError('<text> is empty: give a word or a fragment to search for (e.g. 预算).');
      await withBackend(command, async (backend) => {
        const result = await backend.searchPlaybook({ q, lang: opts.lang, limit: opts.limit });
        if (opts.json) {
          return printJson(
            result.hits.map((h) => ({ ...h.objection, score: h.score, exact: h.exact, matched: h.matched })),
          );
        }
        if (result.hits.length === 0) {
          out(result.lang === 'zh' ? `没有找到“${q}”。` : `Nothing found for "${q}".`);
          return;
        }
        for (const hit of result.hits) {
          const o = hit.objection;
          out(`${o.code}  ${o.title}`);
          out(`  ${o.text}`);
          const matched = new Set(hit.matched.responseIds);
          for (const r of o.responses) {
            if (r.preferred || matched.has(r.id)) out(`  ${r.preferred ? '★' : '·'} [${r.code}] ${r.text}`);
          }
        }
        if (result.truncated) out('(very common query: only part of the playbook was ranked; add a word)');
        else if (result.total > result.hits.length)
          out(
            `(${result.hits.length} of ${count(result.total, 'objection')} found; --limit ${result.total} shows them all)`,
          );
      });
    });

  objections
    .command('effectiveness')
    .description(
      'What works: times met and the share followed by a meeting or next step, per objection and response',
    )
    .addOption(
      new Option('--group-by <by>', 'totals, per rep or per team')
        .choices(['all', 'user', 'team'])
        .default('all'),
    )
    .addOption(new Option('--period <p>', 'over time').choices(['all', 'week', 'month']).default('all'))
    .option('--from <date>', 'first day, YYYY-MM-DD', dateOption('--from'))
    .option('--to <date>', 'last day, YYYY-MM-DD', dateOption('--to'))
    .option('--json', 'print JSON on stdout')
    .action(async (opts, command: Command) => {
      if (opts.from && opts.to && opts.from > opts.to)
        throw new UsageError(
          `--from (${opts.from}) is after --to (${opts.to}): give a period that starts on or before the day it ends.`,
        );
      await withBackend(command, async (backend) => {
        const report = await backend.effectiveness({
          groupBy: opts.groupBy,
          period: opts.period,
          ...(opts.from ? { from: opts.from } : {}),
          ...(opts.to ? { to: opts.to } : {}),
        });
        if (opts.json) return printJson(report);
        if (report.rows.length === 0) {
          const period =
            opts.from && opts.to
              ? ` from ${opts.from} to ${opts.to}`
              : opts.from
                ? ` since ${opts.from}`
                : opts.to
                  ? ` up to ${opts.to}`
                  : '';
          out(`No objection was met${period}: no logged call or visit recorded one.`);
          return;
        }
        for (const row of report.rows) {
          const head = [row.period, row.groupName ?? row.groupId].filter(Boolean).join(' ');
          out(
            `${head ? `${head}  ` : ''}${row.objectionCode ?? row.objectionId}: met ${row.count}, ${percent(row.successRate)} → meeting or next step`,
          );
          for (const r of row.responses) {
            out(`  ${r.responseCode ?? r.responseId}: ${r.successes}/${r.count} ${percent(r.successRate)}`);
          }
        }
      });
    });

  program
    .command('skills')
    .description("A rep's stage (1–4) for every skill")
    .option('--rep <id|email>', 'the rep (required)')
    .addOption(langOption(REP_LANG))
    .option('--json', 'print JSON on stdout')
    .action(async (opts, command: Command) => {
      requireRep(opts.rep, 'whose skills to show');
      await withDb(command, async (ctx) => {
        const skills = await getRepSkills(ctx, { userId: opts.rep, lang: opts.lang });
        if (opts.json) return printJson(skills);
        out(`${skills.name}:`);
        for (const s of skills.skills) out(`  ${s.stage}  ${s.skill.name}  (${s.skill.code})`);
      });
    });

  program
    .command('drill')
    .description(
      'Practise answering objections in the terminal: see the customer’s words, answer (type, or Enter to answer aloud), compare with the prepared response, rate your recall 1–4',
    )
    .option('--rep <id|email>', 'the rep who practises (required from the CLI)')
    .addOption(langOption(REP_LANG))
    .option('--limit <n>', 'drills in this session', positiveInt('--limit'), 5)
    .action(async (opts, command: Command) => {
      requireRep(opts.rep, 'who practises');
      await withDb(command, async (ctx, db) => runDrill(ctx, db.kysely, opts));
    });
}

/** `--rep` for `skills` and `drill`: the CLI acts as no rep of its own, so it must be told which (usage error). */
function requireRep(rep: string | undefined, what: string): void {
  if (rep === undefined || rep.trim() === '')
    throw new UsageError(
      `--rep is required: the rep ${what}, as a user id or email (\`tierline users list\` lists them).`,
    );
}

function positiveInt(name: string) {
  return intOption(name, 1, 100);
}

const RATINGS: Record<string, TDrillRating> = { '1': 'again', '2': 'hard', '3': 'good', '4': 'easy' };

const TEXT = {
  zh: {
    start: (name: string, due: number, fresh: number) =>
      `${name} 的练习：${due} 个到期复习，${fresh} 个新的。输入 q 随时结束。`,
    nothing: '现在没有可练习的异议（剧本里还没有应答）。',
    customer: '客户说',
    colon: '：',
    yourAnswer: '你的回答（直接回车 = 出声回答）：',
    prepared: '准备好的应答',
    rate: '回想得怎么样？1 忘了  2 困难  3 良好  4 轻松：',
    invalid: '请输入 1、2、3 或 4（q 结束）。',
    next: (days: string, due: string) => `下次复习：${days}（${due}）`,
    stage: '阶段',
    done: (n: number, due: number) => `完成 ${n} 个练习。还有 ${due} 个到期。`,
  },
  en: {
    start: (name: string, due: number, fresh: number) =>
      `Practice for ${name}: ${due} due, ${fresh} new. Type q at any prompt to stop.`,
    nothing: 'Nothing to practise: no objection in the playbook has a response yet.',
    customer: 'The customer says',
    colon: ': ',
    yourAnswer: 'Your answer (Enter = answer aloud): ',
    prepared: 'Prepared response',
    rate: 'How well did you recall it? 1 again  2 hard  3 good  4 easy: ',
    invalid: 'Type 1, 2, 3 or 4 (q to stop).',
    next: (days: string, due: string) => `Next review: ${days} (${due})`,
    stage: 'Stage',
    done: (n: number, due: number) => `Done: ${count(n, 'drill')}. ${due} still due.`,
  },
} as const;

function inDays(dueIso: string, now: Date, lang: TLang): string {
  const minutes = Math.max(0, Math.round((Date.parse(dueIso) - now.getTime()) / 60_000));
  if (minutes < 60) return lang === 'zh' ? `${minutes} 分钟后` : `in ${minutes} min`;
  if (minutes < 24 * 60) {
    const h = Math.round(minutes / 60);
    return lang === 'zh' ? `${h} 小时后` : `in ${h} h`;
  }
  const d = Math.round(minutes / (24 * 60));
  return lang === 'zh' ? `${d} 天后` : `in ${d} day${d === 1 ? '' : 's'}`;
}

/**
 * The interactive drill. Reads lines through an async iterator, so answers piped on stdin are buffered rather
 * than lost between questions (tests and scripts pipe them).
 */
async function runDrill(
  ctx: Parameters<typeof getDrillQueue>[0],
  db: Parameters<typeof resolveSubject>[1],
  opts: { rep?: string; lang?: TLang; limit: number },
): Promise<void> {
  const subject = await resolveSubject(ctx, db, opts.rep, 'act');
  const queue = await getDrillQueue(ctx, {
    userId: subject.id,
    limit: opts.limit,
    ...(opts.lang ? { lang: opts.lang } : {}),
  });
  const lang = queue.lang;
  const t = TEXT[lang];
  if (queue.items.length === 0) {
    out(t.nothing);
    return;
  }
  out(t.start(subject.name, queue.counts.due, queue.counts.new));
  const { timeZone } = await readWorkspaceSettings(db);
  const localTime = new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'short' });

  const rl = createInterface({ input: process.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (prompt: string): Promise<string | null> => {
    process.stdout.write(prompt);
    const next = await lines.next();
    // Piped answers are not echoed by a terminal: end the prompt's line ourselves.
    if (!process.stdin.isTTY) process.stdout.write('\n');
    if (next.done) return null;
    return String(next.value).trim();
  };
  let reviewed = 0;
  let dueLeft = queue.counts.due;
  try {
    for (const [i, item] of queue.items.entries()) {
      const stageInfo = LEARNING_STAGES.find((s) => s.stage === item.stage);
      out('');
      out(
        `[${i + 1}/${queue.items.length}] ${item.title} · ${t.stage} ${item.stage} ${lang === 'zh' ? (stageInfo?.zhShort ?? '') : (stageInfo?.en ?? '')}`,
      );
      out(`${t.customer}${t.colon}“${item.prompt}”`);
      const answer = await ask(t.yourAnswer);
      if (answer === null || answer.toLowerCase() === 'q') break;
      const reveal = await getDrillAnswer(ctx, item.objectionId, { lang });
      out(`${t.prepared}${t.colon}${reveal.preferred?.text ?? '—'}`);
      let rating: TDrillRating | undefined;
      let stop = false;
      while (!rating) {
        const typed = await ask(t.rate);
        if (typed === null || typed.toLowerCase() === 'q') {
          stop = true;
          break;
        }
        rating = RATINGS[typed];
        if (!rating) out(t.invalid);
      }
      if (stop || !rating) break;
      const result = await reviewDrill(ctx, {
        userId: subject.id,
        objectionId: item.objectionId,
        rating,
        prompt: item.prompt,
        ...(answer ? { answer } : {}),
        lang,
      });
      reviewed += 1;
      dueLeft = result.counts.due;
      out(t.next(inDays(result.card.due, ctx.now(), lang), localTime.format(new Date(result.card.due))));
      const move = result.stage?.transition;
      if (move) {
        const label = LEARNING_RULE_LABELS[move.rule];
        // The rule's reason is recorded in English (the audit's words): a Chinese drill shows the rule's name only.
        out(
          lang === 'zh'
            ? `${t.stage} ${move.from} → ${move.to}：${label.zh}。`
            : `${t.stage} ${move.from} → ${move.to}: ${label.en}. ${move.reason}`,
        );
      }
    }
  } finally {
    rl.close();
  }
  out('');
  out(t.done(reviewed, dueLeft));
}
