// Tasks into a ledger in bulk: from a table (all rows or none; existing tasks matched by code or title are updated)
// and from a campaign topic on the confirmed list (seed 000 §四.3), keeping its unit, main creators and a link back.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { campaigns, ledgers, ledgerTasks, milestones, submissions, taskUnits } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { chinaDateOf, chinaInstantOn } from '../domain/ledger/calendar.js';
import { taskImportFormat, validateTaskRows, type TaskDraft, type TaskImportRow } from '../domain/ledger/task-import.js';
import { MAX_IMPORT_ROWS, matchHeader, nonBlankRows, type RowProblem } from '../domain/unit-import.js';
import { DomainError } from '../errors.js';
import { recordAudit } from './audit.js';
import type { ServiceCtx } from './context.js';
import { findLedger, ledgerById, type LedgerRow } from './ledgers.js';
import { insertTask, loadTaskLookups, setTaskUnits, type TaskRow } from './ledger-tasks.js';
import type { Table } from './unit-import.js';

export type TaskImportResult =
  | { kind: 'badHeader'; missing: string[]; unknown: string[]; duplicate: string[] }
  | { kind: 'rejected'; rowCount: number; problems: RowProblem[] }
  | { kind: 'done'; rowCount: number; ledgerTitles: string[]; created: string[]; updated: string[]; unchanged: string[] };

const statusLabels: Record<string, string> = { submitted: '已提交', withdrawn: '已撤回', recommended: '已推荐', returned: '已退回', confirmed: '已确认' };

interface Planned {
  row: TaskImportRow;
  ledger: LedgerRow;
  existing: TaskRow | undefined;
}

/** Finds each row's ledger and existing task; rows that cannot be placed become problems. */
async function place(ctx: ServiceCtx, rows: readonly TaskImportRow[]): Promise<{ planned: Planned[]; problems: RowProblem[] }> {
  const { db } = ctx;
  const all = await db.select().from(ledgers);
  let fallback: LedgerRow | DomainError | undefined;
  const defaultLedger = async (): Promise<LedgerRow | DomainError> => {
    fallback ??= await findLedger({ ctx }).catch((e: unknown) => {
      if (e instanceof DomainError) return e;
      throw e;
    });
    return fallback;
  };
  const planned: Planned[] = [];
  const problems: RowProblem[] = [];
  for (const row of rows) {
    const ledger = row.ledgerTitle ? all.find((l) => l.title === row.ledgerTitle) : await defaultLedger();
    if (!ledger) {
      problems.push({ rowNumber: row.rowNumber, reason: `台账“${row.ledgerTitle}”不存在，现有台账：${all.map((l) => l.title).join('、') || '无'}` });
      continue;
    }
    if (ledger instanceof DomainError) {
      if (ledger.code === 'ledger.none') throw ledger;
      problems.push({ rowNumber: row.rowNumber, reason: `现在有多个进行中的台账，请在“台账”列写明这一行属于哪个台账` });
      continue;
    }
    const where = row.code ? eq(ledgerTasks.code, row.code) : eq(ledgerTasks.title, row.draft.title);
    const [existing] = await db.select().from(ledgerTasks).where(and(eq(ledgerTasks.ledgerId, ledger.id), where)).for('update');
    if (row.code && !existing) problems.push({ rowNumber: row.rowNumber, reason: `任务编号“${row.code}”在台账“${ledger.title}”中不存在；新任务请把编号留空` });
    else if (existing?.state === 'closed') problems.push({ rowNumber: row.rowNumber, reason: `任务 ${existing.code} 已销号，不能再通过导入修改` });
    else planned.push({ row, ledger, existing });
  }
  return { planned, problems };
}

const same = (a: readonly unknown[], b: readonly unknown[]): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Brings an existing task up to a row; empty optional cells leave stored values alone. Returns whether anything changed. */
async function updateFromRow(db: Db, task: TaskRow, row: TaskImportRow, meta: { at: Date; actorOpenId: string | null }): Promise<boolean> {
  const d = row.draft;
  const fields = {
    title: d.title,
    ownerOpenId: d.ownerOpenId,
    cadences: d.cadences,
    ...(row.filled.measure ? { measure: d.measure ?? null } : {}),
    ...(row.filled.leader ? { responsibleLeaderOpenId: d.responsibleLeaderOpenId ?? null } : {}),
    ...(row.filled.expected ? { expectedResult: d.expectedResult ?? null } : {}),
  };
  const changedFields = Object.entries(fields).filter(([k, v]) => JSON.stringify(task[k as keyof TaskRow]) !== JSON.stringify(v)).map(([k]) => k);

  const tu = await db.select().from(taskUnits).where(eq(taskUnits.taskId, task.id));
  const lead = tu.find((u) => u.role === 'lead')?.unitId;
  const coop = tu.filter((u) => u.role === 'cooperating').map((u) => u.unitId).sort((a, b) => a - b);
  const wantedCoop = row.filled.cooperating ? [...d.cooperatingUnitIds].sort((a, b) => a - b) : coop.filter((u) => u !== d.leadUnitId);
  const unitsChanged = lead !== d.leadUnitId || !same(coop, wantedCoop);
  if (unitsChanged) await setTaskUnits(db, task.id, d.leadUnitId, wantedCoop);

  let milestonesChanged = false;
  if (row.filled.milestones) {
    const open = await db.select().from(milestones).where(and(eq(milestones.taskId, task.id), eq(milestones.source, 'plan'), isNull(milestones.doneAt)));
    const have = open.map((m) => `${chinaDateOf(m.dueAt)} ${m.title}`).sort();
    const want = d.milestones.map((m) => `${m.dueOn} ${m.title}`).sort();
    if (!same(have, want)) {
      milestonesChanged = true;
      if (open.length) await db.delete(milestones).where(inArray(milestones.id, open.map((m) => m.id)));
      if (d.milestones.length) await db.insert(milestones).values(d.milestones.map((m) => ({ taskId: task.id, title: m.title, dueAt: chinaInstantOn(m.dueOn), source: 'plan' as const })));
    }
  }
  if (!changedFields.length && !unitsChanged && !milestonesChanged) return false;
  await db.update(ledgerTasks).set({ ...fields, version: task.version + 1, updatedAt: meta.at }).where(eq(ledgerTasks.id, task.id));
  const before = Object.fromEntries(changedFields.map((k) => [k, task[k as keyof TaskRow]]));
  const after = Object.fromEntries(changedFields.map((k) => [k, fields[k as keyof typeof fields]]));
  await recordAudit(db, { ...meta, action: 'task.update', entityType: 'ledger_task', entityId: String(task.id), before, after: { ...after, unitsChanged, milestonesChanged } });
  return true;
}

