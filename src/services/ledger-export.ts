// The year-end export (年底考核通报): one XLSX with a sheet per list: tasks with their four lists (任务、责任、措施、
// 结果), progress reports, letters, problems and the red list. Read-only; written through exceljs (xlsx-writer.ts).
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { ledgerTasks, letters, milestones, problems, progressReports, redList, taskUnits, units, users } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { formatChinaDateTime } from '../domain/campaign/china-time.js';
import { chinaDateOf } from '../domain/ledger/calendar.js';
import { letterKindLabels } from '../domain/ledger/letter-number.js';
import { cadenceLabels, cadenceOfKey, periodLabel, type Cadence } from '../domain/ledger/periods.js';
import { problemStateLabels } from '../domain/ledger/problem-state.js';
import { taskStateLabels } from '../domain/ledger/task-state.js';
import type { LedgerRow } from './ledger-outstanding.js';
import { letterNumberOf } from './letters.js';
import { writeXlsx, type Cell, type SheetSpec } from './xlsx-writer.js';

export interface LedgerExport {
  fileName: string;
  bytes: Buffer;
  counts: { tasks: number; reports: number; letters: number; problems: number; redList: number };
}

const subjectLabels = { task: '任务', unit: '单位', person: '个人' } as const;
const redListStatusLabels = { nominated: '已提名', published: '已发布', withdrawn: '已撤回' } as const;
const milestoneStatusLabels = { on_time: '按时', late: '滞后', done: '已完成' } as const;

const when = (d: Date | null): string => (d ? formatChinaDateTime(d) : '');

/** Period labels, computed once per period key (a weekly key's label takes calendar arithmetic). */
function labeller(): (key: string, cadence: Cadence) => string {
  const cache = new Map<string, string>();
  return (key, cadence) => {
    let text = cache.get(key);
    if (text === undefined) {
      text = periodLabel({ cadence: cadenceOfKey(key) ?? cadence, key });
      cache.set(key, text);
    }
    return text;
  };
}

interface ReportLine {
  taskId: number;
  cadence: Cadence;
  periodKey: string;
  due: string;
  at: string;
  late: boolean;
  pct: number;
  progress: string;
  problems: string;
  suggestions: string;
  milestones: { milestoneId: number; status: 'on_time' | 'late' | 'done' }[];
  by: string;
}

function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  if (result && typeof result === 'object' && 'rows' in result && Array.isArray(result.rows)) return result.rows as Record<string, unknown>[];
  return [];
}

/** Beijing wall-clock time as formatChinaDateTime writes it (2026年3月6日 18:00), computed by the database. */
const chinaText = (column: string) => sql.raw(`to_char((${column} at time zone 'UTC') + interval '8 hours', 'YYYY"年"FMMM"月"FMDD"日" HH24:MI')`);

/**
 * The reports of the tasks whose codes lie in [first, last], lean: a raw query with the times already written out,
 * because mapping a hundred thousand rows into Dates and formatting them again dominates the export otherwise.
 */
async function reportsOf(db: Db, ledgerId: number, first: string, last: string): Promise<ReportLine[]> {
  const result = await db.execute(sql`
    select r.task_id, r.cadence, r.period_key, ${chinaText('r.due_at')} as due, ${chinaText('r.submitted_at')} as at, r.late, r.percent_complete,
           r.progress, r.problems, r.suggestions, r.milestone_status, r.submitted_by
    from ${progressReports} r join ${ledgerTasks} t on t.id = r.task_id
    where t.ledger_id = ${ledgerId} and t.code >= ${first} and t.code <= ${last}
    order by t.code, r.due_at`);
  return rowsOf(result).map((r) => {
    const ms = typeof r.milestone_status === 'string' ? (JSON.parse(r.milestone_status) as unknown) : r.milestone_status;
    return {
      taskId: Number(r.task_id),
      cadence: String(r.cadence) as Cadence,
      periodKey: String(r.period_key),
      due: String(r.due),
      at: String(r.at),
      late: r.late === true,
      pct: Number(r.percent_complete),
      progress: String(r.progress),
      problems: String(r.problems),
      suggestions: String(r.suggestions),
      milestones: Array.isArray(ms) ? (ms as ReportLine['milestones']) : [],
      by: String(r.submitted_by),
    };
  });
}

/** Tasks per page of reports: a weekly task has ~50 reports a year, so a page is a few thousand rows. */
export const TASKS_PER_REPORT_PAGE = 100;

/**
 * Every report of the ledger (tasks in code order), a page of tasks at a time. The first page is asked for at once
 * and each next one before the current one is handed on, so the database works while the sheets are written.
 */
function reportPages(db: Db, ledgerId: number, codes: readonly string[], tasksPerPage: number): AsyncIterable<ReportLine[]> {
  const page = (from: number): Promise<ReportLine[]> => {
    const pending = reportsOf(db, ledgerId, codes[from] ?? '', codes[Math.min(from + tasksPerPage, codes.length) - 1] ?? '');
    // Awaited when its turn comes; if the writer fails first and never gets there, its failure must not go unhandled.
    pending.catch(() => undefined);
    return pending;
  };
  const first = codes.length > 0 ? page(0) : undefined;
  return (async function* () {
    let next = first;
    for (let from = 0; next; from += tasksPerPage) {
      const lines = await next;
      next = from + tasksPerPage < codes.length ? page(from + tasksPerPage) : undefined;
      yield lines;
    }
  })();
}

