// /活动 …: the office creates campaigns from templates, looks at them, opens and closes phases, moves
// deadlines and binds the notice group. Every change goes through the campaign services (audited).
import { z } from 'zod';
import { campaignDetailCard, campaignListCard, type DeadlineField, type DeadlineFormState } from '../cards/campaigns.js';
import { formatChinaDateTime } from '../src/domain/campaign/china-time.js';
import { DomainError } from '../src/errors.js';
import { formatMessage } from '../src/i18n/messages.js';
import {
  bindNoticeChat,
  changePhaseState,
  createCampaign,
  findCampaign,
  listCampaigns,
  moveCampaignDeadline,
  parseDeadline,
  type CampaignRow,
  type PhaseChange,
  type PhaseOp,
} from '../src/services/campaigns.js';
import { defineAction, defineCommand, type ActionResult, type HandlerContext, type Notification, type Reply } from './types.js';

const ADMIN = ['admin'] as const;
const CODE = /^[A-Za-z][A-Za-z0-9]{1,15}$/;
const TIME = /^\d{1,2}[:：]\d{2}$/;
const DATE_START = /^(\d{4}[-/.年]|\d{1,2}月)/;
const opWords: Record<string, PhaseOp> = { 开启: 'open', 开放: 'open', open: 'open', 关闭: 'close', 截止: 'close', close: 'close', 重开: 'reopen', 重新开放: 'reopen', reopen: 'reopen' };
const opLabels: Record<PhaseOp, string> = { open: '开启', close: '关闭', reopen: '重开' };
const subcommands = '新建、列表、详情、阶段、截止、绑定群';

/** A trailing campaign code: typed in capitals or containing a digit (LN2022), so an English reason word is not taken for one. */
const isTrailingCode = (w: string): boolean => CODE.test(w) && (/\d/.test(w) || w === w.toUpperCase());

/** Splits "[理由…] [代码]": the last word is the campaign code when it looks like one. */
function reasonAndCode(words: readonly string[]): { reason?: string; code?: string } {
  const rest = [...words];
  const last = rest.at(-1);
  const code = last !== undefined && isTrailingCode(last) ? (rest.pop() as string).toUpperCase() : undefined;
  const reason = rest.join(' ').trim();
  return { ...(reason ? { reason } : {}), ...(code ? { code } : {}) };
}

/** Takes a leading date (one word, or a date and an HH:MM word) off the words. */
function takeDate(words: readonly string[], required: boolean): { dateText?: string; rest: string[] } {
  const [first, second, ...more] = words;
  if (first === undefined || (!required && !DATE_START.test(first))) return { rest: [...words] };
  if (second !== undefined && TIME.test(second)) return { dateText: `${first} ${second}`, rest: more };
  return { dateText: first, rest: words.slice(1) };
}

/** Splits "[日期 [时间]] [理由…] [代码]" into its parts. */
export function splitTail(words: readonly string[], dateRequired = false): { dateText?: string; reason?: string; code?: string } {
  const { dateText, rest } = takeDate(words, dateRequired);
  return { ...(dateText ? { dateText } : {}), ...reasonAndCode(rest) };
}

const optionalCode = z
  .array(z.string())
  .max(1, { message: '只需要写活动代码，例如 LN2022' })
  .refine((w) => w.every((x) => CODE.test(x)), { message: '活动代码只能由英文字母和数字组成，例如 LN2022' })
  .transform((w) => w[0]?.toUpperCase());

/** The notice for the campaign's group, if one is bound; keyed by the campaign version so it is planned once. */
function notices(change: PhaseChange, text: string): Notification[] {
  const { campaign } = change;
  if (!campaign.noticeChatId) return [];
  return [{ key: `campaign.phase:${campaign.code}:v${campaign.version}`, kind: 'campaign.phase', to: { chatId: campaign.noticeChatId }, message: { kind: 'text', text } }];
}

const noticeCodes = { open: 'campaign.notice.open', reopen: 'campaign.notice.reopen', deadline: 'campaign.notice.deadline' } as const;

function changeText(change: PhaseChange, op: PhaseOp | 'deadline', reason: string | undefined): string {
  const params = {
    code: change.campaign.code,
    phase: change.after.label,
    closesAt: formatChinaDateTime(change.after.closesAt),
    before: formatChinaDateTime(change.before.closesAt),
    reason: reason ?? '',
  };
  if (op === 'close') return formatMessage('campaign.notice.close', { ...params, reason: reason ? `理由：${reason}` : '' }).trim();
  return formatMessage(noticeCodes[op], params);
}

const detail = (row: CampaignRow, ctx: HandlerContext, form?: DeadlineFormState) =>
  campaignDetailCard(row, ctx.now, { manage: ctx.actor.roles.includes('admin'), ...(form ? { form } : {}) });

