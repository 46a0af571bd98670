// /单位 … (units, their liaison and members) and /角色 … (global roles): the office's set-up commands.
import { z } from 'zod';
import { roleListCard, unitListCard } from '../cards/units.js';
import { unitTypeLabels } from '../src/domain/campaign/unit-types.js';
import { parseUnitType, type Person } from '../src/domain/unit-import.js';
import { DomainError } from '../src/errors.js';
import type { GlobalRole } from '../src/services/actors.js';
import { describePerson, globalRoleLabels, grantGlobalRole, listRoleHolders, resolvePeople, revokeGlobalRole } from '../src/services/people.js';
import { addMembers, createUnit, listUnits, removeMember, setLiaison, type UnitInput } from '../src/services/units.js';
import { defineAction, defineCommand, type CommandContext, type Notification } from './types.js';

const SUBCOMMANDS = '“/单位”后面可以接：新建、列表、联络人、成员、移除。';
const names = (people: readonly Person[]): string => people.map(describePerson).join('、');

/** Parses "<名称> <类型> [上级单位] [副厅级] [县级以上党委政府]". */
export function parseNewUnitWords(words: readonly string[]): { ok: true; value: UnitInput } | { ok: false; message: string } {
  const [name, typeWord, ...rest] = words;
  if (name === undefined || typeWord === undefined) return { ok: false, message: '请写出单位名称和类型' };
  const type = parseUnitType(typeWord);
  if (!type.ok) return type;
  const input: UnitInput = { name, type: type.value };
  for (const word of rest) {
    if (word === '副厅级') input.viceDepartmentLevel = true;
    else if (word === '县级以上党委政府' || word === '党委政府') input.countyPartyOrGovernment = true;
    else if (input.parentName === undefined) input.parentName = word;
    else return { ok: false, message: `多出了“${word}”。上级单位只能写一个；标记只能写“副厅级”或“县级以上党委政府”` };
  }
  return { ok: true, value: input };
}

const newUnitArgs = z.array(z.string()).transform((words, zctx) => {
  const parsed = parseNewUnitWords(words);
  if (parsed.ok) return parsed.value;
  zctx.addIssue({ code: 'custom', message: parsed.message });
  return z.NEVER;
});

export const unitNew = defineCommand({
  name: '单位 新建',
  aliases: ['unit new', '单位 创建'],
  summary: '新建一个单位（县区、园区、市直部门或人民团体）',
  usage: '/单位 新建 名称 类型 [上级单位] [副厅级] [县级以上党委政府]，类型为县区/园区/市直部门/人民团体',
  roles: ['admin'],
  args: newUnitArgs,
  async run(ctx, input) {
    const unit = await createUnit({ ctx: ctx.svc, input, actorOpenId: ctx.actor.openId });
    const details = [unitTypeLabels[unit.type], input.parentName ? `上级：${input.parentName}` : '', unit.viceDepartmentLevel ? '副厅级' : '', unit.countyPartyOrGovernment ? '县级以上党委政府' : '']
      .filter(Boolean)
      .join('，');
    const ineligible = unit.viceDepartmentLevel || unit.countyPartyOrGovernment ? '按规定它不能作为申报主体。' : '';
    return { kind: 'text', text: `已新建单位“${unit.name}”（${details}）。${ineligible}下一步：发送“/单位 联络人 ${unit.name} @某人”设置联络人。` };
  },
});

export const unitList = defineCommand({
  name: '单位 列表',
  aliases: ['unit list', '单位', 'unit', 'units'],
  summary: '查看全部单位：类型、上级单位、联络人和成员人数',
  usage: '/单位 列表',
  roles: ['admin'],
  args: z.array(z.string()).max(0, { message: SUBCOMMANDS }),
  async run(ctx) {
    return { kind: 'card', card: unitListCard(await listUnits({ ctx: ctx.svc })) };
  },
});

export const unitListAction = defineAction({
  action: 'units.list',
  roles: ['admin'],
  async run(ctx, payload) {
    return { card: unitListCard(await listUnits({ ctx: ctx.svc }), payload.type) };
  },
});

