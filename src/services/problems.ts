// The problem library (问题库, seed 002 measure 11): anyone in a unit registers a problem at once (立即挂号); the office
// routes it to a responsible unit, which answers with a resolution; what needs city-level coordination is put to the
// leaders (提请研究). Every change is audited; only the admin, the registrant and the units concerned see a problem.
import { and, count, desc, eq, inArray, or } from 'drizzle-orm';
import { auditLog, ledgers, ledgerTasks, problems, taskUnits, unitMembers, units, userRoles, users } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { PROBLEM_TEXT_MAX, allowedProblemEvents, problemRelationsOf, transitionProblem, type ProblemEvent, type ProblemEventType, type ProblemState } from '../domain/ledger/problem-state.js';
import type { Actor } from '../domain/roles.js';
import { DomainError } from '../errors.js';
import { recordAudit } from './audit.js';
import type { ServiceCtx } from './context.js';
import { findLedger, ledgerById } from './ledgers.js';

export type ProblemRow = typeof problems.$inferSelect;
type Viewer = Pick<Actor, 'openId' | 'roles' | 'units'>;

export interface ProblemView {
  id: number;
  ledgerTitle: string;
  description: string;
  state: ProblemState;
  task: { id: number; code: string; title: string } | undefined;
  unit: { id: number; name: string } | undefined;
  resolution: string | null;
  escalationReason: string | undefined;
  registeredBy: { openId: string; name: string | undefined };
  createdAt: Date;
  allowed: ProblemEventType[];
}

export interface ProblemFormContext {
  ledger: { id: number; title: string };
  tasks: { id: number; code: string; title: string }[];
  units: { id: number; name: string }[];
}

export interface ProblemFormValues {
  description?: string;
  task?: string;
  unit?: string;
}
export type ProblemFormErrors = Partial<Record<keyof ProblemFormValues, string>>;

const FORM_TASKS = 100;

/** Which ledger a problem goes into: by id (the form's payload), by title (typed), else the only active one. */
export type LedgerChoice = { ledgerId?: number | undefined; ledgerTitle?: string | undefined };

/** What the /问题 登记 form offers: the ledger's tasks (the person's own first) and every unit. */
export async function problemFormContext({ ctx, actor, ledger: choice = {} }: { ctx: ServiceCtx; actor: Viewer; ledger?: LedgerChoice }): Promise<ProblemFormContext> {
  const ledger = choice.ledgerId !== undefined ? await ledgerById(ctx.db, choice.ledgerId) : await findLedger({ ctx, title: choice.ledgerTitle });
  const [taskRows, unitRows, tu] = await Promise.all([
    ctx.db.select({ id: ledgerTasks.id, code: ledgerTasks.code, title: ledgerTasks.title, owner: ledgerTasks.ownerOpenId }).from(ledgerTasks).where(eq(ledgerTasks.ledgerId, ledger.id)).orderBy(ledgerTasks.id),
    ctx.db.select({ id: units.id, name: units.name }).from(units).orderBy(units.id),
    ctx.db.select({ taskId: taskUnits.taskId, unitId: taskUnits.unitId }).from(taskUnits),
  ]);
  const mine = new Set(actor.units.map((u) => u.unitId));
  const isMine = (t: { id: number; owner: string }) => t.owner === actor.openId || tu.some((x) => x.taskId === t.id && mine.has(x.unitId));
  const tasks = [...taskRows.filter(isMine), ...taskRows.filter((t) => !isMine(t))].slice(0, FORM_TASKS).map(({ owner: _o, ...t }) => t);
  return { ledger: { id: ledger.id, title: ledger.title }, tasks, units: unitRows };
}

export function readProblemForm(raw: Record<string, unknown> | undefined): ProblemFormValues {
  const out: ProblemFormValues = {};
  for (const k of ['description', 'task', 'unit'] as const) {
    const v = raw?.[k];
    if (typeof v === 'string') out[k] = v.slice(0, PROBLEM_TEXT_MAX + 10);
  }
  return out;
}

