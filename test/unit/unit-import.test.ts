import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseNewUnitWords, unitList } from '../../commands/units.js';
import { importDoneCard, importRejectedCard } from '../../cards/import-summary.js';
import { unitListCard } from '../../cards/units.js';
import {
  detectFormat, matchHeader, parseFlag, parseMembers, parseUnitType, unitImportFormat, validateUnitRows,
  type ExistingUnit, type GridRow,
} from '../../src/domain/unit-import.js';
import { DomainError } from '../../src/errors.js';
import { parseContent } from '../../src/fake-lark/content-rules.js';
import { readTable } from '../../src/services/unit-import.js';

const HEADER = ['单位名称', '类型', '上级单位', '副厅级(是/否)', '县级以上党委政府(是/否)', '联络人open_id', '联络人姓名', '成员(open_id:姓名;open_id:姓名)'];
const full = matchHeader(HEADER, unitImportFormat);
if (!full.ok) throw new Error('the documented header must match');
const index = full.index;

const row = (rowNumber: number, cells: string[]): GridRow => ({ rowNumber, cells });
const existing: ExistingUnit[] = [
  { name: '平山区', type: 'county', parentName: undefined },
  { name: '市发展改革委', type: 'department', parentName: undefined },
  { name: '溪湖区', type: 'county', parentName: undefined },
  { name: '溪湖经济开发区', type: 'park', parentName: '溪湖区' },
];

describe('matchHeader and detectFormat', () => {
  it('accepts the documented header, full-width brackets, spaces and case', () => {
    expect(matchHeader(HEADER, unitImportFormat).ok).toBe(true);
    const loose = matchHeader(['单位名称 ', '类型', '副厅级（是/否）', '联络人 OPEN_ID', '成员'], unitImportFormat);
    expect(loose).toEqual({ ok: true, index: { name: 0, type: 1, vice: 2, liaisonOpenId: 3, members: 4 } });
  });

  it.each([
    [['单位名称'], { missing: ['类型'], unknown: [], duplicate: [] }],
    [['单位名称', '类型', '备注'], { missing: [], unknown: ['备注'], duplicate: [] }],
    [['单位名称', '类型', '类型'], { missing: [], unknown: [], duplicate: ['类型'] }],
  ])('reports what is wrong with %j', (header, expected) => {
    expect(matchHeader(header, unitImportFormat)).toEqual({ ok: false, ...expected });
  });

  it('detects the units format by its required columns and nothing for other tables', () => {
    expect(detectFormat(['类型', '单位名称', '备注'], [unitImportFormat])).toBe(unitImportFormat);
    expect(detectFormat(['任务名称', '牵头单位', '完成时限'], [unitImportFormat])).toBeUndefined();
  });
});

describe('cell parsers', () => {
  it.each([
    ['县区', 'county'], ['county', 'county'], ['园区', 'park'], ['Park', 'park'], ['市直部门', 'department'],
    ['department', 'department'], ['人民团体', 'organisation'], ['organisation', 'organisation'],
  ])('type %s is %s', (word, type) => {
    expect(parseUnitType(word)).toEqual({ ok: true, value: type });
  });

  it('rejects an unknown type naming the choices', () => {
    expect(parseUnitType('乡镇')).toEqual({ ok: false, message: '单位类型“乡镇”不对，应为县区、园区、市直部门、人民团体之一' });
  });

  it.each([['是', true], ['Y', true], ['1', true], ['否', false], ['', false], ['no', false]])('flag %j is %s', (raw, value) => {
    expect(parseFlag(raw, '副厅级')).toEqual({ ok: true, value });
  });

  it('parses members with either punctuation and drops repeats', () => {
    expect(parseMembers('ou_a1:张三；ou_b2：李四; ou_a1:张三;ou_c3')).toEqual({
      ok: true,
      value: [
        { openId: 'ou_a1', name: '张三' },
        { openId: 'ou_b2', name: '李四' },
        { openId: 'ou_c3', name: undefined },
      ],
    });
    expect(parseMembers('张三;李四')).toMatchObject({ ok: false, message: expect.stringContaining('成员的 open_id“张三”格式不对') });
  });
});

