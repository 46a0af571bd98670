// /提醒: my upcoming deadline reminders with mute/unmute; the office sets offsets and time, marks
// deadlines mandatory, and asks "did X get the reminder?". The reminder card's "去申报" button opens
// the same form card as /申报.
import { z } from 'zod';
import { myRemindersCard, reminderLogCard, type ReminderLogLine } from '../cards/reminders.js';
import { describeOffsets, parseOffsets, parseSendTime, reminderSettingsOf } from '../src/domain/reminders/settings.js';
import { DomainError } from '../src/errors.js';
import { formatMessage } from '../src/i18n/messages.js';
import { resolvePeople } from '../src/services/people.js';
import { setMandatory, setMuted, setReminderSchedule } from '../src/services/reminder-prefs.js';
import { myReminders, reminderLog } from '../src/services/reminder-views.js';
import { campaignByCode } from '../src/services/campaigns.js';
import { submit } from './submissions.js';
import { defineAction, defineCommand, type HandlerContext } from './types.js';

const EVERYONE_WITH_WORK = ['admin', 'liaison', 'member', 'reviewer', 'leader'] as const;
const ADMIN = ['admin'] as const;
const CODE = /^[A-Za-z][A-Za-z0-9]{1,15}$/;
const looksLikeCode = (w: string): boolean => CODE.test(w) && (/\d/.test(w) || w === w.toUpperCase());

const statusLabels = {
  planned: '待发送',
  claimed: '发送中',
  sent: '已送达',
  failed: '发送失败',
  skipped_done: '未发送（已无待办）',
  skipped_muted: '未发送（已关闭提醒）',
} as const;
const kindLabels: Record<string, string> = { 'deadline.reminder': '截止提醒', 'deadline.digest': '办公室汇总', 'deadline.progress': '群进度' };

async function myCard(ctx: HandlerContext) {
  return myRemindersCard({ campaigns: await myReminders(ctx.svc, ctx.actor.openId) });
}

export const remind = defineCommand({
  name: '提醒',
  aliases: ['remind', 'reminders'],
  summary: '查看我将收到的截止提醒，可按活动关闭或恢复',
  usage: '/提醒',
  roles: EVERYONE_WITH_WORK,
  args: z.array(z.string()).max(0, { message: '“/提醒”不需要参数；办公室设置请用“/提醒 设置”。' }),
  async run(ctx) {
    return { kind: 'card', card: await myCard(ctx) };
  },
});

const badSettings = (message: string) => new DomainError('reminder.badSettings', { message });

/** "[代码] 提前 7,3,1,0 时间 09:00" → its parts; either setting may be left out. */
export function parseScheduleWords(words: readonly string[]): { code?: string; offsets?: number[]; time?: string } {
  const rest = [...words];
  const code = rest[0] !== undefined && looksLikeCode(rest[0]) ? (rest.shift() as string).toUpperCase() : undefined;
  const out: { code?: string; offsets?: number[]; time?: string } = code ? { code } : {};
  while (rest.length > 0) {
    const keyword = rest.shift() as string;
    const value: string[] = [];
    while (rest.length > 0 && rest[0] !== '提前' && rest[0] !== '时间') value.push(rest.shift() as string);
    if (keyword === '提前') {
      const parsed = parseOffsets(value.join(','));
      if (!parsed.ok) throw badSettings(parsed.message);
      out.offsets = parsed.value;
    } else if (keyword === '时间') {
      if (value.length !== 1) throw badSettings('“时间”后面写一个时间，例如 时间 09:00。');
      const parsed = parseSendTime(value[0] as string);
      if (!parsed.ok) throw badSettings(parsed.message);
      out.time = parsed.value;
    } else {
      throw badSettings(`无法识别“${keyword}”：请用“提前”写天数，用“时间”写几点发送。`);
    }
  }
  if (!out.offsets && !out.time) throw badSettings('请写要修改的提醒设置。');
  return out;
}

export const remindSet = defineCommand({
  name: '提醒 设置',
  aliases: ['remind set'],
  summary: '设置活动的提醒：提前几天、几点发送（办公室）',
  usage: '/提醒 设置 <活动代码> 提前 7,3,1,0 时间 09:00',
  roles: ADMIN,
  args: z.array(z.string()).transform((w) => w),
  async run(ctx, words) {
    const input = parseScheduleWords(words);
    const row = await setReminderSchedule({ ctx: ctx.svc, actorOpenId: ctx.actor.openId, input });
    const s = reminderSettingsOf(row.definition);
    return { kind: 'text', text: formatMessage('reminder.scheduleSaved', { name: row.name, code: row.code, offsets: describeOffsets(s.offsets), time: s.time }) };
  },
});

