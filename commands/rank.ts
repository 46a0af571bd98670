// /排名 (ranking card of the newest closed round), /排名 入围 <N> [每单位上限] (cut and open the next round),
// /排名 报送 (approval cards to the leaders) and the leaders' 批准 / 退回.
import { z } from 'zod';
import { approvalCard, decisionNoticeText, returnFormCard, type ApprovalView } from '../cards/leader-approval.js';
import { cutResultCard, rankingCard } from '../cards/ranking.js';
import { DomainError } from '../src/errors.js';
import { rankingView } from '../src/services/ranking.js';
import { cutRound, decideShortlist, sendShortlistToLeaders, shortlistForLeader, type ShortlistView } from '../src/services/review-shortlist.js';
import { cardNotice, splitCode, textNotice } from './review.js';
import { defineAction, defineCommand, type ActionResult } from './types.js';

const words = z.array(z.string());

export const rank = defineCommand({
  name: '排名',
  aliases: ['rank', 'ranking'],
  summary: '查看最近一个已关闭评审轮次的排名（含分歧标记和图表）',
  usage: '/排名 [活动代码]',
  roles: ['admin'],
  args: words.max(1, { message: '用法：/排名 [活动代码]。确定入围名单请用“/排名 入围 <数量>”。' }),
  async run(ctx, all) {
    const { code, rest } = splitCode(all);
    if (rest.length) throw new DomainError('review.extraWords', { words: rest.join(' '), usage: '/排名 [活动代码]' });
    const v = await rankingView({ ctx: ctx.svc, input: { campaignCode: code } });
    const shortlist =
      v.shortlist.kind === 'none'
        ? { kind: 'none' as const }
        : { kind: v.shortlist.kind, kept: v.shortlist.kept, nextLabel: v.shortlist.nextRound?.label ?? null, decision: v.shortlist.decision };
    return { kind: 'card', card: rankingCard({ ...v, shortlist }) };
  },
});

const CUT_USAGE = '/排名 入围 <数量> [每单位上限] [活动代码]';
export const rankCut = defineCommand({
  name: '排名 入围',
  aliases: ['rank cut', '入围'],
  summary: '按排名确定入围名单（不超过本阶段上限，可设每单位上限），并以入围成果开启下一轮',
  usage: CUT_USAGE,
  roles: ['admin'],
  args: words.min(1, { message: '请写入围数量，例如“/排名 入围 20”。' }).max(3, { message: `用法：${CUT_USAGE}` }),
  async run(ctx, all) {
    const { code, rest } = splitCode(all);
    const [n = '', perUnitCap, ...extra] = rest;
    if (extra.length) throw new DomainError('review.extraWords', { words: extra.join(' '), usage: CUT_USAGE });
    const r = await cutRound({ ctx: ctx.svc, actorOpenId: ctx.actor.openId, input: { campaignCode: code, n, perUnitCap } });
    return { kind: 'card', card: cutResultCard(r) };
  },
});

export function approvalView(v: ShortlistView): ApprovalView {
  return {
    campaign: { name: v.campaign.name },
    round: { id: v.round.id, label: v.round.label },
    digest: v.shortlist.digest,
    nextLabel: v.shortlist.nextRound?.label ?? null,
    items: v.items,
    decision: v.shortlist.decision,
  };
}

export const rankSubmit = defineCommand({
  name: '排名 报送',
  aliases: ['rank submit', '报送'],
  summary: '把最近一轮的入围名单报送领导审批（领导可批准或退回）',
  usage: '/排名 报送 [活动代码]',
  roles: ['admin'],
  args: words.max(1, { message: '用法：/排名 报送 [活动代码]' }),
  async run(ctx, all) {
    const { code, rest } = splitCode(all);
    if (rest.length) throw new DomainError('review.extraWords', { words: rest.join(' '), usage: '/排名 报送 [活动代码]' });
    const { view, leaders, at } = await sendShortlistToLeaders({ ctx: ctx.svc, actorOpenId: ctx.actor.openId, input: { campaignCode: code } });
    const card = approvalCard({ ...approvalView(view), decision: null });
    const notify = leaders.map((openId) => cardNotice(`review:shortlist:${view.round.id}:${view.shortlist.digest}:${at.getTime()}:${openId}`, 'review.approval', openId, card));
    return { kind: 'text', text: `已将“${view.round.label}”入围名单（${view.items.length}项）报送${leaders.length}位领导审批。领导批准或退回后你会收到通知。`, notify };
  },
});

// ---- the leaders' card -----------------------------------------------------------------------------

async function decide(ctx: Parameters<Parameters<typeof defineAction>[0]['run']>[0], p: { r: number; d: string }, decision: 'approved' | 'returned', reason?: unknown): Promise<ActionResult> {
  const outcome = await decideShortlist({ ctx: ctx.svc, actorOpenId: ctx.actor.openId, input: { roundId: p.r, digest: p.d, decision, reason } });
  if (outcome.kind === 'invalid') {
    const typed = typeof reason === 'string' ? reason.slice(0, 600) : '';
    return { toast: { type: 'error', content: outcome.message }, card: returnFormCard(approvalView(outcome.view), { reason: typed, error: outcome.message }) };
  }
  const view = approvalView(outcome.view);
  const text = decisionNoticeText(view);
  const at = view.decision?.decidedAt.getTime() ?? 0;
  const notify = outcome.office.map((openId) => textNotice(`review:decision:${p.r}:${p.d}:${decision}:${at}:${openId}`, 'review.decision', openId, text));
  const toast = decision === 'approved' ? '已批准，办公室会收到通知。' : '已退回，办公室会收到通知和理由。';
  return { toast: { type: 'success', content: toast }, card: approvalCard(view), notify };
}

export const leaderApproveAction = defineAction({
  action: 'leader.approve',
  roles: ['leader'],
  run: (ctx, p) => decide(ctx, p, 'approved'),
});

export const leaderReturnAction = defineAction({
  action: 'leader.return',
  roles: ['leader'],
  run: (ctx, p, form) => decide(ctx, p, 'returned', form?.reason),
});

export const leaderReturnFormAction = defineAction({
  action: 'leader.returnForm',
  roles: ['leader'],
  async run(ctx, p) {
    const view = approvalView(await shortlistForLeader({ ctx: ctx.svc, input: { roundId: p.r, digest: p.d } }));
    return { card: view.decision?.decision === 'approved' ? approvalCard(view) : returnFormCard(view) };
  },
});

export const leaderViewAction = defineAction({
  action: 'leader.view',
  roles: ['leader'],
  async run(ctx, p) {
    const view = approvalView(await shortlistForLeader({ ctx: ctx.svc, input: { roundId: p.r, digest: p.d } }));
    return { card: approvalCard(view, { pending: view.decision?.decision !== 'approved' }) };
  },
});

export const rankCommands = [rank, rankCut, rankSubmit];
export const rankCardActions = [leaderApproveAction, leaderReturnAction, leaderReturnFormAction, leaderViewAction];