type Row = Record<string, string | number>;

/**
 * A sheet from rows keyed like its columns, added to `sheets`; `source` is a list or pages from a query. Returns how
 * many rows it wrote, known once the workbook is written.
 */
function sheet<T>(
  sheets: SheetSpec[],
  name: string,
  columns: readonly [key: string, header: string, width: number][],
  source: readonly T[] | AsyncIterable<readonly T[]>,
  toRow: (item: T) => Row,
): () => number {
  const keys = columns.map(([key]) => key);
  let written = 0;
  // Rows are made as the writer asks for them, so a big sheet never holds a second copy of its data.
  function* rowsOf(items: readonly T[]): Generator<Cell[]> {
    for (const item of items) {
      const row = toRow(item);
      written++;
      yield keys.map((k) => row[k]);
    }
  }
  async function* pages(): AsyncGenerator<Iterable<Cell[]>> {
    for await (const items of source as AsyncIterable<readonly T[]>) yield rowsOf(items);
  }
  const rows = Array.isArray(source) ? rowsOf(source as readonly T[]) : pages();
  sheets.push({ name, columns: columns.map(([, header, width]) => ({ header, width })), rows });
  return () => written;
}

/** Builds the workbook of one ledger. */
export async function exportLedger(db: Db, ledger: Pick<LedgerRow, 'id' | 'title' | 'year'>, now: Date, tasksPerReportPage = TASKS_PER_REPORT_PAGE): Promise<LedgerExport> {
  const tasks = await db.select().from(ledgerTasks).where(eq(ledgerTasks.ledgerId, ledger.id)).orderBy(asc(ledgerTasks.code));
  const ids = db.select({ id: ledgerTasks.id }).from(ledgerTasks).where(eq(ledgerTasks.ledgerId, ledger.id));
  const [unitRows, milestoneRows, letterRows, problemRows, redRows, people, allUnits] = await Promise.all([
    db.select().from(taskUnits).where(inArray(taskUnits.taskId, ids)),
    db.select().from(milestones).where(inArray(milestones.taskId, ids)).orderBy(asc(milestones.dueAt), asc(milestones.id)),
    db.select().from(letters).where(eq(letters.ledgerId, ledger.id)).orderBy(asc(letters.kind), asc(letters.year), asc(letters.number)),
    db.select().from(problems).where(eq(problems.ledgerId, ledger.id)).orderBy(asc(problems.id)),
    db.select().from(redList).where(eq(redList.ledgerId, ledger.id)).orderBy(asc(redList.id)),
    db.select({ openId: users.openId, name: users.name }).from(users),
    db.select({ id: units.id, name: units.name }).from(units),
  ]);
  const nameOf = new Map(people.map((p) => [p.openId, p.name]));
  const label = labeller();
  const person = (openId: string | null): string => (openId ? (nameOf.get(openId) ?? openId) : '');
  const unitName = new Map(allUnits.map((u) => [u.id, u.name]));
  const byTask = new Map(tasks.map((t) => [t.id, t]));
  const lead = new Map<number, string[]>();
  const coop = new Map<number, string[]>();
  for (const u of unitRows) {
    const target = u.role === 'lead' ? lead : coop;
    target.set(u.taskId, [...(target.get(u.taskId) ?? []), unitName.get(u.unitId) ?? String(u.unitId)]);
  }
  const plans = new Map<number, string[]>();
  for (const m of milestoneRows) {
    const state = m.doneAt ? `已完成 ${when(m.doneAt)}` : '未完成';
    const line = `${m.source === 'rectification' ? '【整改】' : ''}${m.title}（${when(m.dueAt)}，${state}）`;
    plans.set(m.taskId, [...(plans.get(m.taskId) ?? []), line]);
  }

  const wb: SheetSpec[] = [];

  const written = {
    tasks: sheet(
      wb,
      '任务（四个清单）',
      [
        ['code', '编号', 12], ['title', '任务清单：改革任务', 40], ['measure', '所属措施', 20], ['lead', '责任清单：牵头单位', 18], ['coop', '配合单位', 24],
        ['leader', '分管领导', 10], ['owner', '改革专员（专人）', 12], ['plan', '措施清单：措施和时间节点', 60], ['cadence', '汇报频次', 14],
        ['expected', '结果清单：预期成果', 30], ['actual', '实际成果', 30], ['state', '状态', 10], ['reason', '状态说明', 24], ['review', '下次复核日期', 12],
      ],
      tasks,
      (t) => ({
        code: t.code, title: t.title, measure: t.measure ?? '', lead: (lead.get(t.id) ?? []).join('、'), coop: (coop.get(t.id) ?? []).join('、'),
        leader: person(t.responsibleLeaderOpenId), owner: person(t.ownerOpenId), plan: (plans.get(t.id) ?? []).join('\n'),
        cadence: t.cadences.map((c: Cadence) => cadenceLabels[c]).join('、'), expected: t.expectedResult ?? '', actual: t.actualResult ?? '',
        state: taskStateLabels[t.state], reason: t.stateReason ?? '', review: t.nextReviewOn ?? '',
      }),
    ),
    reports: sheet(
      wb,
      '进展汇报',
      [
        ['code', '任务编号', 12], ['title', '任务', 30], ['period', '汇报期', 14], ['due', '截止时间', 18], ['at', '提交时间', 18], ['late', '是否逾期', 8],
        ['pct', '完成进度(%)', 10], ['progress', '进展情况', 40], ['problems', '存在问题', 30], ['suggestions', '对策建议', 30], ['milestones', '节点情况', 30], ['by', '填报人', 10],
      ],
      reportPages(db, ledger.id, tasks.map((t) => t.code), tasksPerReportPage),
      (r) => ({
        code: byTask.get(r.taskId)?.code ?? '', title: byTask.get(r.taskId)?.title ?? '', period: label(r.periodKey, r.cadence), due: r.due, at: r.at,
        late: r.late ? '是' : '否', pct: r.pct, progress: r.progress, problems: r.problems, suggestions: r.suggestions,
        milestones: r.milestones.map((m) => `#${m.milestoneId} ${milestoneStatusLabels[m.status]}`).join('；'), by: person(r.by),
      }),
    ),
    letters: sheet(
      wb,
      '督办函件',
      [
        ['number', '文号', 18], ['kind', '类型', 8], ['code', '任务编号', 12], ['title', '任务', 30], ['reason', '事由', 40], ['issued', '发函时间', 18], ['rectify', '整改期限', 18],
        ['to', '主送', 20], ['cc', '抄送', 14], ['ack', '签收时间', 18], ['ackBy', '签收人', 10], ['plan', '整改方案', 40], ['planDue', '整改完成日期', 18],
      ],
      letterRows,
      (l) => ({
        number: letterNumberOf(l), kind: letterKindLabels[l.kind], code: byTask.get(l.taskId)?.code ?? '', title: byTask.get(l.taskId)?.title ?? '', reason: l.reason,
        issued: when(l.issuedAt), rectify: when(l.rectifyBy), to: l.recipients.map(person).join('、'), cc: l.cc.map(person).join('、'),
        ack: when(l.acknowledgedAt), ackBy: person(l.acknowledgedBy), plan: l.planText ?? '', planDue: when(l.planDueAt),
      }),
    ),
    problems: sheet(
      wb,
      '问题库',
      [['id', '编号', 8], ['description', '问题描述', 50], ['task', '关联任务', 14], ['unit', '责任单位', 18], ['state', '状态', 10], ['resolution', '办理结果', 40], ['by', '登记人', 10], ['at', '登记时间', 18], ['updated', '更新时间', 18]],
      problemRows,
      (p) => ({
        id: p.id, description: p.description, task: p.taskId ? (byTask.get(p.taskId)?.code ?? '') : '', unit: p.responsibleUnitId ? (unitName.get(p.responsibleUnitId) ?? '') : '',
        state: problemStateLabels[p.state], resolution: p.resolution ?? '', by: person(p.registeredBy), at: when(p.createdAt), updated: when(p.updatedAt),
      }),
    ),
    redList: sheet(
      wb,
      '红榜',
      [['id', '编号', 8], ['type', '类型', 8], ['subject', '对象', 30], ['reason', '事由', 50], ['status', '状态', 10], ['withdraw', '撤回理由', 30], ['by', '提名人', 10], ['published', '发布时间', 18]],
      redRows,
      (r) => ({
        id: r.id, type: subjectLabels[r.subjectType], subject: r.subjectName, reason: r.reason, status: redListStatusLabels[r.status],
        withdraw: r.withdrawReason ?? '', by: person(r.nominatedBy), published: when(r.publishedAt),
      }),
    ),
  };
  const bytes = await writeXlsx(wb, { creator: '改革创新助手', created: now });
  const counts = { tasks: written.tasks(), reports: written.reports(), letters: written.letters(), problems: written.problems(), redList: written.redList() };
  return { fileName: `${ledger.title}-${chinaDateOf(now)}.xlsx`, bytes, counts };
}

/** Only the counts, for a quick summary without building the file. */
export async function exportCounts(db: Db, ledgerId: number): Promise<LedgerExport['counts']> {
  const ids = db.select({ id: ledgerTasks.id }).from(ledgerTasks).where(eq(ledgerTasks.ledgerId, ledgerId));
  const [tasks, reports, ls, ps, rs] = await Promise.all([
    db.$count(ledgerTasks, eq(ledgerTasks.ledgerId, ledgerId)),
    db.$count(progressReports, inArray(progressReports.taskId, ids)),
    db.$count(letters, eq(letters.ledgerId, ledgerId)),
    db.$count(problems, eq(problems.ledgerId, ledgerId)),
    db.$count(redList, eq(redList.ledgerId, ledgerId)),
  ]);
  return { tasks, reports, letters: ls, problems: ps, redList: rs };
}
