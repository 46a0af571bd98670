// Chongqing supervision incentive (seed 003): /激励申报 (county and park liaisons), /审核 (lead departments'
// liaisons: recommend or return), /审核 确认 (office: confirm). Every step tells the next party by card.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  REVIEW_LIMIT,
  confirmListCard,
  declarationFormCard,
  declarationReceiptCard,
  isDecisionStatus,
  leadNoticeCard,
  returnFormCard,
  reviewListCard,
  unitDecisionCard,
  type DeclarationFormView,
} from '../cards/declaration.js';
import type { Card } from '../cards/types.js';
import { formatChinaDateTime } from '../src/domain/campaign/china-time.js';
import { declarationFormValues, measuresForUnit, parseDeclarationForm, parseReason } from '../src/domain/campaign/declaration.js';
import { canSubmit } from '../src/domain/campaign/phases.js';
import { unitTypeLabels } from '../src/domain/campaign/unit-types.js';
import type { ActorUnit } from '../src/domain/roles.js';
import { DomainError } from '../src/errors.js';
import type { CampaignRow } from '../src/services/campaigns.js';
import type { ServiceCtx } from '../src/services/context.js';
import {
  confirmDeclaration,
  confirmQueue,
  declarationForReview,
  findIncentiveCampaign,
  incentiveCampaignById,
  measuresOf,
  reviewDeclaration,
  reviewQueue,
  submitDeclaration,
  type DeclarationDecision,
} from '../src/services/declarations.js';
import { defineAction, defineCommand, type ActionResult, type HandlerContext, type Notification } from './types.js';

export const CONFIRM_LIMIT = 20;

const codeArg = z
  .array(z.string())
  .max(1, { message: '最多写一个活动代码，例如 CQ2022' })
  .transform((w) => w[0]);

const ref = (c: CampaignRow) => ({ id: c.id, code: c.code, name: c.name });

/** The units the caller may declare for: those they are liaison of, of a type the campaign takes. */
function declaringUnits(ctx: HandlerContext, campaign: CampaignRow): ActorUnit[] {
  const types = campaign.definition.eligibility.applicantUnitTypes;
  const mine = ctx.actor.units.filter((u) => u.role === 'liaison' && types.includes(u.unitType));
  if (mine.length === 0) throw new DomainError('declaration.notApplicant', { types: types.map((t) => unitTypeLabels[t]).join('、') });
  return mine;
}

function formView(ctx: HandlerContext, campaign: CampaignRow, formKey: string): Omit<DeclarationFormView, 'values' | 'errors'> {
  const phase = canSubmit(campaign.definition.phases, ctx.now, 'achievement');
  if (!phase.ok) throw new DomainError('declaration.rule', { message: phase.message });
  const units = declaringUnits(ctx, campaign);
  const only = units.length === 1 ? units[0] : undefined;
  return {
    campaign: ref(campaign),
    deadline: formatChinaDateTime(phase.value.closesAt),
    formKey,
    unit: only && { id: only.unitId, name: only.unitName },
    units: units.map((u) => ({ id: u.unitId, name: u.unitName })),
    measures: measuresForUnit(measuresOf(campaign), only?.unitType),
  };
}

const cardNotice = (key: string, kind: string, openId: string, c: Card): Notification => ({ key, kind, to: { openId }, message: { kind: 'card', card: c } });

/** Tells the declaring unit's liaisons what happened (recommended, returned, confirmed). */
function unitNotices(d: DeclarationDecision): Notification[] {
  const { declaration } = d;
  if (!isDecisionStatus(declaration.status)) return [];
  const c = unitDecisionCard({ campaignName: d.campaign.name, declaration: { ...declaration, status: declaration.status } });
  return d.unitLiaisons.map((openId) => cardNotice(`declaration:${declaration.id}:${declaration.status}:${openId}`, `declaration.${declaration.status}`, openId, c));
}

async function reviewCard(svc: ServiceCtx, campaign: CampaignRow, actorOpenId: string): Promise<Card> {
  const q = await reviewQueue({ ctx: svc, campaign, actorOpenId, limit: REVIEW_LIMIT });
  return reviewListCard({ ...q, campaign: ref(campaign) });
}