describe('validateUnitRows', () => {
  it('turns good rows into units with liaison and members (the liaison is not repeated as a member)', () => {
    const result = validateUnitRows(
      [
        row(2, ['明山区', '县区', '', '否', '', 'ou_l1', '赵芳', 'ou_m1:王刚;ou_l1:赵芳']),
        row(3, ['明山高新区', '园区', '明山区', '', '', '', '', '']),
        row(4, ['', '', '', '', '', '', '', '']),
        row(5, ['市总工会', '人民团体', '', '是', '是', '', '', '']),
      ],
      index,
      existing,
    );
    expect(result).toEqual({
      ok: true,
      rows: [
        { rowNumber: 2, name: '明山区', type: 'county', parentName: undefined, viceDepartmentLevel: false, countyPartyOrGovernment: false, liaison: { openId: 'ou_l1', name: '赵芳' }, members: [{ openId: 'ou_m1', name: '王刚' }] },
        { rowNumber: 3, name: '明山高新区', type: 'park', parentName: '明山区', viceDepartmentLevel: false, countyPartyOrGovernment: false, liaison: undefined, members: [] },
        { rowNumber: 5, name: '市总工会', type: 'organisation', parentName: undefined, viceDepartmentLevel: true, countyPartyOrGovernment: true, liaison: undefined, members: [] },
      ],
    });
  });

  it.each([
    ['missing name', ['', '县区'], '缺少单位名称'],
    ['unknown type', ['桓仁县', '乡镇'], '单位类型“乡镇”不对'],
    ['missing type', ['桓仁县', ''], '请填写单位类型'],
    ['bad flag', ['桓仁县', '县区', '', '可能'], '“副厅级”只能填“是”或“否”'],
    ['bad liaison open_id', ['桓仁县', '县区', '', '', '', 'zhaofang'], '联络人open_id“zhaofang”格式不对'],
    ['liaison name without open_id', ['桓仁县', '县区', '', '', '', '', '赵芳'], '没有填写联络人open_id'],
    ['bad member', ['桓仁县', '县区', '', '', '', '', '', 'ou_ok:甲;bad id:乙'], '成员的 open_id“bad id”格式不对'],
    ['parent nowhere', ['桓仁高新区', '园区', '桓仁县'], '上级单位“桓仁县”既不在表格里，也不是已有单位'],
    ['parent of a non-park', ['市财政局', '市直部门', '平山区'], '只有园区可以填写上级单位'],
    ['park under a department', ['某园区', '园区', '市发展改革委'], '上级单位“市发展改革委”是市直部门，园区的上级单位应是县区'],
    ['own parent', ['平山园区', '园区', '平山园区'], '上级单位不能是它自己'],
    ['district with parks becomes a department', ['溪湖区', '市直部门'], '下面还有园区（溪湖经济开发区）'],
  ])('rejects %s', (_case, cells, reason) => {
    const result = validateUnitRows([row(7, cells)], index, existing);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.rowNumber).toBe(7);
    expect(result.problems[0]?.reason).toContain(reason);
  });

  it('lists every bad row (duplicates included) and returns no rows at all', () => {
    const result = validateUnitRows(
      [row(2, ['平山区', '县区']), row(3, ['本溪县', '县城']), row(4, ['平山区', '县区']), row(5, ['桓仁县', '县区'])],
      index,
      existing,
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        { rowNumber: 3, reason: '单位类型“县城”不对，应为县区、园区、市直部门、人民团体之一' },
        { rowNumber: 4, reason: '单位名称“平山区”与第2行重复，同一单位只能写一行' },
      ],
    });
  });

  it('lets a park name a district defined later in the same file, and a district keep parks that move away', () => {
    const result = validateUnitRows(
      [row(2, ['溪湖经济开发区', '园区', '桓仁县']), row(3, ['桓仁县', '县区']), row(4, ['溪湖区', '市直部门'])],
      index,
      existing,
    );
    expect(result.ok).toBe(true);
  });
});

describe('readTable', () => {
  it('reads the first non-empty sheet of an XLSX as strings, keeping row numbers', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('说明');
    const sheet = wb.addWorksheet('单位');
    sheet.addRow(HEADER);
    sheet.addRow(['平山区', '县区', null, '否', '否', 'ou_x1', '赵芳', '']);
    sheet.addRow([]);
    sheet.addRow(['市总工会', '人民团体', null, true, 0]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const table = await readTable({ fileName: '单位.xlsx', bytes });
    expect(table.header).toEqual({ rowNumber: 1, cells: HEADER });
    expect(table.rows).toEqual([
      { rowNumber: 2, cells: ['平山区', '县区', '', '否', '否', 'ou_x1', '赵芳', ''] },
      { rowNumber: 4, cells: ['市总工会', '人民团体', '', 'true', '0'] },
    ]);
  });

  it('reads UTF-8 (with BOM) and GB18030 CSV, with quoted commas', async () => {
    const csv = `${HEADER.join(',')}\r\n"平山区",县区,,否,否,ou_x1,赵芳,"ou_a:甲;ou_b:乙"\r\n"市委办公室,机要局",市直部门\r\n`;
    const utf8 = await readTable({ fileName: 'a.csv', bytes: new TextEncoder().encode(`\uFEFF${csv}`) });
    expect(utf8.rows.map((r) => r.cells[0])).toEqual(['平山区', '市委办公室,机要局']);
    expect(utf8.rows[0]?.cells[7]).toBe('ou_a:甲;ou_b:乙');
    // "平山区,县区" in GB18030, as Excel on Chinese Windows saves it.
    const gbBytes = Buffer.concat([Buffer.from('name,type\n'), Buffer.from([0xc6, 0xbd, 0xc9, 0xbd, 0xc7, 0xf8, 0x2c, 0xcf, 0xd8, 0xc7, 0xf8])]);
    const gb = await readTable({ fileName: 'b.csv', bytes: new Uint8Array(gbBytes) });
    expect(gb.rows[0]?.cells).toEqual(['平山区', '县区']);
  });

  it('reads pasted rows separated by tabs, commas or full-width commas', async () => {
    expect((await readTable({ text: '单位名称\t类型\n平山区\t县区' })).rows[0]?.cells).toEqual(['平山区', '县区']);
    expect((await readTable({ text: '单位名称,类型\n平山区,县区' })).rows[0]?.cells).toEqual(['平山区', '县区']);
    expect((await readTable({ text: '单位名称，类型\n平山区，县区' })).rows[0]?.cells).toEqual(['平山区', '县区']);
  });

  it('refuses .xls, a broken .xlsx and an empty file with a Chinese message', async () => {
    const refused = async (fileName: string, bytes: Uint8Array) => {
      try {
        await readTable({ fileName, bytes });
      } catch (err) {
        if (err instanceof DomainError) return err.userMessage();
      }
      throw new Error('expected a DomainError');
    };
    expect(await refused('单位.xls', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0]))).toContain('请发送 .xlsx 或 .csv 文件');
    expect(await refused('单位.xlsx', new TextEncoder().encode('not a zip'))).toContain('无法读取“单位.xlsx”');
    expect(await refused('空.csv', new Uint8Array())).toContain('“空.csv”里没有内容');
  });
});