async function liaisonsOf(db: Db, unitId: number): Promise<string[]> {
  const rows = await db.select({ openId: unitMembers.userOpenId }).from(unitMembers).where(and(eq(unitMembers.unitId, unitId), eq(unitMembers.role, 'liaison')));
  return rows.map((r) => r.openId);
}

export type RegisterOutcome =
  | { kind: 'invalid'; errors: ProblemFormErrors; values: ProblemFormValues; context: ProblemFormContext }
  | { kind: 'created' | 'duplicate'; view: ProblemView };

/** Registers a problem from the form, at once (state open); one per form key, so a double click registers one. */
export async function registerProblem({ ctx, actor, input }: { ctx: ServiceCtx; actor: Viewer; input: { formKey: string; ledgerId?: number | undefined; form: Record<string, unknown> | undefined } }): Promise<RegisterOutcome> {
  const [again] = await ctx.db.select().from(problems).where(eq(problems.formKey, input.formKey));
  if (again) return { kind: 'duplicate', view: await problemView(ctx.db, again, actor) };
  const values = readProblemForm(input.form);
  const context = await problemFormContext({ ctx, actor, ledger: { ledgerId: input.ledgerId } });
  const errors: ProblemFormErrors = {};
  const description = (values.description ?? '').trim();
  if (description === '') errors.description = '请描述问题：哪里卡住了、影响了什么。';
  else if ([...description].length > PROBLEM_TEXT_MAX) errors.description = `问题描述不能超过 ${PROBLEM_TEXT_MAX} 字，请精简。`;
  const task = values.task ? context.tasks.find((t) => String(t.id) === values.task) : undefined;
  if (values.task && !task) errors.task = '请重新选择相关任务。';
  const unit = values.unit ? context.units.find((u) => String(u.id) === values.unit) : undefined;
  if (values.unit && !unit) errors.unit = '请重新选择责任单位。';
  if (Object.keys(errors).length) return { kind: 'invalid', errors, values, context };

  const leadUnit = task ? (await ctx.db.select({ unitId: taskUnits.unitId }).from(taskUnits).where(and(eq(taskUnits.taskId, task.id), eq(taskUnits.role, 'lead'))))[0] : undefined;
  const at = ctx.clock.now();
  const [row] = await ctx.db
    .insert(problems)
    .values({
      ledgerId: context.ledger.id,
      taskId: task?.id ?? null,
      description,
      responsibleUnitId: unit?.id ?? leadUnit?.unitId ?? null,
      registeredBy: actor.openId,
      formKey: input.formKey,
      createdAt: at,
      updatedAt: at,
    })
    .onConflictDoNothing({ target: problems.formKey })
    .returning();
  if (!row) {
    const [raced] = await ctx.db.select().from(problems).where(eq(problems.formKey, input.formKey));
    if (!raced) throw new Error(`problem form ${input.formKey} conflicted but is not there`);
    return { kind: 'duplicate', view: await problemView(ctx.db, raced, actor) };
  }
  await recordAudit(ctx.db, { at, actorOpenId: actor.openId, action: 'problem.register', entityType: 'problem', entityId: String(row.id), after: row });
  return { kind: 'created', view: await problemView(ctx.db, row, actor) };
}

async function taskLeaderOf(db: Db, taskId: number | null): Promise<string | null> {
  if (taskId === null) return null;
  const [t] = await db.select({ leader: ledgerTasks.responsibleLeaderOpenId }).from(ledgerTasks).where(eq(ledgerTasks.id, taskId));
  return t?.leader ?? null;
}

