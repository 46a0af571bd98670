// Ledger tasks with their four lists (seed 004: 任务、责任、措施、结果清单) and the state machine of seed 002 (挂号 → 推进中 →
// 销号 / 留号). Writes happen in the caller's transaction with an audit row; reads check that the actor may see the task.
import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { ledgers, ledgerTasks, milestones, progressReports, submissions, taskUnits, units, userRoles, users, unitMembers } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { chinaDateOf, chinaInstantOn } from '../domain/ledger/calendar.js';
import type { Cadence } from '../domain/ledger/periods.js';
import type { TaskDraft, TaskLookups } from '../domain/ledger/task-import.js';
import { allowedTaskEvents, taskRelationsOf, taskStateLabels, transitionTask, type TaskEvent, type TaskEventType, type TaskRelation, type TaskState, type TaskTransition } from '../domain/ledger/task-state.js';
import type { Actor } from '../domain/roles.js';
import { DomainError } from '../errors.js';
import { recordAudit } from './audit.js';
import type { ServiceCtx } from './context.js';
import { findLedger, ledgerById, taskCodePrefix, type LedgerRow } from './ledgers.js';

export type TaskRow = typeof ledgerTasks.$inferSelect;
export interface PersonRef {
  openId: string;
  name: string | undefined;
}
type Viewer = Pick<Actor, 'openId' | 'roles' | 'units'>;

export interface TaskView {
  id: number;
  code: string;
  version: number;
  ledger: { id: number; title: string };
  title: string;
  measure: string | null;
  state: TaskState;
  stateReason: string | null;
  nextReviewOn: string | null;
  leadUnit: { id: number; name: string } | undefined;
  cooperatingUnits: { id: number; name: string }[];
  owner: PersonRef;
  leader: PersonRef | undefined;
  cadences: Cadence[];
  milestones: { id: number; title: string; dueAt: Date; doneAt: Date | null; source: 'plan' | 'rectification' }[];
  expectedResult: string | null;
  actualResult: string | null;
  source: { trackingNo: string; creators: string[] } | undefined;
  lastReport: { cadence: Cadence; periodKey: string; percent: number; late: boolean; submittedAt: Date } | undefined;
  relations: TaskRelation[];
  allowed: TaskEventType[];
}

const CODE = /^RW\d{4}[A-Z]?-\d{3,5}$/;

/** Units and known people, for resolving names in a form or a table. */
export async function loadTaskLookups(db: Db): Promise<TaskLookups> {
  const [unitRows, people] = await Promise.all([
    db.select({ id: units.id, name: units.name }).from(units).orderBy(asc(units.id)),
    db.select({ openId: users.openId, name: users.name }).from(users),
  ]);
  return { units: unitRows, people: people.map((p) => ({ openId: p.openId, name: p.name ?? undefined })) };
}

/** People to pick on the form: unit members (owners, labelled with their unit) and leaders. */
export async function taskFormPeople(db: Db): Promise<{ owners: { openId: string; label: string }[]; leaders: { openId: string; label: string }[] }> {
  const [members, leaderRows] = await Promise.all([
    db
      .select({ openId: unitMembers.userOpenId, name: users.name, unit: units.name })
      .from(unitMembers)
      .innerJoin(users, eq(users.openId, unitMembers.userOpenId))
      .innerJoin(units, eq(units.id, unitMembers.unitId))
      .orderBy(asc(units.id), asc(unitMembers.joinedAt)),
    db.select({ openId: userRoles.userOpenId, name: users.name }).from(userRoles).innerJoin(users, eq(users.openId, userRoles.userOpenId)).where(eq(userRoles.role, 'leader')),
  ]);
  const owners = new Map<string, string>();
  for (const m of members) if (!owners.has(m.openId)) owners.set(m.openId, `${m.name ?? m.openId}（${m.unit}）`);
  return {
    owners: [...owners].map(([openId, label]) => ({ openId, label })),
    leaders: leaderRows.map((l) => ({ openId: l.openId, label: l.name ?? l.openId })),
  };
}