describe('unit commands and cards', () => {
  it('parses /单位 新建 words: type, optional parent and flags in any order', () => {
    expect(parseNewUnitWords(['本溪高新区', '园区', '平山区'])).toEqual({ ok: true, value: { name: '本溪高新区', type: 'park', parentName: '平山区' } });
    expect(parseNewUnitWords(['市委', '市直部门', '县级以上党委政府', '副厅级'])).toEqual({
      ok: true,
      value: { name: '市委', type: 'department', viceDepartmentLevel: true, countyPartyOrGovernment: true },
    });
    expect(parseNewUnitWords(['市委'])).toEqual({ ok: false, message: '请写出单位名称和类型' });
    expect(parseNewUnitWords(['甲', '园区', '乙', '丙'])).toMatchObject({ ok: false, message: expect.stringContaining('多出了“丙”') });
  });

  it('lists /单位 as the unit list for admins only', () => {
    expect(unitList.aliases).toContain('单位');
    expect(unitList.roles).toEqual(['admin']);
  });

  it('builds the list, done and rejected cards', () => {
    const list = unitListCard([
      { name: '平山区', type: 'county', parentName: undefined, viceDepartmentLevel: false, countyPartyOrGovernment: false, liaisons: [{ openId: 'ou_a', name: '赵芳' }], memberCount: 2 },
      { name: '本溪高新区', type: 'park', parentName: '平山区', viceDepartmentLevel: false, countyPartyOrGovernment: false, liaisons: [], memberCount: 0 },
      { name: '市委', type: 'department', parentName: undefined, viceDepartmentLevel: true, countyPartyOrGovernment: true, liaisons: [], memberCount: 0 },
    ]);
    expect(list).toMatchSnapshot();
    expect(importDoneCard({ source: '单位.xlsx', rowCount: 3, created: ['甲'], updated: ['乙'], unchanged: ['丙'], liaisonsSet: 1, membersAdded: 2 })).toMatchSnapshot();
    expect(importRejectedCard({ source: '单位.csv', rowCount: 4, problems: [{ rowNumber: 3, reason: '缺少单位名称' }] })).toMatchSnapshot();
  });

  it('keeps the list and rejection cards within what Lark accepts, however many units or bad rows', () => {
    const long = (i: number) => `${'很长的单位名称'.repeat(7)}${i}`;
    const many = Array.from({ length: 500 }, (_, i) => ({
      name: long(i), type: 'park' as const, parentName: long(i + 1), viceDepartmentLevel: true, countyPartyOrGovernment: true,
      liaisons: [{ openId: `ou_${i}`, name: '欧阳'.repeat(15) }], memberCount: 99,
    }));
    for (const c of [unitListCard(many), unitListCard(many, 'park')]) {
      expect(() => parseContent('interactive', JSON.stringify(c))).not.toThrow();
      expect(JSON.stringify(c)).toMatch(/还有 \d+ 个单位未显示/);
    }
    const problems = Array.from({ length: 500 }, (_, i) => ({ rowNumber: i + 2, reason: '单位类型“很长很长的错误类型”不对，应为县区、园区、市直部门、人民团体之一；'.repeat(4) }));
    const rejected = importRejectedCard({ source: '单位.xlsx', rowCount: 500, problems });
    expect(() => parseContent('interactive', JSON.stringify(rejected))).not.toThrow();
    expect(JSON.stringify(rejected)).toMatch(/还有 \d+ 行有问题/);
  });
});
