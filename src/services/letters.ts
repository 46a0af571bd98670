// Supervision letters (提醒函 / 督办函, seed 002 measure 9). A letter's number is allocated from letter_counters in
// the same transaction as the letter, so numbers have no gaps and no duplicates however many instances issue at
// once; a letter is unique per (task, kind, trigger), and asking again for one that exists changes nothing and
// consumes no number. Acknowledgement (已收到) is recorded once; a rectification plan (整改方案) becomes a milestone
// with source 'rectification', chased like any other.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { ledgerTasks, letterCounters, letters, milestones, taskUnits, unitMembers } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { formatChinaDateTime } from '../domain/campaign/china-time.js';
import { normalizeDate } from '../domain/campaign/submission-form.js';
import { addDays, chinaDateOf, chinaInstantOn, isDate } from '../domain/ledger/calendar.js';
import { formatLetterNumber, letterKindLabels, type LetterKind } from '../domain/ledger/letter-number.js';
import { isTracked, taskStateLabels } from '../domain/ledger/task-state.js';
import type { Actor } from '../domain/roles.js';
import { DomainError } from '../errors.js';
import { recordAudit } from './audit.js';
import type { ServiceCtx } from './context.js';

export type LetterRow = typeof letters.$inferSelect;

export interface IssueLetterInput {
  ledgerId: number;
  taskId: number;
  kind: LetterKind;
  /** The numbering year (the year of the issue date). */
  year: number;
  triggerKey: string;
  reason: string;
  issuedAt: Date;
  rectifyBy: Date;
  recipients: readonly string[];
  cc: readonly string[];
}

export const letterNumberOf = (l: Pick<LetterRow, 'kind' | 'year' | 'number'>): string => formatLetterNumber(l.kind, l.year, l.number);

async function letterFor(db: Db, taskId: number, kind: LetterKind, triggerKey: string): Promise<LetterRow | undefined> {
  const [row] = await db
    .select()
    .from(letters)
    .where(and(eq(letters.taskId, taskId), eq(letters.kind, kind), eq(letters.triggerKey, triggerKey)));
  return row;
}

/** Gives back a number we allocated but did not use. We still hold the counter row's lock, so it is ours to undo. */
async function releaseNumber(db: Db, kind: LetterKind, year: number, number: number): Promise<void> {
  await db
    .update(letterCounters)
    .set({ last: sql`${letterCounters.last} - 1` })
    .where(and(eq(letterCounters.kind, kind), eq(letterCounters.year, year), eq(letterCounters.last, number)));
}

/**
 * Issues a letter, or returns the one already issued for this task, kind and trigger (created: false). Runs in
 * the caller's transaction: the counter row stays locked until it commits, which serialises issuers of one kind
 * and year; after taking the lock we look again, so a letter a concurrent issuer committed meanwhile is found and
 * the number we drew is given back.
 */
export async function issueLetter({ ctx, input, actorOpenId }: { ctx: ServiceCtx; input: IssueLetterInput; actorOpenId: string | null }): Promise<{ letter: LetterRow; created: boolean }> {
  const { db } = ctx;
  const existing = await letterFor(db, input.taskId, input.kind, input.triggerKey);
  if (existing) return { letter: existing, created: false };

  const [counter] = await db
    .insert(letterCounters)
    .values({ kind: input.kind, year: input.year, last: 1 })
    .onConflictDoUpdate({ target: [letterCounters.kind, letterCounters.year], set: { last: sql`${letterCounters}.last + 1` } })
    .returning({ last: letterCounters.last });
  if (!counter) throw new Error('letter counter upsert returned nothing');
  const number = counter.last;

  const raced = await letterFor(db, input.taskId, input.kind, input.triggerKey);
  if (raced) {
    await releaseNumber(db, input.kind, input.year, number);
    return { letter: raced, created: false };
  }
  const [letter] = await db
    .insert(letters)
    .values({
      ledgerId: input.ledgerId,
      taskId: input.taskId,
      kind: input.kind,
      year: input.year,
      number,
      triggerKey: input.triggerKey,
      reason: input.reason,
      issuedAt: input.issuedAt,
      rectifyBy: input.rectifyBy,
      recipients: [...input.recipients],
      cc: [...input.cc],
    })
    .onConflictDoNothing({ target: [letters.taskId, letters.kind, letters.triggerKey] })
    .returning();
  if (!letter) {
    // Issued for another year by a concurrent issuer (a pass straddling New Year): theirs stands.
    await releaseNumber(db, input.kind, input.year, number);
    const theirs = await letterFor(db, input.taskId, input.kind, input.triggerKey);
    if (!theirs) throw new Error(`letter ${input.taskId}/${input.kind}/${input.triggerKey} neither inserted nor found`);
    return { letter: theirs, created: false };
  }
  await recordAudit(db, {
    at: input.issuedAt,
    actorOpenId,
    action: 'letter.issue',
    entityType: 'letter',
    entityId: String(letter.id),
    after: { number: letterNumberOf(letter), taskId: letter.taskId, triggerKey: letter.triggerKey, recipients: letter.recipients, cc: letter.cc, rectifyBy: letter.rectifyBy },
    reason: letter.reason,
  });
  return { letter, created: true };
}

