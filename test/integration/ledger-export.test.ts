// The year-end ledger export on real SQL (PGlite, or PostgreSQL with TEST_DATABASE_URL), read back with exceljs:
// reports are read a page of tasks at a time, so the 进展汇报 sheet must come out whole and in task-code order
// however the pages fall (a page of one task, pages ending on a task without reports, one page for everything).
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/types.js';
import { exportLedger } from '../../src/services/ledger-export.js';
import { createTestDatabase, dbKind, type TestDatabase } from '../helpers/db.js';
import { addLedger, addPerson, addReport, addTask, addUnit, bj, type LedgerRow } from '../helpers/ledger-rows.js';

let test: TestDatabase;
let db: Db;
let ledger: LedgerRow;
let other: LedgerRow;
const NOW = bj('2026-12-30', '10:00');
// Codes inserted out of order; RW-003 has no reports; the other ledger's task sorts between them.
const TASKS = [
  { code: 'RW-004', weeks: [2, 1] },
  { code: 'RW-001', weeks: [1, 3, 2] },
  { code: 'RW-003', weeks: [] },
  { code: 'RW-002', weeks: [1] },
  { code: 'RW-005', weeks: [1, 2, 3, 4] },
];
/** What the 进展汇报 sheet must list: [task code, period label], by code and then due time. */
const expected = TASKS.flatMap((t) => [...t.weeks].sort((a, b) => a - b).map((w) => [t.code, `2026年第${w}周`]))
  .sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0));

async function read(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(new Uint8Array(bytes).buffer);
  return wb;
}

beforeAll(async () => {
  test = await createTestDatabase();
  db = test.database.db;
  const at = bj('2026-01-04');
  ledger = await addLedger(db, { title: '2026年改革台账', year: 2026, at });
  other = await addLedger(db, { title: '另一本台账', year: 2026, at });
  const unitId = await addUnit(db, '市发展改革委');
  await addPerson(db, 'ou_owner', '王专员');
  for (const t of TASKS) {
    const taskId = await addTask(db, { ledgerId: ledger.id, code: t.code, ownerOpenId: 'ou_owner', cadences: ['weekly'], leadUnitId: unitId, at });
    for (const w of t.weeks) {
      const dueAt = new Date(bj('2026-01-09', '18:00').getTime() + (w - 1) * 7 * 86_400_000);
      await addReport(db, { taskId, cadence: 'weekly', periodKey: `2026-W${String(w).padStart(2, '0')}`, dueAt, at: new Date(dueAt.getTime() - 3_600_000), by: 'ou_owner' });
    }
  }
  const stray = await addTask(db, { ledgerId: other.id, code: 'RW-0025', ownerOpenId: 'ou_owner', cadences: ['weekly'], at });
  await addReport(db, { taskId: stray, cadence: 'weekly', periodKey: '2026-W01', dueAt: bj('2026-01-09', '18:00'), at: bj('2026-01-09', '17:00'), by: 'ou_owner' });
});

afterAll(async () => {
  await test.cleanup();
});

describe(`ledger export (${dbKind})`, () => {
  it.each([1, 2, 3, 100])('lists every report of the ledger once, in task-code order, with %i task(s) per page', async (perPage) => {
    const file = await exportLedger(db, ledger, NOW, perPage);
    expect(file.counts).toEqual({ tasks: 5, reports: expected.length, letters: 0, problems: 0, redList: 0 });
    const wb = await read(file.bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['任务（四个清单）', '进展汇报', '督办函件', '问题库', '红榜']);
    const reports = wb.getWorksheet('进展汇报')!;
    expect(reports.rowCount).toBe(1 + expected.length);
    const listed = Array.from({ length: expected.length }, (_, i) => [reports.getRow(i + 2).getCell(1).value, reports.getRow(i + 2).getCell(3).value]);
    expect(listed).toEqual(expected);
    expect(reports.getRow(2).getCell(4).value).toBe('2026年1月9日 18:00');
    expect(reports.getRow(2).getCell(5).value).toBe('2026年1月9日 17:00');
    expect(reports.getRow(2).getCell(12).value).toBe('王专员');
  });

  it('writes a ledger without tasks as sheets with headers only', async () => {
    const empty = await addLedger(db, { title: '空台账', year: 2026, at: NOW });
    const file = await exportLedger(db, empty, NOW, 1);
    expect(file.counts).toEqual({ tasks: 0, reports: 0, letters: 0, problems: 0, redList: 0 });
    const wb = await read(file.bytes);
    expect(wb.worksheets.map((w) => w.rowCount)).toEqual([1, 1, 1, 1, 1]);
    expect(file.fileName).toBe('空台账-2026-12-30.xlsx');
  });
});