export const remindMandatory = defineCommand({
  name: '提醒 必需',
  aliases: ['remind mandatory'],
  summary: '把某个阶段的截止提醒设为必需（不能关闭），或取消（办公室）',
  usage: '/提醒 必需 [取消] <阶段> [活动代码]，例如：/提醒 必需 选题申报 LN2022',
  roles: ADMIN,
  args: z
    .array(z.string())
    .min(1, { message: '请写阶段名称，例如：/提醒 必需 选题申报 LN2022' })
    .transform((w) => {
      const words = [...w];
      const cancel = words[0] === '取消';
      if (cancel) words.shift();
      const code = words.length > 1 && looksLikeCode(words.at(-1) as string) ? (words.pop() as string).toUpperCase() : undefined;
      return { cancel, phase: words.join(' '), code };
    })
    .refine((a) => a.phase.length > 0, { message: '请写阶段名称，例如：/提醒 必需 选题申报 LN2022' }),
  async run(ctx, { cancel, phase, code }) {
    const r = await setMandatory({ ctx: ctx.svc, actorOpenId: ctx.actor.openId, input: { code, phase, mandatory: !cancel } });
    if (!r.changed) return { kind: 'text', text: formatMessage('reminder.mandatoryUnchanged', { phase: r.phaseLabel, state: cancel ? '本来就不是必需提醒' : '已经是必需提醒' }) };
    return { kind: 'text', text: formatMessage(cancel ? 'reminder.mandatoryUnset' : 'reminder.mandatorySet', { name: r.campaign.name, phase: r.phaseLabel }) };
  },
});

export const remindLog = defineCommand({
  name: '提醒 记录',
  aliases: ['remind log'],
  summary: '查某人是否收到了提醒：每条提醒的状态（办公室）',
  usage: '/提醒 记录 @某人|ou_… [活动代码]',
  roles: ADMIN,
  args: z.array(z.string()).min(1, { message: '请 @ 要查询的人，或写出其 open_id，例如：/提醒 记录 @张三 LN2022' }),
  async run(ctx, words) {
    const { people, rest } = await resolvePeople({ ctx: ctx.svc, words, mentions: ctx.mentions });
    const person = people[0];
    if (!person || people.length > 1) throw new DomainError('reminder.whoRequired');
    if (rest.length > 1 || (rest[0] !== undefined && !CODE.test(rest[0]))) throw new DomainError('reminder.whoRequired');
    const code = rest[0]?.toUpperCase();
    const log = await reminderLog(ctx.svc, person.openId, code);
    const lines: ReminderLogLine[] = log.entries.map((e) => ({
      kindLabel: kindLabels[e.kind] ?? e.kind,
      what: e.what,
      statusLabel: statusLabels[e.status],
      dueAt: e.dueAt,
      sentAt: e.sentAt,
      note: e.status === 'sent' ? null : e.note,
    }));
    return { kind: 'card', card: reminderLogCard({ who: person.name ?? log.name ?? person.openId, campaignCode: code, lines }) };
  },
});

export const reminderMuteAction = defineAction({
  action: 'reminder.mute',
  roles: EVERYONE_WITH_WORK,
  async run(ctx, p) {
    // Only the clicker's own mute changes, so the card needs no further check on whose it is.
    const { campaign, changed } = await setMuted({ ctx: ctx.svc, actorOpenId: ctx.actor.openId, input: { campaignId: p.c, muted: p.on } });
    const content = changed ? formatMessage(p.on ? 'reminder.mutedToast' : 'reminder.unmutedToast', { name: campaign.name }) : formatMessage('reminder.unchangedToast');
    return { toast: { type: changed ? 'success' : 'info', content }, card: await myCard(ctx) };
  },
});

export const reminderOpenSubmitAction = defineAction({
  action: 'reminder.open_submit',
  roles: ['liaison', 'member'],
  async run(ctx, p) {
    const campaign = await campaignByCode(ctx.svc, p.c);
    if (!campaign || campaign.status !== 'active') throw new DomainError('reminder.campaignGone', { code: p.c });
    // The same card /申报 answers with (its window check and unit choice included).
    const reply = await submit.invoke({ ...ctx, mentions: [] }, [campaign.code]);
    if (reply.kind === 'card') return { card: reply.card };
    return { toast: { type: 'info', content: reply.kind === 'text' ? reply.text : formatMessage('reminder.campaignGone', { code: p.c }) } };
  },
});

export const reminderCommands = [remind, remindSet, remindMandatory, remindLog];
export const reminderCardActions = [reminderMuteAction, reminderOpenSubmitAction];
