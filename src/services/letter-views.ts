// Reading letters for people: who may see one (its recipients and copies, the task's owner, leader and units, the
// ledger's main leader, the office), the /督办 列表 listing and the view a letter card is drawn from.
import { and, count, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { ledgers, ledgerTasks, letters, milestones, taskUnits, users } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import type { LetterKind } from '../domain/ledger/letter-number.js';
import { parseLetterNumber } from '../domain/ledger/letter-number.js';
import type { TaskState } from '../domain/ledger/task-state.js';
import type { Actor } from '../domain/roles.js';
import { DomainError } from '../errors.js';
import type { ServiceCtx } from './context.js';
import { letterNumberOf, type LetterRow } from './letters.js';

export interface PersonRef {
  openId: string;
  name: string | null;
}

export interface LetterView {
  id: number;
  kind: LetterKind;
  number: string;
  ledgerTitle: string;
  task: { id: number; code: string; title: string; state: TaskState };
  reason: string;
  issuedAt: Date;
  rectifyBy: Date;
  recipients: PersonRef[];
  cc: PersonRef[];
  acknowledgedAt: Date | null;
  acknowledgedBy: PersonRef | null;
  plan: { text: string; dueAt: Date; doneAt: Date | null } | null;
}

export const LIST_LIMIT = 30;

/** Letters this actor may see, as one SQL condition over letters ⋈ ledger_tasks ⋈ ledgers. */
function visibleTo(actor: Pick<Actor, 'openId' | 'roles' | 'units'>): SQL | undefined {
  if (actor.roles.includes('admin')) return undefined;
  const me = JSON.stringify([actor.openId]);
  const conditions: SQL[] = [
    sql`${letters.recipients} @> ${me}::jsonb`,
    sql`${letters.cc} @> ${me}::jsonb`,
    eq(ledgerTasks.ownerOpenId, actor.openId),
    eq(ledgerTasks.responsibleLeaderOpenId, actor.openId),
    eq(ledgers.mainLeaderOpenId, actor.openId),
  ];
  const unitIds = actor.units.map((u) => u.unitId);
  if (unitIds.length) {
    conditions.push(sql`exists (select 1 from ${taskUnits} where ${taskUnits.taskId} = ${letters.taskId} and ${inArray(taskUnits.unitId, unitIds)})`);
  }
  return or(...conditions);
}

async function names(db: Db, openIds: readonly string[]): Promise<Map<string, string | null>> {
  const ids = [...new Set(openIds)];
  if (ids.length === 0) return new Map();
  const rows = await db.select({ openId: users.openId, name: users.name }).from(users).where(inArray(users.openId, ids));
  return new Map(rows.map((r) => [r.openId, r.name]));
}

const base = (db: Db) =>
  db
    .select({ letter: letters, ledgerTitle: ledgers.title, taskCode: ledgerTasks.code, taskTitle: ledgerTasks.title, taskState: ledgerTasks.state })
    .from(letters)
    .innerJoin(ledgerTasks, eq(ledgerTasks.id, letters.taskId))
    .innerJoin(ledgers, eq(ledgers.id, letters.ledgerId));

type BaseRow = Awaited<ReturnType<ReturnType<typeof base>['where']>>[number];

async function toViews(db: Db, rows: readonly BaseRow[]): Promise<LetterView[]> {
  const ids = rows.map((r) => r.letter.id);
  const plans = ids.length
    ? await db.select({ letterId: milestones.letterId, doneAt: milestones.doneAt }).from(milestones).where(and(inArray(milestones.letterId, ids), eq(milestones.source, 'rectification')))
    : [];
  const doneOf = new Map(plans.map((p) => [p.letterId, p.doneAt]));
  const who = await names(db, rows.flatMap((r) => [...r.letter.recipients, ...r.letter.cc, ...(r.letter.acknowledgedBy ? [r.letter.acknowledgedBy] : [])]));
  const person = (openId: string): PersonRef => ({ openId, name: who.get(openId) ?? null });
  return rows.map(({ letter: l, ledgerTitle, taskCode, taskTitle, taskState }) => ({
    id: l.id,
    kind: l.kind,
    number: letterNumberOf(l),
    ledgerTitle,
    task: { id: l.taskId, code: taskCode, title: taskTitle, state: taskState },
    reason: l.reason,
    issuedAt: l.issuedAt,
    rectifyBy: l.rectifyBy,
    recipients: l.recipients.map(person),
    cc: l.cc.map(person),
    acknowledgedAt: l.acknowledgedAt,
    acknowledgedBy: l.acknowledgedBy ? person(l.acknowledgedBy) : null,
    plan: l.planText && l.planDueAt ? { text: l.planText, dueAt: l.planDueAt, doneAt: doneOf.get(l.id) ?? null } : null,
  }));
}

/** /督办 列表: the newest letters the actor may see (at most LIST_LIMIT) and how many there are in all. */
export async function listLetters({ ctx, actor }: { ctx: ServiceCtx; actor: Pick<Actor, 'openId' | 'roles' | 'units'> }): Promise<{ letters: LetterView[]; total: number; unacknowledged: number }> {
  const where = visibleTo(actor);
  const rows = await base(ctx.db).where(where).orderBy(desc(letters.issuedAt), desc(letters.id)).limit(LIST_LIMIT);
  const [totals] = await ctx.db
    .select({ total: count(), open: sql<number>`count(*) filter (where ${letters.acknowledgedAt} is null)`.mapWith(Number) })
    .from(letters)
    .innerJoin(ledgerTasks, eq(ledgerTasks.id, letters.taskId))
    .innerJoin(ledgers, eq(ledgers.id, letters.ledgerId))
    .where(where);
  return { letters: await toViews(ctx.db, rows), total: totals?.total ?? 0, unacknowledged: totals?.open ?? 0 };
}

/** One letter for its card; a letter the actor may not see is refused. */
export async function letterViewFor({ ctx, letterId, actor }: { ctx: ServiceCtx; letterId: number; actor: Pick<Actor, 'openId' | 'roles' | 'units'> }): Promise<LetterView> {
  const [row] = await base(ctx.db).where(eq(letters.id, letterId));
  if (!row) throw new DomainError('letter.notFound');
  const where = visibleTo(actor);
  if (where) {
    const [visible] = await base(ctx.db).where(and(eq(letters.id, letterId), where));
    if (!visible) throw new DomainError('letter.notVisible');
  }
  const [view] = await toViews(ctx.db, [row]);
  if (!view) throw new DomainError('letter.notFound');
  return view;
}

/** The letter with a number as typed (提醒〔2026〕第7号, 督办[2026]3号 …), if the actor may see it. */
export async function letterByNumber({ ctx, text, actor }: { ctx: ServiceCtx; text: string; actor: Pick<Actor, 'openId' | 'roles' | 'units'> }): Promise<LetterView> {
  const parsed = parseLetterNumber(text);
  if (!parsed.ok) throw new DomainError('letter.badNumber', { message: parsed.message });
  const [row] = await ctx.db
    .select({ id: letters.id })
    .from(letters)
    .where(and(eq(letters.kind, parsed.value.kind), eq(letters.year, parsed.value.year), eq(letters.number, parsed.value.seq)));
  if (!row) throw new DomainError('letter.numberNotFound', { number: text.trim() });
  return letterViewFor({ ctx, letterId: row.id, actor });
}

/** Views of letters just issued, for the cards that announce them (no visibility check: the system sends them). */
export async function letterViewsByIds(db: Db, ids: readonly number[]): Promise<LetterView[]> {
  if (ids.length === 0) return [];
  return toViews(db, await base(db).where(inArray(letters.id, [...ids])));
}

export type { LetterRow };