export const campaignMenu = defineCommand({
  name: '活动',
  aliases: ['campaign', 'campaigns'],
  summary: '活动管理：列出活动，或查看某个活动（/活动 LN2022）',
  usage: `/活动 [活动代码]；子命令：${subcommands}`,
  roles: ADMIN,
  args: z.array(z.string()).max(1, { message: `请写一个子命令：${subcommands}` }),
  async run(ctx, [word]): Promise<Reply> {
    if (word === undefined) return { kind: 'card', card: campaignListCard(await listCampaigns({ ctx: ctx.svc }), ctx.now) };
    if (!CODE.test(word)) throw new DomainError('campaign.unknownSubcommand', { input: word, subcommands });
    return { kind: 'card', card: detail(await findCampaign({ ctx: ctx.svc, code: word }), ctx) };
  },
});

export const campaignNew = defineCommand({
  name: '活动 新建',
  aliases: ['campaign new', '活动 创建'],
  summary: '从模板新建活动（liaoning-2022 或 chongqing-2022）',
  usage: '/活动 新建 <模板> [活动代码]，例如：/活动 新建 liaoning-2022 LN2022',
  roles: ADMIN,
  args: z
    .array(z.string())
    .min(1, { message: '请写模板名：liaoning-2022（辽宁评价奖励）或 chongqing-2022（重庆督查激励）' })
    .max(2, { message: '只需要写模板名和活动代码两项' })
    .transform(([template, code]) => ({ template: (template ?? '').toLowerCase(), code: code?.toUpperCase() })),
  async run(ctx, { template, code }) {
    const row = await createCampaign({ ctx: ctx.svc, input: { templateId: template, ...(code ? { code } : {}) }, actorOpenId: ctx.actor.openId });
    return { kind: 'card', card: detail(row, ctx) };
  },
});

export const campaignList = defineCommand({
  name: '活动 列表',
  aliases: ['campaign list'],
  summary: '列出全部活动及其当前阶段',
  usage: '/活动 列表',
  roles: ADMIN,
  args: z.array(z.string()).max(0, { message: '这个命令不需要参数' }),
  async run(ctx) {
    return { kind: 'card', card: campaignListCard(await listCampaigns({ ctx: ctx.svc }), ctx.now) };
  },
});

export const campaignShow = defineCommand({
  name: '活动 详情',
  aliases: ['campaign show'],
  summary: '查看活动的方向、标准、阶段、配额、资格和奖励',
  usage: '/活动 详情 [活动代码]',
  roles: ADMIN,
  args: optionalCode,
  async run(ctx, code) {
    return { kind: 'card', card: detail(await findCampaign({ ctx: ctx.svc, code }), ctx) };
  },
});

export const campaignPhase = defineCommand({
  name: '活动 阶段',
  aliases: ['campaign phase'],
  summary: '开启、关闭或重新开放一个阶段',
  usage: '/活动 阶段 <开启|关闭|重开> <阶段> [截止日期] [理由] [活动代码]，重开必须写新的截止日期和理由，例如：/活动 阶段 重开 选题申报 2026-12-31 个别单位材料未齐',
  roles: ADMIN,
  args: z
    .array(z.string())
    .min(2, { message: '请写明操作和阶段，例如“/活动 阶段 开启 选题申报”' })
    .transform((words, ctx) => {
      const [opWord = '', phase = '', ...tail] = words;
      const op = opWords[opWord.toLowerCase()];
      if (!op) {
        ctx.addIssue({ code: 'custom', message: `不认识的操作“${opWord}”，请写 开启、关闭 或 重开` });
        return z.NEVER;
      }
      return { op, phase, ...splitTail(tail) };
    }),
  async run(ctx, { op, phase, dateText, reason, code }) {
    if (op !== 'reopen' && dateText) throw new DomainError('campaign.noDateForOpenClose', { op: opLabels[op] });
    const campaign = await findCampaign({ ctx: ctx.svc, code });
    const change = await changePhaseState({ ctx: ctx.svc, campaignId: campaign.id, actorOpenId: ctx.actor.openId, input: { op, phase, closesAt: dateText, reason } });
    return confirmation(change, changeText(change, op, reason));
  },
});

export const campaignDeadline = defineCommand({
  name: '活动 截止',
  aliases: ['campaign deadline', '活动 延期'],
  summary: '调整一个阶段的截止时间（必须写理由）',
  usage: '/活动 截止 <阶段> <日期> <理由> [活动代码]，日期可写 2026-12-31、2026-12-31 18:00、2026/12/31 或 12月31日',
  roles: ADMIN,
  args: z
    .array(z.string())
    .min(2, { message: '请写明阶段和新的截止日期，例如“/活动 截止 选题申报 2026-12-31 部分县区材料尚在审核”' })
    .transform(([phase = '', ...tail]) => ({ phase, ...splitTail(tail, true) })),
  async run(ctx, { phase, dateText, reason, code }) {
    const campaign = await findCampaign({ ctx: ctx.svc, code });
    if (!dateText) throw new DomainError('campaign.deadlineRequired', { what: '调整截止时间', example: '/活动 截止 选题申报 2026-12-31 部分县区材料尚在审核' });
    const change = await moveCampaignDeadline({ ctx: ctx.svc, campaignId: campaign.id, actorOpenId: ctx.actor.openId, input: { phase, closesAt: dateText, reason } });
    return confirmation(change, changeText(change, 'deadline', reason));
  },
});