export interface TaskFormContext {
  ledger: LedgerRow;
  lookups: TaskLookups;
  owners: { openId: string; label: string }[];
  leaders: { openId: string; label: string }[];
}

/** What the /任务 新建 form offers (a ledger by id or title, else the only active one); refuses when no unit or person exists yet. */
export async function taskFormContext({ ctx, ledgerId, ledgerTitle }: { ctx: ServiceCtx; ledgerId?: number; ledgerTitle?: string | undefined }): Promise<TaskFormContext> {
  const ledger = ledgerId !== undefined ? await ledgerById(ctx.db, ledgerId) : await findLedger({ ctx, title: ledgerTitle });
  const [lookups, people] = await Promise.all([loadTaskLookups(ctx.db), taskFormPeople(ctx.db)]);
  if (lookups.units.length === 0) throw new DomainError('task.noUnits');
  if (people.owners.length === 0) throw new DomainError('task.noPeople');
  return { ledger, lookups, ...people };
}

/** Inserts a task with its units and milestones under the ledger's row lock (codes are allocated in order). */
export async function insertTask(db: Db, ledger: Pick<LedgerRow, 'id' | 'year'>, draft: TaskDraft, meta: { at: Date; actorOpenId: string | null; sourceSubmissionId?: number }): Promise<TaskRow> {
  await db.select({ id: ledgers.id }).from(ledgers).where(eq(ledgers.id, ledger.id)).for('update');
  const prefix = await taskCodePrefix(db, ledger);
  const [max] = await db
    .select({ n: sql<number | null>`max(cast(substring(${ledgerTasks.code} from '([0-9]+)$') as integer))` })
    .from(ledgerTasks)
    .where(eq(ledgerTasks.ledgerId, ledger.id));
  const code = `${prefix}-${String((max?.n ?? 0) + 1).padStart(3, '0')}`;
  const [row] = await db
    .insert(ledgerTasks)
    .values({
      ledgerId: ledger.id,
      code,
      title: draft.title,
      measure: draft.measure ?? null,
      responsibleLeaderOpenId: draft.responsibleLeaderOpenId ?? null,
      ownerOpenId: draft.ownerOpenId,
      cadences: draft.cadences,
      expectedResult: draft.expectedResult ?? null,
      sourceSubmissionId: meta.sourceSubmissionId ?? null,
      createdAt: meta.at,
      updatedAt: meta.at,
    })
    .returning();
  if (!row) throw new Error('task insert returned nothing');
  await setTaskUnits(db, row.id, draft.leadUnitId, draft.cooperatingUnitIds);
  if (draft.milestones.length) {
    await db.insert(milestones).values(draft.milestones.map((m) => ({ taskId: row.id, title: m.title, dueAt: chinaInstantOn(m.dueOn), source: 'plan' as const })));
  }
  await recordAudit(db, { at: meta.at, actorOpenId: meta.actorOpenId, action: 'task.create', entityType: 'ledger_task', entityId: String(row.id), after: { ...row, draft } });
  return row;
}

export async function setTaskUnits(db: Db, taskId: number, leadUnitId: number, cooperating: readonly number[]): Promise<void> {
  await db.delete(taskUnits).where(eq(taskUnits.taskId, taskId));
  await db.insert(taskUnits).values([
    { taskId, unitId: leadUnitId, role: 'lead' as const },
    ...cooperating.filter((u) => u !== leadUnitId).map((unitId) => ({ taskId, unitId, role: 'cooperating' as const })),
  ]);
}