export async function letterById(db: Db, id: number): Promise<LetterRow> {
  const [row] = await db.select().from(letters).where(eq(letters.id, id));
  if (!row) throw new DomainError('letter.notFound');
  return row;
}

async function lockedLetter(db: Db, id: number): Promise<LetterRow> {
  const [row] = await db.select().from(letters).where(eq(letters.id, id)).for('update');
  if (!row) throw new DomainError('letter.notFound');
  return row;
}

/** The liaisons of the task's lead unit now (they answer for the unit even if the liaison changed since). */
export async function leadLiaisonsOf(db: Db, taskIds: readonly number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (taskIds.length === 0) return out;
  const rows = await db
    .select({ taskId: taskUnits.taskId, openId: unitMembers.userOpenId })
    .from(taskUnits)
    .innerJoin(unitMembers, and(eq(unitMembers.unitId, taskUnits.unitId), eq(unitMembers.role, 'liaison')))
    .where(and(inArray(taskUnits.taskId, [...taskIds]), eq(taskUnits.role, 'lead')));
  for (const r of rows) out.set(r.taskId, [...(out.get(r.taskId) ?? []), r.openId].sort());
  return out;
}

/** Recipients answer a letter: those it was addressed to, and whoever is the lead unit's liaison now. */
async function assertRecipient(db: Db, letter: LetterRow, actor: Pick<Actor, 'openId'>): Promise<void> {
  if (letter.recipients.includes(actor.openId)) return;
  const liaisons = (await leadLiaisonsOf(db, [letter.taskId])).get(letter.taskId) ?? [];
  if (!liaisons.includes(actor.openId)) throw new DomainError('letter.notRecipient');
}

/** 已收到. Recorded once: later clicks (or a concurrent one) find it done and change nothing. */
export async function acknowledgeLetter({ ctx, letterId, actor }: { ctx: ServiceCtx; letterId: number; actor: Pick<Actor, 'openId'> }): Promise<{ letter: LetterRow; first: boolean }> {
  const before = await lockedLetter(ctx.db, letterId);
  await assertRecipient(ctx.db, before, actor);
  if (before.acknowledgedAt) return { letter: before, first: false };
  const at = ctx.clock.now();
  const [after] = await ctx.db
    .update(letters)
    .set({ acknowledgedAt: at, acknowledgedBy: actor.openId })
    .where(and(eq(letters.id, letterId), isNull(letters.acknowledgedAt)))
    .returning();
  if (!after) return { letter: await letterById(ctx.db, letterId), first: false };
  await recordAudit(ctx.db, { at, actorOpenId: actor.openId, action: 'letter.acknowledge', entityType: 'letter', entityId: String(letterId), after: { acknowledgedAt: at } });
  return { letter: after, first: true };
}

export const PLAN_MEASURES_MAX = 2000;
/** How far ahead a rectification date may lie. */
export const PLAN_MAX_DAYS_AHEAD = 366;

export type PlanField = 'measures' | 'dueOn';
export interface PlanValues {
  measures: string;
  dueOn: string;
}

/** Reads the plan form's form_value; anything that is not a string counts as empty, echoes are capped. */
export function readPlanForm(raw: Record<string, unknown> | undefined): PlanValues {
  const str = (v: unknown, max: number): string => (typeof v === 'string' ? v.slice(0, max) : '');
  return { measures: str(raw?.measures, PLAN_MEASURES_MAX + 10), dueOn: str(raw?.dueOn, 40) };
}