async function confirmCard(svc: ServiceCtx, campaign: CampaignRow): Promise<Card> {
  return confirmListCard({ ...(await confirmQueue({ ctx: svc, campaign, limit: CONFIRM_LIMIT })), campaign: ref(campaign) });
}

export const declare = defineCommand({
  name: '激励申报',
  aliases: ['declare'],
  summary: '区县、园区联络人对照督查激励措施自评申报',
  usage: '/激励申报 [活动代码]',
  roles: ['liaison'],
  args: codeArg,
  async run(ctx, code) {
    const campaign = await findIncentiveCampaign({ ctx: ctx.svc, code });
    return { kind: 'card', card: declarationFormCard(formView(ctx, campaign, randomUUID().replace(/-/g, ''))) };
  },
});

export const review = defineCommand({
  name: '审核',
  aliases: ['audit-review'],
  summary: '牵头单位审核本单位牵头措施的督查激励申报（推荐或退回）',
  usage: '/审核 [活动代码]',
  roles: ['liaison'],
  args: codeArg,
  async run(ctx, code) {
    const campaign = await findIncentiveCampaign({ ctx: ctx.svc, code });
    return { kind: 'card', card: await reviewCard(ctx.svc, campaign, ctx.actor.openId) };
  },
});

export const confirm = defineCommand({
  name: '审核 确认',
  aliases: ['audit-confirm'],
  summary: '办公室确认牵头单位推荐的督查激励申报并通知申报单位',
  usage: '/审核 确认 [活动代码]',
  roles: ['admin'],
  args: codeArg,
  async run(ctx, code) {
    const campaign = await findIncentiveCampaign({ ctx: ctx.svc, code });
    return { kind: 'card', card: await confirmCard(ctx.svc, campaign) };
  },
});

export const declareSubmitAction = defineAction({
  action: 'declare.submit',
  roles: ['liaison'],
  async run(ctx, payload, form): Promise<ActionResult> {
    const campaign = await incentiveCampaignById(ctx.svc, payload.c);
    const view = formView(ctx, campaign, payload.k);
    const values = declarationFormValues(form);
    const typedUnit = typeof form?.unit === 'string' ? form.unit.slice(0, 20) : '';
    const unitId = payload.u ?? (/^\d{1,9}$/.test(typedUnit) ? Number(typedUnit) : undefined);
    const unit = ctx.actor.units.find((u) => u.unitId === unitId);
    const parsed = parseDeclarationForm(values, measuresOf(campaign), unit?.unitType);
    const unitError = payload.u === undefined && !view.units.some((u) => u.id === unitId) ? '请选择申报单位。' : undefined;
    if (!parsed.ok || unitError || unitId === undefined) {
      const errors = { ...(parsed.ok ? {} : parsed.errors), ...(unitError ? { unit: unitError } : {}) };
      return {
        toast: { type: 'error', content: '申报内容有误，请按卡片上的红字修改后重新提交。' },
        card: declarationFormCard({ ...view, values: { ...values, unit: typedUnit }, errors }),
      };
    }
    const receipt = await submitDeclaration({ ctx: ctx.svc, input: { campaignId: campaign.id, unitId, formKey: payload.k, form: parsed.value }, actorOpenId: ctx.actor.openId });
    const { declaration, created, leads } = receipt;
    const notice = leadNoticeCard({ campaign: ref(campaign), declaration });
    const people = [...new Set(leads.contacts.flatMap((c) => c.openIds))];
    return {
      toast: created ? { type: 'success', content: `申报成功，编号 ${declaration.trackingNo}` } : { type: 'info', content: '这张申报表已经提交过了。' },
      card: declarationReceiptCard({ declaration, campaignName: campaign.name, again: !created, notified: leads.contacts.map((c) => c.unitName), missing: leads.missing }),
      notify: created ? people.map((openId) => cardNotice(`declaration:${declaration.id}:submitted:${openId}`, 'declaration.submitted', openId, notice)) : [],
    };
  },
});

export const reviewListAction = defineAction({
  action: 'declare.reviewList',
  roles: ['liaison'],
  async run(ctx, payload) {
    return { card: await reviewCard(ctx.svc, await incentiveCampaignById(ctx.svc, payload.c), ctx.actor.openId) };
  },
});