/** Admin; the registrant; members of the responsible unit; leaders for escalated problems and their own tasks' problems. */
export function canViewProblem(viewer: Viewer, row: Pick<ProblemRow, 'registeredBy' | 'responsibleUnitId' | 'state'>, taskLeader: string | null): boolean {
  if (viewer.roles.includes('admin') || viewer.openId === row.registeredBy || viewer.openId === taskLeader) return true;
  if (row.responsibleUnitId !== null && viewer.units.some((u) => u.unitId === row.responsibleUnitId)) return true;
  return viewer.roles.includes('leader') && row.state === 'escalated';
}

export async function problemView(db: Db, row: ProblemRow, viewer: Viewer): Promise<ProblemView> {
  if (!canViewProblem(viewer, row, await taskLeaderOf(db, row.taskId))) throw new DomainError('problem.viewForbidden');
  const [[ledger], [task], [unit], [person], [escalation]] = await Promise.all([
    db.select({ title: ledgers.title }).from(ledgers).where(eq(ledgers.id, row.ledgerId)),
    row.taskId === null ? Promise.resolve([]) : db.select({ id: ledgerTasks.id, code: ledgerTasks.code, title: ledgerTasks.title }).from(ledgerTasks).where(eq(ledgerTasks.id, row.taskId)),
    row.responsibleUnitId === null ? Promise.resolve([]) : db.select({ id: units.id, name: units.name }).from(units).where(eq(units.id, row.responsibleUnitId)),
    db.select({ name: users.name }).from(users).where(eq(users.openId, row.registeredBy)),
    row.state === 'escalated'
      ? db.select({ reason: auditLog.reason }).from(auditLog).where(and(eq(auditLog.entityType, 'problem'), eq(auditLog.entityId, String(row.id)), eq(auditLog.action, 'problem.escalate'))).orderBy(desc(auditLog.id)).limit(1)
      : Promise.resolve([]),
  ]);
  return {
    id: row.id,
    ledgerTitle: ledger?.title ?? '',
    description: row.description,
    state: row.state,
    task,
    unit,
    resolution: row.resolution,
    escalationReason: escalation?.reason ?? undefined,
    registeredBy: { openId: row.registeredBy, name: person?.name ?? undefined },
    createdAt: row.createdAt,
    allowed: allowedProblemEvents(row.state, problemRelationsOf(viewer, row)),
  };
}

export async function viewProblem({ ctx, viewer, problemId }: { ctx: ServiceCtx; viewer: Viewer; problemId: number }): Promise<ProblemView> {
  const [row] = await ctx.db.select().from(problems).where(eq(problems.id, problemId));
  if (!row) throw new DomainError('problem.notFound', { id: problemId });
  return problemView(ctx.db, row, viewer);
}

export interface ProblemLine {
  id: number;
  description: string;
  state: ProblemState;
  unitName: string | undefined;
  taskCode: string | undefined;
}

/** /问题 列表: all for the admin; else the person's own, their units', and (leaders) escalated ones. Open ones first. */
export async function listProblems({ ctx, viewer }: { ctx: ServiceCtx; viewer: Viewer }): Promise<ProblemLine[]> {
  const unitIds = viewer.units.map((u) => u.unitId);
  const scope = viewer.roles.includes('admin')
    ? undefined
    : or(
        eq(problems.registeredBy, viewer.openId),
        ...(unitIds.length ? [inArray(problems.responsibleUnitId, unitIds)] : []),
        ...(viewer.roles.includes('leader') ? [eq(problems.state, 'escalated'), eq(ledgerTasks.responsibleLeaderOpenId, viewer.openId)] : []),
      );
  const rows = await ctx.db
    .select({ id: problems.id, description: problems.description, state: problems.state, unitName: units.name, taskCode: ledgerTasks.code })
    .from(problems)
    .innerJoin(ledgers, eq(ledgers.id, problems.ledgerId))
    .leftJoin(units, eq(units.id, problems.responsibleUnitId))
    .leftJoin(ledgerTasks, eq(ledgerTasks.id, problems.taskId))
    .where(and(eq(ledgers.status, 'active'), scope))
    .orderBy(desc(problems.id))
    .limit(200);
  const order: ProblemState[] = ['open', 'escalated', 'assigned', 'resolved'];
  return rows
    .map((r) => ({ ...r, unitName: r.unitName ?? undefined, taskCode: r.taskCode ?? undefined }))
    .sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state) || b.id - a.id);
}