/** A new task from the form; a task of the same title in the ledger is returned instead (a double click creates one). */
export async function createTask({ ctx, input, actorOpenId }: { ctx: ServiceCtx; input: { ledgerId: number; draft: TaskDraft }; actorOpenId: string | null }): Promise<{ created: boolean; task: TaskRow }> {
  const ledger = await ledgerById(ctx.db, input.ledgerId);
  await ctx.db.select({ id: ledgers.id }).from(ledgers).where(eq(ledgers.id, ledger.id)).for('update');
  const [same] = await ctx.db.select().from(ledgerTasks).where(and(eq(ledgerTasks.ledgerId, ledger.id), eq(ledgerTasks.title, input.draft.title)));
  if (same) return { created: false, task: same };
  return { created: true, task: await insertTask(ctx.db, ledger, input.draft, { at: ctx.clock.now(), actorOpenId }) };
}

/** The task of a code (RW2026-007, case and spaces forgiven); a bare number means that task of the only active ledger. */
export async function findTaskByCode(db: Db, input: string): Promise<TaskRow> {
  const text = input.trim().toUpperCase();
  if (/^\d{1,5}$/.test(text)) {
    const active = await db.select().from(ledgers).where(eq(ledgers.status, 'active'));
    if (active.length === 1 && active[0]) return findTaskByCode(db, `${await taskCodePrefix(db, active[0])}-${text.padStart(3, '0')}`);
  }
  if (!CODE.test(text)) throw new DomainError('task.badCode', { input: input.trim() });
  const [row] = await db.select().from(ledgerTasks).where(eq(ledgerTasks.code, text)).orderBy(asc(ledgerTasks.id));
  if (!row) throw new DomainError('task.notFound', { code: text });
  return row;
}

async function taskById(db: Db, id: number, lock = false): Promise<TaskRow> {
  const query = db.select().from(ledgerTasks).where(eq(ledgerTasks.id, id));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new DomainError('task.gone');
  return row;
}

async function unitsOfTask(db: Db, taskId: number) {
  return db.select({ id: units.id, name: units.name, role: taskUnits.role }).from(taskUnits).innerJoin(units, eq(units.id, taskUnits.unitId)).where(eq(taskUnits.taskId, taskId)).orderBy(asc(units.id));
}

export function canViewTask(viewer: Viewer, task: Pick<TaskRow, 'ownerOpenId' | 'responsibleLeaderOpenId'>, unitIds: readonly number[]): boolean {
  return viewer.roles.includes('admin') || viewer.openId === task.ownerOpenId || viewer.openId === task.responsibleLeaderOpenId || viewer.units.some((u) => unitIds.includes(u.unitId));
}

async function names(db: Db, openIds: readonly string[]): Promise<Map<string, string | undefined>> {
  const ids = [...new Set(openIds)];
  const rows = ids.length ? await db.select({ openId: users.openId, name: users.name }).from(users).where(inArray(users.openId, ids)) : [];
  return new Map(ids.map((id) => [id, rows.find((r) => r.openId === id)?.name ?? undefined]));
}