/** The unit name and the people a command names; the name is whatever words are not people. */
async function unitAndPeople(ctx: CommandContext, words: string[], command: string, usage: string) {
  const { people, rest } = await resolvePeople({ ctx: ctx.svc, words, mentions: ctx.mentions });
  if (rest.length === 0) throw new DomainError('command.badArgs', { command, detail: '请写出单位名称', usage });
  if (people.length === 0) throw new DomainError('people.none');
  return { unitName: rest.join(' '), people };
}

function onlyOne(people: Person[]): Person {
  const [first] = people;
  if (!first || people.length > 1) throw new DomainError('people.onlyOne', { count: people.length });
  return first;
}

const notice = (key: string, openId: string, text: string): Notification => ({ key, kind: 'people.notice', to: { openId }, message: { kind: 'text', text } });

const LIAISON_USAGE = '/单位 联络人 单位名称 @某人';
export const unitLiaison = defineCommand({
  name: '单位 联络人',
  aliases: ['unit liaison'],
  summary: '设置单位的联络人（改革专员），原联络人改为成员',
  usage: LIAISON_USAGE,
  roles: ['admin'],
  args: z.array(z.string()).min(1, { message: '请写出单位名称并 @ 联络人' }),
  async run(ctx, words) {
    const { unitName, people } = await unitAndPeople(ctx, words, '单位 联络人', LIAISON_USAGE);
    const person = onlyOne(people);
    const { unit, changed, previous } = await setLiaison({ ctx: ctx.svc, input: { unitName, person }, actorOpenId: ctx.actor.openId });
    if (!changed) return { kind: 'text', text: `${describePerson(person)}已经是“${unit.name}”的联络人，无需更改。` };
    const before = previous.length ? `（原联络人${names(previous)}改为成员）` : '';
    return {
      kind: 'text',
      text: `已将${describePerson(person)}设为“${unit.name}”的联络人${before}。`,
      notify: [
        notice(`unit:${unit.id}:liaison:${person.openId}:${ctx.now.getTime()}`, person.openId, `你已被设为“${unit.name}”的联络人（改革专员），负责本单位的申报和材料报送。发送“/帮助”查看你可以使用的命令。`),
      ],
    };
  },
});

const MEMBER_USAGE = '/单位 成员 单位名称 @某人 [@某人…]';
export const unitMember = defineCommand({
  name: '单位 成员',
  aliases: ['unit member'],
  summary: '把一人或多人加入单位',
  usage: MEMBER_USAGE,
  roles: ['admin'],
  args: z.array(z.string()).min(1, { message: '请写出单位名称并 @ 要加入的人' }),
  async run(ctx, words) {
    const { unitName, people } = await unitAndPeople(ctx, words, '单位 成员', MEMBER_USAGE);
    const { unit, results } = await addMembers({ ctx: ctx.svc, input: { unitName, people }, actorOpenId: ctx.actor.openId });
    const of = (r: string) => results.filter((x) => x.result === r).map((x) => x.person);
    const parts = [
      of('added').length ? `已把${names(of('added'))}加入“${unit.name}”。` : '',
      of('member').length ? `${names(of('member'))}已经是成员。` : '',
      of('liaison').length ? `${names(of('liaison'))}是联络人，保持不变。` : '',
    ];
    return { kind: 'text', text: parts.join('') };
  },
});

const REMOVE_USAGE = '/单位 移除 单位名称 @某人';
export const unitRemove = defineCommand({
  name: '单位 移除',
  aliases: ['unit remove'],
  summary: '把某人移出单位（成员或联络人）',
  usage: REMOVE_USAGE,
  roles: ['admin'],
  args: z.array(z.string()).min(1, { message: '请写出单位名称并 @ 要移除的人' }),
  async run(ctx, words) {
    const { unitName, people } = await unitAndPeople(ctx, words, '单位 移除', REMOVE_USAGE);
    const person = onlyOne(people);
    const { unit, role } = await removeMember({ ctx: ctx.svc, input: { unitName, person }, actorOpenId: ctx.actor.openId });
    const hint = role === 'liaison' ? `“${unit.name}”现在没有联络人，请用“/单位 联络人 ${unit.name} @某人”重新设置。` : '';
    return { kind: 'text', text: `已把${describePerson(person)}移出“${unit.name}”。${hint}` };
  },
});