/** Imports a task table: all rows or none, in the caller's transaction (a savepoint, so a failure writes nothing). */
export async function importTasks({ ctx, input, actorOpenId }: { ctx: ServiceCtx; input: { table: Table }; actorOpenId: string | null }): Promise<TaskImportResult> {
  const { table } = input;
  const match = matchHeader(table.header.cells, taskImportFormat);
  if (!match.ok) return { kind: 'badHeader', missing: match.missing, unknown: match.unknown, duplicate: match.duplicate };
  const dataRows = nonBlankRows(table.rows);
  if (dataRows.length === 0) throw new DomainError('import.noRows', { file: table.source });
  if (dataRows.length > MAX_IMPORT_ROWS) throw new DomainError('import.tooManyRows', { file: table.source, max: MAX_IMPORT_ROWS, count: dataRows.length });

  return ctx.db.transaction(async (tx) => {
    const checked = validateTaskRows(dataRows, match.index, await loadTaskLookups(tx));
    if (!checked.ok) return { kind: 'rejected' as const, rowCount: dataRows.length, problems: checked.problems };
    const { planned, problems } = await place({ db: tx, clock: ctx.clock }, checked.rows);
    if (problems.length) return { kind: 'rejected' as const, rowCount: dataRows.length, problems: problems.sort((a, b) => a.rowNumber - b.rowNumber) };

    const meta = { at: ctx.clock.now(), actorOpenId };
    const created: string[] = [];
    const updated: string[] = [];
    const unchanged: string[] = [];
    for (const p of planned) {
      if (!p.existing) {
        const task = await insertTask(tx, p.ledger, p.row.draft, meta);
        created.push(`${task.code} ${task.title}`);
      } else {
        (await updateFromRow(tx, p.existing, p.row, meta) ? updated : unchanged).push(`${p.existing.code} ${p.row.draft.title}`);
      }
    }
    const ledgerTitles = [...new Set(planned.map((p) => p.ledger.title))];
    await recordAudit(tx, { ...meta, action: 'task.import', entityType: 'import', entityId: table.source, after: { ledgerTitles, rowCount: dataRows.length, created: created.length, updated: updated.length, unchanged: unchanged.length } });
    return { kind: 'done' as const, rowCount: dataRows.length, ledgerTitles, created, updated, unchanged };
  });
}

/**
 * A confirmed campaign topic becomes a ledger task (seed 000 §四.3 组织实施: reform ledger, owners, timetable): its unit
 * leads, its first main creator owns it, and the task links back to the submission. Once per submission and ledger.
 */
export async function taskFromSubmission({ ctx, input, actorOpenId }: { ctx: ServiceCtx; input: { submissionId: number; ledgerId?: number | undefined }; actorOpenId: string | null }): Promise<{ created: boolean; task: TaskRow }> {
  const [sub] = await ctx.db.select().from(submissions).where(eq(submissions.id, input.submissionId)).for('update');
  if (!sub) throw new DomainError('task.submissionNotFound');
  if (sub.status !== 'confirmed') throw new DomainError('task.notConfirmed', { status: statusLabels[sub.status] ?? sub.status });
  const ledger = input.ledgerId !== undefined ? await ledgerById(ctx.db, input.ledgerId) : await findLedger({ ctx });
  const [existing] = await ctx.db.select().from(ledgerTasks).where(and(eq(ledgerTasks.ledgerId, ledger.id), eq(ledgerTasks.sourceSubmissionId, sub.id)));
  if (existing) return { created: false, task: existing };
  const [campaign] = await ctx.db.select({ name: campaigns.name }).from(campaigns).where(eq(campaigns.id, sub.campaignId));
  const draft: TaskDraft = {
    title: sub.title,
    measure: `${campaign?.name ?? '制度创新'}（${sub.trackingNo}）`,
    leadUnitId: sub.unitId,
    cooperatingUnitIds: [],
    responsibleLeaderOpenId: undefined,
    ownerOpenId: sub.mainCreators[0]?.openId ?? sub.submittedBy,
    milestones: [],
    cadences: ['monthly'],
    expectedResult: sub.fields.effect ?? sub.fields.innovation,
  };
  const task = await insertTask(ctx.db, ledger, draft, { at: ctx.clock.now(), actorOpenId, sourceSubmissionId: sub.id });
  return { created: true, task };
}