function confirmation(change: PhaseChange, text: string): Reply {
  const notify = notices(change, text);
  const sent = notify.length > 0 ? `\n${formatMessage('campaign.notice.sent')}` : '';
  return { kind: 'text', text: `${text}${sent}`, notify };
}

export const campaignBind = defineCommand({
  name: '活动 绑定群',
  aliases: ['campaign bind'],
  summary: '在工作群里把本群设为活动的通知群',
  usage: '在群里 @我 发送：/活动 绑定群 [活动代码]',
  roles: ADMIN,
  args: optionalCode,
  async run(ctx, code) {
    if (ctx.chat.type !== 'group') throw new DomainError('campaign.bindNeedsGroup');
    const campaign = await findCampaign({ ctx: ctx.svc, code });
    const bound = await bindNoticeChat({ ctx: ctx.svc, campaignId: campaign.id, chatId: ctx.chat.id, actorOpenId: ctx.actor.openId });
    const params = { name: bound.campaign.name, code: bound.campaign.code };
    return { kind: 'text', text: formatMessage(bound.changed ? 'campaign.boundGroup' : 'campaign.boundGroupAgain', params) };
  },
});

export const campaignShowAction = defineAction({
  action: 'campaign.show',
  roles: ADMIN,
  async run(ctx, payload) {
    return { card: detail(await findCampaign({ ctx: ctx.svc, code: payload.code }), ctx) };
  },
});

export const campaignPhaseAction = defineAction({
  action: 'campaign.phase',
  roles: ADMIN,
  async run(ctx, payload): Promise<ActionResult> {
    const campaign = await findCampaign({ ctx: ctx.svc, code: payload.code });
    const change = await changePhaseState({ ctx: ctx.svc, campaignId: campaign.id, actorOpenId: ctx.actor.openId, input: { op: payload.op, phase: payload.phase } });
    const text = changeText(change, payload.op, undefined);
    return { toast: { type: 'success', content: text }, card: detail(change.campaign, ctx), notify: notices(change, text) };
  },
});

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const ruleFields: Record<string, DeadlineField> = {
  reason_required: 'reason',
  invalid_date: 'closesAt',
  deadline_in_past: 'closesAt',
  deadline_before_open: 'closesAt',
  deadline_after_next_opens: 'closesAt',
};

/** Which form field a refusal is about; undefined for errors the form cannot fix. */
function fieldOf(err: unknown): DeadlineField | undefined {
  if (!(err instanceof DomainError)) return undefined;
  if (err.code === 'campaign.unknownPhase') return 'phase';
  if (err.code === 'campaign.badDate') return 'closesAt';
  if (err.code === 'campaign.reasonRequired') return 'reason';
  if (err.code === 'campaign.rule') return ruleFields[String(err.params.rule)] ?? 'phase';
  return undefined;
}

export const campaignDeadlineAction = defineAction({
  action: 'campaign.deadline',
  roles: ADMIN,
  async run(ctx, payload, form): Promise<ActionResult> {
    const campaign = await findCampaign({ ctx: ctx.svc, code: payload.code });
    const values = { phase: str(form?.phase), closesAt: str(form?.closes_at), reason: str(form?.reason) };
    const errors: DeadlineFormState['errors'] = {};
    if (!values.phase) errors.phase = '请选择要调整的阶段。';
    if (!values.closesAt) errors.closesAt = '请填写新的截止时间，例如 2026-12-31 18:00。';
    else {
      try {
        parseDeadline(values.closesAt, ctx.now);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        errors.closesAt = err.userMessage();
      }
    }
    if (!values.reason) errors.reason = '请填写理由，它会记入审计日志并通知相关单位。';
    const invalid = (): ActionResult => ({
      toast: { type: 'error', content: '有内容需要修改，请按卡片上的红字提示修改后再保存。' },
      card: detail(campaign, ctx, { values, errors }),
    });
    if (Object.keys(errors).length > 0) return invalid();
    try {
      const input = { phase: values.phase, closesAt: values.closesAt, reason: values.reason, reopenIfClosed: true };
      const change = await moveCampaignDeadline({ ctx: ctx.svc, campaignId: campaign.id, actorOpenId: ctx.actor.openId, input });
      const text = changeText(change, change.reopened ? 'reopen' : 'deadline', values.reason);
      return { toast: { type: 'success', content: text }, card: detail(change.campaign, ctx), notify: notices(change, text) };
    } catch (err) {
      const field = fieldOf(err);
      if (!field || !(err instanceof DomainError)) throw err;
      errors[field] = err.userMessage();
      return invalid();
    }
  },
});