/** Everything the task card shows, for a viewer who may see it. */
export async function taskView(db: Db, row: TaskRow, viewer: Viewer): Promise<TaskView> {
  const unitRows = await unitsOfTask(db, row.id);
  if (!canViewTask(viewer, row, unitRows.map((u) => u.id))) throw new DomainError('task.viewForbidden');
  const [ledger, ms, [last], source] = await Promise.all([
    ledgerById(db, row.ledgerId),
    db.select().from(milestones).where(eq(milestones.taskId, row.id)).orderBy(asc(milestones.dueAt), asc(milestones.id)),
    db.select().from(progressReports).where(eq(progressReports.taskId, row.id)).orderBy(desc(progressReports.dueAt), desc(progressReports.id)).limit(1),
    row.sourceSubmissionId === null ? Promise.resolve([]) : db.select().from(submissions).where(eq(submissions.id, row.sourceSubmissionId)),
  ]);
  const who = await names(db, [row.ownerOpenId, ...(row.responsibleLeaderOpenId ? [row.responsibleLeaderOpenId] : [])]);
  const lead = unitRows.find((u) => u.role === 'lead');
  const relations = taskRelationsOf(viewer, { ownerOpenId: row.ownerOpenId, leadUnitId: lead?.id ?? null });
  const sub = source[0];
  return {
    id: row.id,
    code: row.code,
    version: row.version,
    ledger: { id: ledger.id, title: ledger.title },
    title: row.title,
    measure: row.measure,
    state: row.state,
    stateReason: row.stateReason,
    nextReviewOn: row.nextReviewOn,
    leadUnit: lead ? { id: lead.id, name: lead.name } : undefined,
    cooperatingUnits: unitRows.filter((u) => u.role === 'cooperating').map((u) => ({ id: u.id, name: u.name })),
    owner: { openId: row.ownerOpenId, name: who.get(row.ownerOpenId) },
    leader: row.responsibleLeaderOpenId ? { openId: row.responsibleLeaderOpenId, name: who.get(row.responsibleLeaderOpenId) } : undefined,
    cadences: row.cadences,
    milestones: ms.map((m) => ({ id: m.id, title: m.title, dueAt: m.dueAt, doneAt: m.doneAt, source: m.source })),
    expectedResult: row.expectedResult,
    actualResult: row.actualResult,
    source: sub ? { trackingNo: sub.trackingNo, creators: sub.mainCreators.map((c) => c.name || c.openId) } : undefined,
    lastReport: last ? { cadence: last.cadence, periodKey: last.periodKey, percent: last.percentComplete, late: last.late, submittedAt: last.submittedAt } : undefined,
    relations,
    allowed: allowedTaskEvents(row.state, relations),
  };
}

export async function viewTask({ ctx, viewer, code, taskId }: { ctx: ServiceCtx; viewer: Viewer; code?: string; taskId?: number }): Promise<TaskView> {
  const row = code !== undefined ? await findTaskByCode(ctx.db, code) : await taskById(ctx.db, taskId ?? 0);
  return taskView(ctx.db, row, viewer);
}

/**
 * The refusal of a move based on an old version of the task. A close decision on a request that is already decided
 * (another admin clicked first, on the pushed card or the task card) says so plainly.
 */
export function staleTask(state: TaskState, event: TaskEventType): DomainError {
  const decided = (event === 'confirm_close' || event === 'reject_close') && state !== 'close_requested';
  return new DomainError(decided ? 'task.closeDecided' : 'task.stale', { state: taskStateLabels[state] });
}

/** Input problems a form can show next to its field; everything else is thrown. */
const formFailures = new Set(['summary_required', 'reason_required', 'too_long', 'invalid_date', 'review_date_not_future']);

export type StateChange = { kind: 'done'; transition: TaskTransition; view: TaskView } | { kind: 'invalid'; message: string; view: TaskView };

/** Applies a state event to a task as of `version`; refused moves throw a DomainError and change nothing. */
export async function changeTaskState({ ctx, actor, input }: { ctx: ServiceCtx; actor: Viewer; input: { taskId: number; version: number; event: TaskEvent } }): Promise<StateChange> {
  const row = await taskById(ctx.db, input.taskId, true);
  const unitRows = await unitsOfTask(ctx.db, row.id);
  const leadUnitId = unitRows.find((u) => u.role === 'lead')?.id ?? null;
  const relations = taskRelationsOf(actor, { ownerOpenId: row.ownerOpenId, leadUnitId });
  const now = ctx.clock.now();
  const result = transitionTask(row.state, input.event, relations, chinaDateOf(now));
  if (!result.ok && result.code === 'forbidden') throw new DomainError('task.rule', { message: result.message });
  if (row.version !== input.version) throw staleTask(row.state, input.event.type);
  if (!result.ok) {
    if (formFailures.has(result.code)) return { kind: 'invalid', message: result.message, view: await taskView(ctx.db, row, actor) };
    throw new DomainError('task.rule', { message: result.message });
  }
  const { patch } = result.value;
  const [after] = await ctx.db
    .update(ledgerTasks)
    .set({ ...patch, version: row.version + 1, updatedAt: now })
    .where(eq(ledgerTasks.id, row.id))
    .returning();
  if (!after) throw new Error(`task ${row.id} vanished under a row lock`);
  const ev = result.value.event;
  await recordAudit(ctx.db, {
    at: now,
    actorOpenId: actor.openId,
    action: `task.${ev.type}`,
    entityType: 'ledger_task',
    entityId: String(row.id),
    before: { state: row.state, stateReason: row.stateReason, nextReviewOn: row.nextReviewOn, version: row.version },
    after: { state: after.state, stateReason: after.stateReason, nextReviewOn: after.nextReviewOn, actualResult: after.actualResult, version: after.version },
    reason: 'reason' in ev ? ev.reason : 'summary' in ev ? ev.summary : undefined,
  });
  return { kind: 'done', transition: result.value, view: await taskView(ctx.db, after, actor) };
}

