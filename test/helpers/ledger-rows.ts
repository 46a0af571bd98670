// Ledger rows written straight to the tables (ledgers, units with liaisons, tasks with lead units, reports,
// milestones), so tests of letters, escalation, digests and exports do not depend on the ledger services.
import { ledgers, ledgerTasks, milestones, progressReports, taskUnits, unitMembers, units, users } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { defaultEscalationPolicy, type EscalationPolicy } from '../../src/domain/ledger/escalation.js';
import type { Cadence } from '../../src/domain/ledger/periods.js';
import type { TaskState } from '../../src/domain/ledger/task-state.js';

export type LedgerRow = typeof ledgers.$inferSelect;

export async function addPerson(db: Db, openId: string, name: string): Promise<void> {
  await db.insert(users).values({ openId, name }).onConflictDoNothing();
}

export async function addLedger(
  db: Db,
  o: { title: string; year: number; at: Date; noticeChatId?: string; mainLeaderOpenId?: string; policy?: EscalationPolicy },
): Promise<LedgerRow> {
  const [row] = await db
    .insert(ledgers)
    .values({ title: o.title, year: o.year, policy: o.policy ?? defaultEscalationPolicy, noticeChatId: o.noticeChatId ?? null, mainLeaderOpenId: o.mainLeaderOpenId ?? null, createdAt: o.at })
    .returning();
  if (!row) throw new Error('ledger not created');
  return row;
}

/** A unit with one liaison (also created as a user). */
export async function addUnit(db: Db, name: string, liaison?: { openId: string; name: string }): Promise<number> {
  const [row] = await db.insert(units).values({ name, type: 'department' }).returning({ id: units.id });
  if (!row) throw new Error('unit not created');
  if (liaison) {
    await addPerson(db, liaison.openId, liaison.name);
    await db.insert(unitMembers).values({ unitId: row.id, userOpenId: liaison.openId, role: 'liaison' });
  }
  return row.id;
}

export interface TaskSpec {
  ledgerId: number;
  code: string;
  title?: string;
  ownerOpenId: string;
  leaderOpenId?: string | null;
  cadences: Cadence[];
  leadUnitId?: number;
  cooperatingUnitIds?: number[];
  at: Date;
  state?: TaskState;
}

export async function addTask(db: Db, t: TaskSpec): Promise<number> {
  const [row] = await db
    .insert(ledgerTasks)
    .values({
      ledgerId: t.ledgerId,
      code: t.code,
      title: t.title ?? `任务 ${t.code}`,
      measure: '统筹协调',
      responsibleLeaderOpenId: t.leaderOpenId ?? null,
      ownerOpenId: t.ownerOpenId,
      cadences: t.cadences,
      expectedResult: '形成制度成果',
      state: t.state ?? 'in_progress',
      createdAt: t.at,
      updatedAt: t.at,
    })
    .returning({ id: ledgerTasks.id });
  if (!row) throw new Error('task not created');
  if (t.leadUnitId !== undefined) await db.insert(taskUnits).values({ taskId: row.id, unitId: t.leadUnitId, role: 'lead' });
  for (const unitId of t.cooperatingUnitIds ?? []) await db.insert(taskUnits).values({ taskId: row.id, unitId, role: 'cooperating' });
  return row.id;
}

export async function addReport(db: Db, r: { taskId: number; cadence: Cadence; periodKey: string; dueAt: Date; at: Date; by: string; percent?: number }): Promise<void> {
  await db.insert(progressReports).values({
    taskId: r.taskId,
    cadence: r.cadence,
    periodKey: r.periodKey,
    dueAt: r.dueAt,
    progress: '按计划推进',
    problems: '无',
    suggestions: '无',
    percentComplete: r.percent ?? 50,
    milestoneStatus: [],
    late: r.at.getTime() > r.dueAt.getTime(),
    submittedBy: r.by,
    submittedAt: r.at,
  });
}

export async function addMilestone(db: Db, m: { taskId: number; title: string; dueAt: Date; doneAt?: Date | null }): Promise<number> {
  const [row] = await db.insert(milestones).values({ taskId: m.taskId, title: m.title, dueAt: m.dueAt, doneAt: m.doneAt ?? null }).returning({ id: milestones.id });
  if (!row) throw new Error('milestone not created');
  return row.id;
}

/** 09:00 (or another time) Beijing on a date. */
export const bj = (date: string, time = '09:00'): Date => new Date(`${date}T${time}:00+08:00`);
