// /单位 列表 and /角色 列表: who the units are, who speaks for them, and who holds a global role.
import type { Card, CardElement } from './types.js';
import { button, card, escapeMd, header, hr, md } from './kit.js';

type UnitType = 'county' | 'park' | 'department' | 'organisation';

const typeOrder: readonly UnitType[] = ['county', 'park', 'department', 'organisation'];
const typeLabels: Record<UnitType, string> = { county: '县区', park: '园区', department: '市直部门', organisation: '人民团体' };

export interface PersonView {
  openId: string;
  name: string | undefined;
}

export interface UnitView {
  name: string;
  type: UnitType;
  parentName: string | undefined;
  viceDepartmentLevel: boolean;
  countyPartyOrGovernment: boolean;
  liaisons: PersonView[];
  memberCount: number;
}

/** Bytes of list text per card: Lark refuses cards over 30 KB, and the rest of the card needs room. */
export const LIST_BYTES = 22 * 1024;

const utf8 = new TextEncoder();

/** The leading lines that fit in `maxBytes` (UTF-8, as Lark counts), and how many did not. */
export function fitLines(lines: readonly string[], maxBytes: number): { shown: string[]; omitted: number } {
  const shown: string[] = [];
  let used = 0;
  for (const line of lines) {
    used += utf8.encode(line).length + 1;
    if (used > maxBytes) break;
    shown.push(line);
  }
  return { shown, omitted: lines.length - shown.length };
}

const person = (p: PersonView): string => escapeMd(p.name ?? p.openId);

function unitLine(u: UnitView): string {
  const parts = [`**${escapeMd(u.name)}**${u.parentName ? `（上级：${escapeMd(u.parentName)}）` : ''}`];
  parts.push(`联络人：${u.liaisons.length ? u.liaisons.map(person).join('、') : '未设置'}`);
  parts.push(`成员 ${u.memberCount} 人`);
  const flags = [u.viceDepartmentLevel ? '副厅级' : '', u.countyPartyOrGovernment ? '县级以上党委政府' : ''].filter(Boolean);
  if (flags.length) parts.push(`${flags.join('、')}（不可作为申报主体）`);
  return `- ${parts.join(' · ')}`;
}

export function unitListCard(units: readonly UnitView[], filter?: UnitType): Card {
  const shown = filter ? units.filter((u) => u.type === filter) : units;
  const count = (t: UnitType) => units.filter((u) => u.type === t).length;
  const elements: CardElement[] = [
    {
      tag: 'column_set',
      columns: [undefined, ...typeOrder].map((t) => ({
        tag: 'column' as const,
        width: 'auto' as const,
        elements: [
          button(t ? `${typeLabels[t]}（${count(t)}）` : `全部（${units.length}）`, t ? { v: 1, a: 'units.list', type: t } : { v: 1, a: 'units.list' }, {
            name: `filter_${t ?? 'all'}`,
            type: t === filter ? 'primary' : 'default',
          }),
        ],
      })),
    },
  ];
  if (units.length === 0) {
    elements.push(md('还没有任何单位。用“/单位 新建 名称 类型”逐个建立，或用“/导入”发送表格批量建立。'));
  }
  let budget = LIST_BYTES;
  let omitted = 0;
  for (const t of typeOrder) {
    const ofType = shown.filter((u) => u.type === t);
    if (ofType.length === 0) continue;
    const fit = fitLines(ofType.map(unitLine), budget);
    omitted += fit.omitted;
    if (fit.shown.length === 0) continue;
    const text = `**${typeLabels[t]}**（${ofType.length}）\n${fit.shown.join('\n')}`;
    budget -= utf8.encode(text).length;
    elements.push(md(text));
  }
  if (omitted) elements.push(md(`还有 ${omitted} 个单位未显示，请点击上方按钮按类型查看。`));
  elements.push(
    hr(),
    md('设置联络人：“/单位 联络人 单位名称 @某人”；添加成员：“/单位 成员 单位名称 @某人”；批量建立或更新：“/导入”。'),
  );
  const subtitle = filter ? `${typeLabels[filter]} ${shown.length} 个` : `共 ${units.length} 个单位`;
  return card(header('单位名单', 'blue', subtitle), elements);
}

export interface RoleHoldersView {
  label: string;
  people: PersonView[];
}

export function roleListCard(roles: readonly RoleHoldersView[]): Card {
  const lines = roles.map((r) => `**${r.label}**（${r.people.length}）：${r.people.length ? r.people.map((p) => `${person(p)}（${escapeMd(p.openId)}）`).join('、') : '暂无'}`);
  return card(header('全局角色', 'indigo'), [
    md(lines.join('\n')),
    hr(),
    md('授予：“/角色 授予 评审 @某人”；撤销：“/角色 撤销 评审 @某人”。配置文件里指定的管理员不在此列，也不能在这里撤销。'),
  ]);
}
