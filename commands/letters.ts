// /督办 列表 and /督办 查看 <文号>, and the letter card's buttons: 已收到 (recorded once), 提交整改方案 (a form whose
// date becomes a tracked milestone). Who may act on a letter is checked in src/services/letters.ts.
import { z } from 'zod';
import { letterCard, letterListCard, planFormCard } from '../cards/letter.js';
import { formatChinaDateTime } from '../src/domain/campaign/china-time.js';
import { letterKindLabels } from '../src/domain/ledger/letter-number.js';
import { letterByNumber, letterViewFor, listLetters, type LetterView } from '../src/services/letter-views.js';
import { acknowledgeLetter, assertMayPlan, checkPlan, readPlanForm, submitRectificationPlan, todayOf } from '../src/services/letters.js';
import { defineAction, defineCommand, type ActionResult, type HandlerContext, type Notification } from './types.js';

const cardFor = (ctx: HandlerContext, view: LetterView) => letterCard(view, view.recipients.some((p) => p.openId === ctx.actor.openId) ? 'recipient' : 'copy');

async function listCard(ctx: HandlerContext) {
  const list = await listLetters({ ctx: ctx.svc, actor: ctx.actor });
  return letterListCard({ ...list, everything: ctx.actor.roles.includes('admin') });
}

export const letterList = defineCommand({
  name: '督办 列表',
  aliases: ['督办', '督办函', '函件'],
  summary: '查看提醒函、督办函：文号、日期、收函人和签收情况',
  usage: '/督办 列表',
  // Everyone may ask; the list holds only the letters the asker may see (the office sees all).
  roles: ['public'],
  args: z.array(z.string()).max(0, { message: '这个命令不需要参数；查看某份函件请用“/督办 查看 提醒〔2026〕第7号”' }),
  async run(ctx) {
    return { kind: 'card', card: await listCard(ctx) };
  },
});

export const letterShow = defineCommand({
  name: '督办 查看',
  aliases: ['督办函 查看'],
  summary: '按文号查看一份提醒函或督办函',
  usage: '/督办 查看 提醒〔2026〕第7号',
  roles: ['public'],
  args: z
    .array(z.string())
    .min(1, { message: '请写文号，例如 提醒〔2026〕第7号' })
    .max(4, { message: '只写一个文号，例如 督办〔2026〕第3号' })
    .transform((w) => w.join('')),
  async run(ctx, number) {
    return { kind: 'card', card: cardFor(ctx, await letterByNumber({ ctx: ctx.svc, text: number, actor: ctx.actor })) };
  },
});

export const letterAckAction = defineAction({
  action: 'letter.ack',
  roles: ['public'],
  async run(ctx, payload) {
    const { first } = await acknowledgeLetter({ ctx: ctx.svc, letterId: payload.l, actor: ctx.actor });
    const view = await letterViewFor({ ctx: ctx.svc, letterId: payload.l, actor: ctx.actor });
    return {
      toast: first ? { type: 'success', content: `已签收${letterKindLabels[view.kind]} ${view.number}。` } : { type: 'info', content: '这份函件已经签收过了，无需重复操作。' },
      card: cardFor(ctx, view),
    };
  },
});

export const letterPlanFormAction = defineAction({
  action: 'letter.plan_form',
  roles: ['public'],
  async run(ctx, payload) {
    await assertMayPlan({ ctx: ctx.svc, letterId: payload.l, actor: ctx.actor });
    return { card: planFormCard({ letter: await letterViewFor({ ctx: ctx.svc, letterId: payload.l, actor: ctx.actor }) }) };
  },
});

export const letterPlanAction = defineAction({
  action: 'letter.plan',
  roles: ['public'],
  async run(ctx, payload, form): Promise<ActionResult> {
    await assertMayPlan({ ctx: ctx.svc, letterId: payload.l, actor: ctx.actor });
    const values = readPlanForm(form);
    const checked = checkPlan(values, todayOf(ctx.svc));
    if (!checked.ok) {
      const letter = await letterViewFor({ ctx: ctx.svc, letterId: payload.l, actor: ctx.actor });
      const n = Object.keys(checked.errors).length;
      return { toast: { type: 'error', content: `整改方案有${n}处需要修改，请按卡片上的红字提示修改后重新提交。` }, card: planFormCard({ letter, values, errors: checked.errors }) };
    }
    const { revised, letter } = await submitRectificationPlan({ ctx: ctx.svc, letterId: payload.l, plan: checked.value, actor: ctx.actor });
    const view = await letterViewFor({ ctx: ctx.svc, letterId: payload.l, actor: ctx.actor });
    const due = letter.planDueAt ? formatChinaDateTime(letter.planDueAt) : '';
    // The leader the letter was copied to hears about the first plan; revisions are visible on the letter.
    const notify: Notification[] = revised
      ? []
      : view.cc.map((p) => ({
          key: `letter:${view.id}:plan:${p.openId}`,
          kind: 'ledger.letter.plan',
          to: { openId: p.openId },
          message: { kind: 'text', text: `${view.task.code}「${view.task.title}」已就${letterKindLabels[view.kind]} ${view.number} 提交整改方案，整改完成日期 ${due}。发送“/督办 查看 ${view.number}”查看。` },
        }));
    return {
      toast: { type: 'success', content: revised ? `整改方案已修改，整改完成日期 ${due}。` : `整改方案已提交，整改完成日期 ${due} 已列入台账跟踪。` },
      card: cardFor(ctx, view),
      notify,
    };
  },
});

export const letterViewAction = defineAction({
  action: 'letter.view',
  roles: ['public'],
  async run(ctx, payload) {
    return { card: cardFor(ctx, await letterViewFor({ ctx: ctx.svc, letterId: payload.l, actor: ctx.actor })) };
  },
});

export const letterListAction = defineAction({
  action: 'letter.list',
  roles: ['public'],
  async run(ctx) {
    return { card: await listCard(ctx) };
  },
});

export const letterCommands = [letterList, letterShow];
export const letterCardActions = [letterAckAction, letterPlanFormAction, letterPlanAction, letterViewAction, letterListAction];