const roleWords: Record<string, GlobalRole> = {
  评审: 'reviewer', 评审专家: 'reviewer', 专家: 'reviewer', reviewer: 'reviewer',
  领导: 'leader', leader: 'leader',
  管理员: 'admin', 办公室管理员: 'admin', admin: 'admin',
};

async function roleAndPeople(ctx: CommandContext, words: string[], usage: string): Promise<{ role: GlobalRole; people: Person[] }> {
  const [roleWord = '', ...rest] = words;
  const role = roleWords[roleWord.toLowerCase()];
  if (!role) throw new DomainError('role.unknown', { role: roleWord });
  const { people, rest: extra } = await resolvePeople({ ctx: ctx.svc, words: rest, mentions: ctx.mentions });
  if (extra.length) throw new DomainError('people.extraWords', { words: extra.join(' '), usage: `用法：${usage}` });
  if (people.length === 0) throw new DomainError('people.none');
  return { role, people };
}

const GRANT_USAGE = '/角色 授予 评审|领导|管理员 @某人 [@某人…]';
export const roleGrant = defineCommand({
  name: '角色 授予',
  aliases: ['role grant'],
  summary: '授予评审专家、领导或管理员角色',
  usage: GRANT_USAGE,
  roles: ['admin'],
  args: z.array(z.string()).min(2, { message: '请写出角色（评审、领导或管理员）并 @ 要授予的人' }),
  async run(ctx, words) {
    const { role, people } = await roleAndPeople(ctx, words, GRANT_USAGE);
    const label = globalRoleLabels[role];
    const { granted, already } = await grantGlobalRole({ ctx: ctx.svc, input: { role, people }, actorOpenId: ctx.actor.openId });
    const text = [granted.length ? `已授予${names(granted)}“${label}”角色。` : '', already.length ? `${names(already)}已经是${label}。` : ''].join('');
    const notify = granted.map((p) =>
      notice(`role:${role}:${p.openId}:grant:${ctx.now.getTime()}`, p.openId, `你已被授予“${label}”角色。发送“/帮助”查看你可以使用的命令。`),
    );
    return { kind: 'text', text, notify };
  },
});

const REVOKE_USAGE = '/角色 撤销 评审|领导|管理员 @某人 [@某人…]';
export const roleRevoke = defineCommand({
  name: '角色 撤销',
  aliases: ['role revoke'],
  summary: '撤销评审专家、领导或管理员角色',
  usage: REVOKE_USAGE,
  roles: ['admin'],
  args: z.array(z.string()).min(2, { message: '请写出角色（评审、领导或管理员）并 @ 要撤销的人' }),
  async run(ctx, words) {
    const { role, people } = await roleAndPeople(ctx, words, REVOKE_USAGE);
    const label = globalRoleLabels[role];
    const { revoked, notHeld } = await revokeGlobalRole({ ctx: ctx.svc, input: { role, people }, actorOpenId: ctx.actor.openId });
    const text = [revoked.length ? `已撤销${names(revoked)}的“${label}”角色。` : '', notHeld.length ? `${names(notHeld)}本来就没有“${label}”角色${role === 'admin' ? '（配置文件中指定的管理员不能在这里撤销）' : ''}。` : ''].join('');
    return { kind: 'text', text };
  },
});

export const roleList = defineCommand({
  name: '角色 列表',
  aliases: ['role list', '角色', 'roles'],
  summary: '查看谁是评审专家、领导和管理员',
  usage: '/角色 列表',
  roles: ['admin'],
  args: z.array(z.string()).max(0, { message: '“/角色”后面可以接：授予、撤销、列表。' }),
  async run(ctx) {
    const holders = await listRoleHolders({ ctx: ctx.svc });
    return { kind: 'card', card: roleListCard(holders.map((h) => ({ label: globalRoleLabels[h.role], people: h.people }))) };
  },
});
