// Bulk set-up of units from a table: reading the table (exceljs for XLSX and CSV, also for rows
// pasted into a message) and the all-or-nothing import. Every row is validated before anything is
// written; then all of it is written in one transaction, each change with its audit row.
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { units } from '../../db/schema/index.js';
import {
  MAX_IMPORT_ROWS, matchHeader, nonBlankRows, unitImportFormat, validateUnitRows, type ExistingUnit, type GridRow, type RowProblem,
} from '../domain/unit-import.js';
import { DomainError } from '../errors.js';
import { recordAudit } from './audit.js';
import type { ServiceCtx } from './context.js';
import { addMember, assignLiaison, writeUnit, type WriteMeta } from './units.js';

/** A table as strings: the header row first, then data rows, numbered as the user sees them. */
export interface Table {
  /** The file name, or 粘贴的内容 for rows pasted into a message. */
  source: string;
  header: GridRow;
  rows: GridRow[];
}

export const PASTED_SOURCE = '粘贴的内容';

type Input = { fileName: string; bytes: Uint8Array } | { text: string };

/** Reads an XLSX or CSV file, or pasted rows (tab or comma separated), into a Table. */
export async function readTable(input: Input): Promise<Table> {
  const source = 'text' in input ? PASTED_SOURCE : input.fileName;
  const grid = 'text' in input ? await readCsv(input.text, source) : await readFile(input.fileName, input.bytes);
  const [header, ...rows] = nonBlankRows(grid);
  if (!header) throw new DomainError('import.noHeader', { file: source });
  return { source, header, rows };
}

async function readFile(fileName: string, bytes: Uint8Array): Promise<GridRow[]> {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase();
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  if (ext === 'xlsx' || (isZip && ext !== 'csv')) return readXlsx(bytes, fileName);
  if (ext === 'csv' || ext === 'tsv' || ext === 'txt') return readCsv(decodeText(bytes), fileName);
  throw new DomainError('import.unsupportedFile', { file: fileName });
}

async function readXlsx(bytes: Uint8Array, fileName: string): Promise<GridRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types its input as an ArrayBuffer; JSZip reads a copy of the bytes.
    await workbook.xlsx.load(bytes.slice().buffer);
  } catch {
    throw new DomainError('import.unreadable', { file: fileName });
  }
  // The first sheet with anything on it: workbooks often keep an empty "Sheet1" in front.
  const sheet = workbook.worksheets.find((s) => s.actualRowCount > 0);
  return sheet ? gridOf(sheet) : [];
}

/** Excel on Chinese Windows saves CSV as GB18030 unless told "UTF-8": accept both. */
function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

async function readCsv(text: string, source: string): Promise<GridRow[]> {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const delimiter = firstLine.includes('\t') ? '\t' : firstLine.includes(',') || !firstLine.includes('，') ? ',' : '，';
  const workbook = new ExcelJS.Workbook();
  try {
    // Identity map: cells stay the strings the user wrote (no guessing numbers or dates).
    const sheet = await workbook.csv.read(Readable.from([body]), { map: (value: unknown) => value, parserOptions: { delimiter } });
    return gridOf(sheet);
  } catch {
    throw new DomainError(source === PASTED_SOURCE ? 'import.badPaste' : 'import.unreadable', { file: source });
  }
}

function gridOf(sheet: ExcelJS.Worksheet): GridRow[] {
  const rows: GridRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c)));
    rows.push({ rowNumber, cells });
  });
  return rows;
}

function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  try {
    return cell.text ?? '';
  } catch {
    return String(value);
  }
}

export type UnitImportResult =
  | { kind: 'badHeader'; missing: string[]; unknown: string[]; duplicate: string[] }
  | { kind: 'rejected'; rowCount: number; problems: RowProblem[] }
  | { kind: 'done'; rowCount: number; created: string[]; updated: string[]; unchanged: string[]; liaisonsSet: number; membersAdded: number };

/**
 * Imports a units table: all rows or none. Existing units (by name) are updated, not duplicated;
 * a row's liaison replaces the unit's liaison (the old one stays a member); members are added,
 * never removed. Empty optional cells leave what is stored alone, except the two flags and the
 * parent, which the row states in full.
 */
export async function importUnits({ ctx, input, actorOpenId }: { ctx: ServiceCtx; input: { table: Table }; actorOpenId: string | null }): Promise<UnitImportResult> {
  const { table } = input;
  const match = matchHeader(table.header.cells, unitImportFormat);
  if (!match.ok) return { kind: 'badHeader', missing: match.missing, unknown: match.unknown, duplicate: match.duplicate };
  const dataRows = nonBlankRows(table.rows);
  if (dataRows.length === 0) throw new DomainError('import.noRows', { file: table.source });
  if (dataRows.length > MAX_IMPORT_ROWS) throw new DomainError('import.tooManyRows', { file: table.source, max: MAX_IMPORT_ROWS, count: dataRows.length });

  return ctx.db.transaction(async (tx) => {
    const existingRows = await tx.select({ id: units.id, name: units.name, type: units.type, parentId: units.parentId }).from(units);
    const nameById = new Map(existingRows.map((u) => [u.id, u.name]));
    const existing: ExistingUnit[] = existingRows.map((u) => ({ name: u.name, type: u.type, parentName: u.parentId === null ? undefined : nameById.get(u.parentId) }));
    const checked = validateUnitRows(dataRows, match.index, existing);
    if (!checked.ok) return { kind: 'rejected' as const, rowCount: dataRows.length, problems: checked.problems };

    const meta: WriteMeta = { at: ctx.clock.now(), actorOpenId };
    const idByName = new Map(existingRows.map((u) => [u.name, u.id]));
    const created: string[] = [];
    const updated: string[] = [];
    const unchanged: string[] = [];
    let liaisonsSet = 0;
    let membersAdded = 0;
    // Parents first, so a park can name a district created further down the same file.
    const ordered = [...checked.rows].sort((a, b) => Number(a.parentName !== undefined) - Number(b.parentName !== undefined));
    for (const row of ordered) {
      const parentId = row.parentName === undefined ? null : (idByName.get(row.parentName) ?? null);
      const { row: unit, change } = await writeUnit(tx, meta, {
        name: row.name,
        type: row.type,
        parentId,
        viceDepartmentLevel: row.viceDepartmentLevel,
        countyPartyOrGovernment: row.countyPartyOrGovernment,
      });
      idByName.set(unit.name, unit.id);
      let touched = change !== 'unchanged';
      if (row.liaison && (await assignLiaison(tx, meta, unit.id, row.liaison)).changed) {
        liaisonsSet++;
        touched = true;
      }
      for (const member of row.members) {
        if ((await addMember(tx, meta, unit.id, member)) === 'added') {
          membersAdded++;
          touched = true;
        }
      }
      (change === 'created' ? created : touched ? updated : unchanged).push(unit.name);
    }
    const summary = { rowCount: dataRows.length, created: created.length, updated: updated.length, unchanged: unchanged.length, liaisonsSet, membersAdded };
    await recordAudit(tx, { ...meta, action: 'unit.import', entityType: 'import', entityId: table.source, after: summary });
    return { kind: 'done' as const, rowCount: dataRows.length, created, updated, unchanged, liaisonsSet, membersAdded };
  });
}