export interface TaskLine {
  id: number;
  code: string;
  title: string;
  state: TaskState;
  leadUnitName: string | undefined;
  ownerName: string;
  /** How the viewer stands to it: 负责人, 分管领导, 牵头单位, 配合单位. */
  roles: string[];
}

const stateOrder: TaskState[] = ['close_requested', 'in_progress', 'registered', 'kept', 'closed'];

async function lines(db: Db, rows: TaskRow[], viewer: Viewer | undefined): Promise<TaskLine[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const tu = await db.select({ taskId: taskUnits.taskId, unitId: taskUnits.unitId, role: taskUnits.role, name: units.name }).from(taskUnits).innerJoin(units, eq(units.id, taskUnits.unitId)).where(inArray(taskUnits.taskId, ids));
  const who = await names(db, rows.map((r) => r.ownerOpenId));
  const mine = new Set(viewer?.units.map((u) => u.unitId) ?? []);
  return rows
    .map((r) => {
      const roles: string[] = [];
      if (viewer?.openId === r.ownerOpenId) roles.push('负责人');
      if (viewer?.openId === r.responsibleLeaderOpenId) roles.push('分管领导');
      for (const u of tu.filter((x) => x.taskId === r.id && mine.has(x.unitId))) roles.push(u.role === 'lead' ? '牵头单位' : '配合单位');
      const lead = tu.find((x) => x.taskId === r.id && x.role === 'lead');
      return { id: r.id, code: r.code, title: r.title, state: r.state, leadUnitName: lead?.name, ownerName: who.get(r.ownerOpenId) ?? r.ownerOpenId, roles: [...new Set(roles)] };
    })
    .sort((a, b) => stateOrder.indexOf(a.state) - stateOrder.indexOf(b.state) || a.code.localeCompare(b.code));
}

/** /任务: tasks the person owns, leads as responsible leader, or whose lead or cooperating unit they belong to. */
export async function listMyTasks({ ctx, actor }: { ctx: ServiceCtx; actor: Viewer }): Promise<TaskLine[]> {
  const unitIds = actor.units.map((u) => u.unitId);
  const viaUnit = unitIds.length ? [inArray(ledgerTasks.id, ctx.db.select({ id: taskUnits.taskId }).from(taskUnits).where(inArray(taskUnits.unitId, unitIds)))] : [];
  const rows = await ctx.db
    .select({ task: ledgerTasks })
    .from(ledgerTasks)
    .innerJoin(ledgers, eq(ledgers.id, ledgerTasks.ledgerId))
    .where(and(eq(ledgers.status, 'active'), or(eq(ledgerTasks.ownerOpenId, actor.openId), eq(ledgerTasks.responsibleLeaderOpenId, actor.openId), ...viaUnit)))
    .orderBy(asc(ledgerTasks.id))
    .limit(200);
  return lines(ctx.db, rows.map((r) => r.task), actor);
}

/** Every task of a ledger (the office's view). */
export async function listLedgerTasks({ ctx, ledgerId }: { ctx: ServiceCtx; ledgerId: number }): Promise<TaskLine[]> {
  const rows = await ctx.db.select().from(ledgerTasks).where(eq(ledgerTasks.ledgerId, ledgerId)).orderBy(asc(ledgerTasks.id));
  return lines(ctx.db, rows, undefined);
}