/** The lead department's answer after a move: a toast, its review list as it now is, and the unit told. */
async function reviewed(ctx: HandlerContext, d: Awaited<ReturnType<typeof reviewDeclaration>>, verb: '推荐' | '退回'): Promise<ActionResult> {
  return {
    toast: { type: 'success', content: `已${verb} ${d.declaration.trackingNo}，并通知了申报单位。` },
    card: await reviewCard(ctx.svc, d.campaign, ctx.actor.openId),
    notify: unitNotices(d),
  };
}

export const recommendDeclarationAction = defineAction({
  action: 'declare.recommend',
  roles: ['liaison'],
  async run(ctx, payload) {
    const d = await reviewDeclaration({ ctx: ctx.svc, input: { id: payload.id, move: 'recommend' }, actorOpenId: ctx.actor.openId });
    return reviewed(ctx, d, '推荐');
  },
});

export const returnFormAction = defineAction({
  action: 'declare.returnForm',
  roles: ['liaison'],
  async run(ctx, payload) {
    const declaration = await declarationForReview({ ctx: ctx.svc, id: payload.id, actorOpenId: ctx.actor.openId, move: 'return' });
    return { card: returnFormCard({ campaignId: declaration.campaignId, declaration }) };
  },
});

export const returnDeclarationAction = defineAction({
  action: 'declare.return',
  roles: ['liaison'],
  async run(ctx, payload, form): Promise<ActionResult> {
    const typed = typeof form?.reason === 'string' ? form.reason : '';
    const reason = parseReason(typed);
    if (!reason.ok) {
      const declaration = await declarationForReview({ ctx: ctx.svc, id: payload.id, actorOpenId: ctx.actor.openId, move: 'return' });
      return { toast: { type: 'error', content: reason.message }, card: returnFormCard({ campaignId: declaration.campaignId, declaration, reason: typed, error: reason.message }) };
    }
    const d = await reviewDeclaration({ ctx: ctx.svc, input: { id: payload.id, move: 'return', reason: reason.value }, actorOpenId: ctx.actor.openId });
    return reviewed(ctx, d, '退回');
  },
});

export const confirmListAction = defineAction({
  action: 'declare.confirmList',
  roles: ['admin'],
  async run(ctx, payload) {
    return { card: await confirmCard(ctx.svc, await incentiveCampaignById(ctx.svc, payload.c)) };
  },
});

export const confirmDeclarationAction = defineAction({
  action: 'declare.confirm',
  roles: ['admin'],
  async run(ctx, payload) {
    const d = await confirmDeclaration({ ctx: ctx.svc, input: { id: payload.id }, actorOpenId: ctx.actor.openId });
    return { toast: { type: 'success', content: `已确认 ${d.declaration.trackingNo}，并通知了申报单位。` }, card: await confirmCard(ctx.svc, d.campaign), notify: unitNotices(d) };
  },
});

export const confirmAllAction = defineAction({
  action: 'declare.confirmAll',
  roles: ['admin'],
  async run(ctx, payload) {
    const campaign = await incentiveCampaignById(ctx.svc, payload.c);
    const notify: Notification[] = [];
    const skipped: string[] = [];
    for (const id of new Set(payload.ids)) {
      try {
        notify.push(...unitNotices(await confirmDeclaration({ ctx: ctx.svc, input: { id, campaignId: campaign.id }, actorOpenId: ctx.actor.openId })));
      } catch (err) {
        // Refused before anything was written (changed meanwhile, or not in this campaign): skip it and say so.
        if (!(err instanceof DomainError)) throw err;
        skipped.push(err.userMessage());
      }
    }
    const confirmed = new Set(payload.ids).size - skipped.length;
    const content = skipped.length ? `已确认 ${confirmed} 份；${skipped.length} 份未确认：${skipped[0]}` : `已确认 ${confirmed} 份，并通知了申报单位。`;
    return { toast: { type: skipped.length ? 'warning' : 'success', content }, card: await confirmCard(ctx.svc, campaign), notify };
  },
});

export const declarationActionHandlers = [
  declareSubmitAction,
  reviewListAction,
  recommendDeclarationAction,
  returnFormAction,
  returnDeclarationAction,
  confirmListAction,
  confirmDeclarationAction,
  confirmAllAction,
];
