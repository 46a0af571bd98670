// The table writer behind the exports (exceljs), read back: sheet names, headers, strings with markup and
// control characters, numbers, blanks, columns past Z, the frozen header row.
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { writeXlsx } from '../../src/services/xlsx-writer.js';

async function read(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(new Uint8Array(bytes).buffer);
  return wb;
}

describe('xlsx writer', () => {
  it('writes sheets that a reader opens with the same values', async () => {
    const wide = Array.from({ length: 30 }, (_, i) => ({ header: `列${i + 1}`, width: 8 }));
    const bytes = await writeXlsx(
      [
        {
          name: '任务（四个清单）',
          columns: [
            { header: '编号', width: 12 },
            { header: '任务 & 说明', width: 40 },
            { header: '进度', width: 8 },
          ],
          rows: [
            ['RW2026-001', '深化<放管服>改革 & “一网通办”\n第二行', 35],
            ['RW2026-002', '含控制字符\u0001\u0008的文字😀', 0],
            ['RW2026-003', '', null],
          ],
        },
        { name: '宽表', columns: wide, rows: [wide.map((_, i) => i + 1)] },
      ],
      { creator: '改革创新助手', created: new Date('2026-12-30T01:00:00Z') },
    );
    const wb = await read(bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['任务（四个清单）', '宽表']);
    const ws = wb.getWorksheet('任务（四个清单）')!;
    expect(ws.rowCount).toBe(4);
    expect(ws.getRow(1).values).toEqual([undefined, '编号', '任务 & 说明', '进度']);
    expect(ws.getRow(2).getCell(2).value).toBe('深化<放管服>改革 & “一网通办”\n第二行');
    expect(ws.getRow(2).getCell(3).value).toBe(35);
    expect(ws.getRow(3).getCell(2).value).toBe('含控制字符的文字😀');
    expect(ws.getRow(3).getCell(3).value).toBe(0);
    expect(ws.getRow(4).getCell(2).value).toBeNull();
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getColumn(2).width).toBe(40);
    const w = wb.getWorksheet('宽表')!;
    expect(w.getRow(2).getCell(30).value).toBe(30);
    expect(w.getRow(1).getCell(27).value).toBe('列27');
  });

  it('writes rows that arrive in batches from an async source, in order, across many yields to the event loop', async () => {
    async function* batches(): AsyncGenerator<(string | number)[][]> {
      for (let b = 0; b < 5; b++) {
        await Promise.resolve();
        yield Array.from({ length: 97 }, (_, i) => [`第${b * 97 + i + 1}行`, b * 97 + i + 1]);
      }
    }
    const bytes = await writeXlsx(
      [
        { name: '分批', columns: [{ header: '文字', width: 10 }, { header: '序号', width: 6 }], rows: batches() },
        { name: '之后', columns: [{ header: '备注', width: 10 }], rows: [['最后一张表']] },
      ],
      { creator: '改革创新助手', created: new Date('2026-12-30T01:00:00Z') },
    );
    const wb = await read(bytes);
    const ws = wb.getWorksheet('分批')!;
    expect(ws.rowCount).toBe(1 + 5 * 97);
    expect(Array.from({ length: 5 * 97 }, (_, i) => ws.getRow(i + 2).getCell(2).value)).toEqual(Array.from({ length: 5 * 97 }, (_, i) => i + 1));
    expect(ws.getRow(5 * 97 + 1).getCell(1).value).toBe('第485行');
    expect(wb.getWorksheet('之后')!.getRow(2).getCell(1).value).toBe('最后一张表');
  });

  it('refuses an empty workbook', async () => {
    await expect(writeXlsx([], { creator: 'x', created: new Date() })).rejects.toThrow(RangeError);
  });
});