/**
 * Who is asked to study an escalated problem (提请研究): the responsible leader of its related task when it names one,
 * else every holder of the leader role (they may all see escalated problems).
 */
async function leadersToTell(db: Db, taskId: number | null): Promise<string[]> {
  const taskLeader = await taskLeaderOf(db, taskId);
  if (taskLeader) return [taskLeader];
  const rows = await db.select({ openId: userRoles.userOpenId }).from(userRoles).where(eq(userRoles.role, 'leader'));
  return rows.map((r) => r.openId).sort();
}

async function escalationCount(db: Db, problemId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(auditLog)
    .where(and(eq(auditLog.entityType, 'problem'), eq(auditLog.entityId, String(problemId)), eq(auditLog.action, 'problem.escalate')));
  return row?.n ?? 0;
}

export type ProblemChange =
  /**
   * `notifyOpenIds`: after 分办 the liaisons of the new unit, after 提请研究 the leaders asked to study it (never the
   * actor). `escalation` numbers the escalations of this problem (1 for the first), so each is pushed once.
   */
  | { kind: 'done'; view: ProblemView; event: ProblemEvent; notifyOpenIds: string[]; escalation?: number }
  | { kind: 'invalid'; message: string; view: ProblemView };

/** Routes, resolves or escalates a problem; refused moves throw a DomainError and change nothing. */
export async function changeProblem({ ctx, actor, input }: { ctx: ServiceCtx; actor: Viewer; input: { problemId: number; event: ProblemEvent } }): Promise<ProblemChange> {
  const [row] = await ctx.db.select().from(problems).where(eq(problems.id, input.problemId)).for('update');
  if (!row) throw new DomainError('problem.notFound', { id: input.problemId });
  const view = () => problemView(ctx.db, row, actor);
  const result = transitionProblem(row.state, row.responsibleUnitId, input.event, problemRelationsOf(actor, row));
  if (!result.ok) {
    if (result.code === 'text_required' || result.code === 'too_long' || result.code === 'same_unit') return { kind: 'invalid', message: result.message, view: await view() };
    throw new DomainError('problem.rule', { message: result.message });
  }
  const { event, patch } = result.value;
  if (event.type === 'assign') {
    const [unit] = await ctx.db.select({ id: units.id }).from(units).where(eq(units.id, event.unitId));
    if (!unit) return { kind: 'invalid', message: '请选择责任单位。', view: await view() };
  }
  const at = ctx.clock.now();
  const [after] = await ctx.db.update(problems).set({ ...patch, updatedAt: at }).where(eq(problems.id, row.id)).returning();
  if (!after) throw new Error(`problem ${row.id} vanished under a row lock`);
  await recordAudit(ctx.db, {
    at,
    actorOpenId: actor.openId,
    action: `problem.${event.type}`,
    entityType: 'problem',
    entityId: String(row.id),
    before: { state: row.state, responsibleUnitId: row.responsibleUnitId },
    after: { state: after.state, responsibleUnitId: after.responsibleUnitId, resolution: after.resolution },
    reason: event.type === 'escalate' ? event.reason : undefined,
  });
  const changed = await problemView(ctx.db, after, actor);
  const others = (ids: string[]) => ids.filter((id) => id !== actor.openId);
  if (event.type === 'assign') return { kind: 'done', view: changed, event, notifyOpenIds: others(await liaisonsOf(ctx.db, event.unitId)) };
  if (event.type === 'escalate') {
    return { kind: 'done', view: changed, event, notifyOpenIds: others(await leadersToTell(ctx.db, after.taskId)), escalation: await escalationCount(ctx.db, row.id) };
  }
  return { kind: 'done', view: changed, event, notifyOpenIds: [] };
}