/** Validates a rectification plan on Beijing date `today`: one Chinese message per bad field. */
export function checkPlan(values: PlanValues, today: string): { ok: true; value: PlanValues } | { ok: false; errors: Partial<Record<PlanField, string>> } {
  const errors: Partial<Record<PlanField, string>> = {};
  const measures = values.measures.trim();
  if (measures === '') errors.measures = '请填写整改措施：做什么、谁来做、怎么做。';
  else if ([...measures].length > PLAN_MEASURES_MAX) errors.measures = `整改措施不能超过 ${PLAN_MEASURES_MAX} 字，请精简后再提交。`;
  const dueOn = normalizeDate(values.dueOn);
  if (dueOn === '') errors.dueOn = '请选择整改完成日期。';
  else if (!isDate(dueOn)) errors.dueOn = `整改完成日期“${values.dueOn.trim()}”格式不对，请按 2026-06-30 的格式选择日期。`;
  else if (dueOn <= today) errors.dueOn = '整改完成日期须晚于今天，请重新选择。';
  else if (dueOn > addDays(today, PLAN_MAX_DAYS_AHEAD)) errors.dueOn = '整改完成日期不能晚于一年以后，请分阶段制定整改方案。';
  if (errors.measures || errors.dueOn) return { ok: false, errors };
  return { ok: true, value: { measures, dueOn } };
}

async function taskOf(db: Db, taskId: number): Promise<typeof ledgerTasks.$inferSelect> {
  const [task] = await db.select().from(ledgerTasks).where(eq(ledgerTasks.id, taskId));
  if (!task) throw new DomainError('letter.notFound');
  return task;
}

/** The recipient may open the plan form: a tracked task, and a plan not yet carried out. */
export async function assertMayPlan({ ctx, letterId, actor }: { ctx: ServiceCtx; letterId: number; actor: Pick<Actor, 'openId'> }): Promise<LetterRow> {
  const letter = await letterById(ctx.db, letterId);
  await assertRecipient(ctx.db, letter, actor);
  const task = await taskOf(ctx.db, letter.taskId);
  if (!isTracked(task.state)) throw new DomainError('letter.taskFinished', { task: `${task.code} ${task.title}`, state: taskStateLabels[task.state] });
  const [done] = await ctx.db
    .select({ doneAt: milestones.doneAt })
    .from(milestones)
    .where(and(eq(milestones.letterId, letterId), eq(milestones.source, 'rectification')));
  if (done?.doneAt) throw new DomainError('letter.planDone', { at: formatChinaDateTime(done.doneAt) });
  return letter;
}

/**
 * Records a validated plan: the letter keeps the text and date, and the date becomes (or moves) the letter's
 * rectification milestone, due 18:00 Beijing time that day. Submitting a plan also acknowledges the letter.
 */
export async function submitRectificationPlan({ ctx, letterId, plan, actor }: { ctx: ServiceCtx; letterId: number; plan: PlanValues; actor: Pick<Actor, 'openId'> }): Promise<{ letter: LetterRow; milestoneId: number; revised: boolean }> {
  await lockedLetter(ctx.db, letterId);
  const letter = await assertMayPlan({ ctx, letterId, actor });
  const at = ctx.clock.now();
  const dueAt = chinaInstantOn(plan.dueOn, 18);
  const title = `整改：${[...plan.measures.replace(/\s+/g, ' ')].slice(0, 40).join('')}（${letterKindLabels[letter.kind]}${letterNumberOf(letter)}）`;
  const [current] = await ctx.db.select({ id: milestones.id }).from(milestones).where(and(eq(milestones.letterId, letterId), eq(milestones.source, 'rectification')));
  let milestoneId: number;
  if (current) {
    await ctx.db.update(milestones).set({ title, dueAt }).where(eq(milestones.id, current.id));
    milestoneId = current.id;
  } else {
    const [row] = await ctx.db.insert(milestones).values({ taskId: letter.taskId, title, dueAt, source: 'rectification', letterId }).returning({ id: milestones.id });
    if (!row) throw new Error('rectification milestone not inserted');
    milestoneId = row.id;
  }
  const [after] = await ctx.db
    .update(letters)
    .set({ planText: plan.measures, planDueAt: dueAt, ...(letter.acknowledgedAt ? {} : { acknowledgedAt: at, acknowledgedBy: actor.openId }) })
    .where(eq(letters.id, letterId))
    .returning();
  if (!after) throw new Error(`letter ${letterId} vanished under a row lock`);
  await recordAudit(ctx.db, {
    at,
    actorOpenId: actor.openId,
    action: current ? 'letter.plan.revise' : 'letter.plan',
    entityType: 'letter',
    entityId: String(letterId),
    before: { planText: letter.planText, planDueAt: letter.planDueAt },
    after: { planText: plan.measures, planDueAt: dueAt, milestoneId },
  });
  return { letter: after, milestoneId, revised: current !== undefined };
}

/** Beijing date of now, for plan validation. */
export const todayOf = (ctx: ServiceCtx): string => chinaDateOf(ctx.clock.now());
