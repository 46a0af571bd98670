// /推荐 (anyone) and /推荐 列表 (office): public recommendations of topics that need institutional innovation.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  LIST_LIMIT,
  assignFormCard,
  declineFormCard,
  recommendFormCard,
  recommendationListCard,
  recommendationReceivedCard,
  recommenderDecisionCard,
  unitAssignedCard,
} from '../cards/recommendation.js';
import type { Card } from '../cards/types.js';
import { parseReason } from '../src/domain/campaign/declaration.js';
import {
  assignRecommendation,
  assignableUnits,
  campaignSummary,
  createRecommendation,
  declineReason,
  declineRecommendation,
  getRecommendation,
  parseRecommendationForm,
  pendingRecommendations,
  recommendationCampaign,
  recommendationValues,
} from '../src/services/recommendations.js';
import type { ServiceCtx } from '../src/services/context.js';
import { defineAction, defineCommand, type ActionResult, type Notification } from './types.js';

const mintFormKey = (): string => randomUUID().replace(/-/g, '');

const cardNotice = (key: string, kind: string, openId: string, c: Card): Notification => ({ key, kind, to: { openId }, message: { kind: 'card', card: c } });

async function listCard(svc: ServiceCtx): Promise<Card> {
  const { items, total } = await pendingRecommendations({ ctx: svc, limit: LIST_LIMIT });
  return recommendationListCard(
    items.map((r) => ({ ...r, recommender: r.recommenderName ?? r.recommenderOpenId })),
    total,
  );
}

export const recommend = defineCommand({
  name: '推荐',
  aliases: ['recommend'],
  summary: '向办公室推荐需要进行制度性创新的选题（任何人都可以推荐）',
  usage: '/推荐',
  roles: ['public'],
  args: z.array(z.string()).max(0, { message: '请直接发送“/推荐”，在弹出的表单里填写推荐内容' }),
  async run(ctx) {
    const campaign = await recommendationCampaign({ ctx: ctx.svc });
    return { kind: 'card', card: recommendFormCard({ formKey: mintFormKey(), campaign }) };
  },
});

export const recommendList = defineCommand({
  name: '推荐 列表',
  aliases: ['recommend list', '推荐列表'],
  summary: '查看待处理的公众推荐，分派给单位或不采纳',
  usage: '/推荐 列表',
  roles: ['admin'],
  args: z.array(z.string()).max(0, { message: '这个命令不需要参数' }),
  async run(ctx) {
    return { kind: 'card', card: await listCard(ctx.svc) };
  },
});

export const recommendSubmitAction = defineAction({
  action: 'recommend.submit',
  roles: ['public'],
  async run(ctx, payload, form): Promise<ActionResult> {
    const values = recommendationValues(form);
    const checked = parseRecommendationForm(values);
    if (!checked.ok) {
      const campaign = payload.c === undefined ? undefined : await campaignSummary(ctx.svc, payload.c);
      return {
        toast: { type: 'error', content: '推荐内容有误，请按卡片上的红字修改后重新提交。' },
        card: recommendFormCard({ formKey: payload.k, campaign, values, errors: checked.errors }),
      };
    }
    const { row, created } = await createRecommendation({
      ctx: ctx.svc,
      input: { ...checked.value, formKey: payload.k, campaignId: payload.c },
      actorOpenId: ctx.actor.openId,
    });
    return {
      toast: created ? { type: 'success', content: `推荐已提交，编号 #${row.id}。` } : { type: 'info', content: '这张表单已经提交过了。' },
      card: recommendationReceivedCard(row, !created),
    };
  },
});

export const recommendListAction = defineAction({
  action: 'recommend.list',
  roles: ['admin'],
  async run(ctx) {
    return { card: await listCard(ctx.svc) };
  },
});

export const recommendAssignFormAction = defineAction({
  action: 'recommend.assignForm',
  roles: ['admin'],
  async run(ctx, payload) {
    const rec = await getRecommendation(ctx.svc, payload.id);
    if (rec.status !== 'pending') return { toast: { type: 'warning', content: '这条推荐已经处理过了。' }, card: await listCard(ctx.svc) };
    return { card: assignFormCard({ rec, units: await assignableUnits({ ctx: ctx.svc }) }) };
  },
});

export const recommendAssignAction = defineAction({
  action: 'recommend.assign',
  roles: ['admin'],
  async run(ctx, payload, form): Promise<ActionResult> {
    const raw = form?.unit;
    const unitId = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : undefined;
    if (unitId === undefined) {
      const rec = await getRecommendation(ctx.svc, payload.id);
      return {
        toast: { type: 'error', content: '请先选择承办单位。' },
        card: assignFormCard({ rec, units: await assignableUnits({ ctx: ctx.svc }), error: '请从下拉列表中选择承办单位，再点“确认分派”。' }),
      };
    }
    const { row, unit, liaisons } = await assignRecommendation({ ctx: ctx.svc, input: { id: payload.id, unitId }, actorOpenId: ctx.actor.openId });
    const notify = [
      cardNotice(`recommendation:${row.id}:decided:recommender`, 'recommendation.decided', row.recommenderOpenId, recommenderDecisionCard(row, { unitName: unit.name })),
      ...liaisons.map((openId) => cardNotice(`recommendation:${row.id}:assigned:${openId}`, 'recommendation.assigned', openId, unitAssignedCard(row, unit.name))),
    ];
    const unreached = liaisons.length === 0 ? `（${unit.name}还没有联络人，单位暂时收不到通知）` : '';
    return { toast: { type: 'success', content: `已分派给${unit.name}，并通知了推荐人${unreached}。` }, card: await listCard(ctx.svc), notify };
  },
});

export const recommendDeclineFormAction = defineAction({
  action: 'recommend.declineForm',
  roles: ['admin'],
  async run(ctx, payload) {
    const rec = await getRecommendation(ctx.svc, payload.id);
    if (rec.status !== 'pending') return { toast: { type: 'warning', content: '这条推荐已经处理过了。' }, card: await listCard(ctx.svc) };
    return { card: declineFormCard({ rec }) };
  },
});

export const recommendDeclineAction = defineAction({
  action: 'recommend.decline',
  roles: ['admin'],
  async run(ctx, payload, form): Promise<ActionResult> {
    const typed = typeof form?.reason === 'string' ? form.reason : '';
    const reason = parseReason(typed, ...declineReason);
    if (!reason.ok) {
      const rec = await getRecommendation(ctx.svc, payload.id);
      return { toast: { type: 'error', content: reason.message }, card: declineFormCard({ rec, reason: typed, error: reason.message }) };
    }
    const row = await declineRecommendation({ ctx: ctx.svc, input: { id: payload.id, reason: reason.value }, actorOpenId: ctx.actor.openId });
    return {
      toast: { type: 'success', content: '已标记为不采纳，并通知了推荐人。' },
      card: await listCard(ctx.svc),
      notify: [cardNotice(`recommendation:${row.id}:decided:recommender`, 'recommendation.decided', row.recommenderOpenId, recommenderDecisionCard(row, { reason: reason.value }))],
    };
  },
});

export const recommendationActionHandlers = [
  recommendSubmitAction,
  recommendListAction,
  recommendAssignFormAction,
  recommendAssignAction,
  recommendDeclineFormAction,
  recommendDeclineAction,
];
