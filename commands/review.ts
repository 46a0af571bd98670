// /评审 (a reviewer's list), /评审 开启|专家|分配|进度|关闭 (the office), and the review card's actions.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { assignmentNoticeCard, myReviewsCard, progressCard, readScoreForm, recuseConfirmCard, reviewCard, reviewFormCard } from '../cards/review.js';
import type { Card } from '../cards/types.js';
import { formatChinaDateTime } from '../src/domain/campaign/china-time.js';
import { checkReviewersPerItem } from '../src/domain/review/assignment.js';
import { DomainError } from '../src/errors.js';
import { formatMessage } from '../src/i18n/messages.js';
import { parseDeadline } from '../src/services/campaigns.js';
import { describePerson, resolvePeople } from '../src/services/people.js';
import { addRoundReviewers, assignRound, closeReviewRound, openReviewTrack, roundProgress } from '../src/services/review-rounds.js';
import { myReviews, recuseReview, reviewCard as loadReviewCard, submitReview, type ReviewRef } from '../src/services/reviews.js';
import { defineAction, defineCommand, type ActionResult, type Notification } from './types.js';

const CODE = /^[A-Za-z]+\d[A-Za-z0-9]*$/;
/** A trailing campaign code (LN2022) is optional in every review command; the rest are the command's own words. */
export function splitCode(words: readonly string[]): { code: string | undefined; rest: string[] } {
  const last = words.at(-1);
  return last !== undefined && CODE.test(last) ? { code: last.toUpperCase(), rest: words.slice(0, -1) } : { code: undefined, rest: [...words] };
}

export const textNotice = (key: string, kind: string, openId: string, text: string): Notification => ({ key, kind, to: { openId }, message: { kind: 'text', text } });
export const cardNotice = (key: string, kind: string, openId: string, card: Card): Notification => ({ key, kind, to: { openId }, message: { kind: 'card', card } });
const words = z.array(z.string());
const noExtra = (rest: readonly string[], usage: string) => {
  if (rest.length) throw new DomainError('review.extraWords', { words: rest.join(' '), usage });
};

export const reviewList = defineCommand({
  name: '评审',
  aliases: ['review', '我的评审'],
  summary: '查看分配给你的评审：待评审、已评审（关闭前可修改）和已关闭的轮次',
  usage: '/评审',
  roles: ['reviewer'],
  args: z.array(z.string()).max(0, { message: '这个命令不需要参数。管理员命令请写“/评审 开启”“/评审 分配”等。' }),
  async run(ctx) {
    return { kind: 'card', card: myReviewsCard(await myReviews({ ctx: ctx.svc, actorOpenId: ctx.actor.openId })) };
  },
});

const OPEN_USAGE = '/评审 开启 选题|成果 [截止日期，如 2023-03-20 18:00] [活动代码]';
const stages: Record<string, 'topic' | 'achievement'> = { 选题: 'topic', topic: 'topic', 成果: 'achievement', achievement: 'achievement' };

export const reviewOpen = defineCommand({
  name: '评审 开启',
  aliases: ['review open'],
  summary: '开启第一轮评审：选题进入“办公室遴选”，成果进入“初评”',
  usage: OPEN_USAGE,
  roles: ['admin'],
  args: words.min(1, { message: '请写明评审选题还是成果，例如“/评审 开启 成果”。' }),
  async run(ctx, all) {
    const { code, rest } = splitCode(all);
    const [stageWord = '', ...dateWords] = rest;
    const stage = stages[stageWord.toLowerCase()];
    if (!stage) throw new DomainError('review.badStage', { input: stageWord });
    const deadline = dateWords.length ? parseDeadline(dateWords.join(' '), ctx.now) : undefined;
    const opened = await openReviewTrack({ ctx: ctx.svc, actorOpenId: ctx.actor.openId, input: { campaignCode: code, stage, deadline } });
    const until = deadline ? `评审截止：${formatChinaDateTime(deadline)}（北京时间）。` : '';
    return {
      kind: 'text',
      text: `已开启“${opened.campaign.name}”的“${opened.round.label}”，共${opened.items}项。${until}下一步：发送“/评审 专家 @某人 @某人”指定评审专家，再发送“/评审 分配 [每项人数]”分配。`,
    };
  },
});

const PANEL_USAGE = '/评审 专家 @某人 [@某人…] [活动代码]';
export const reviewPanel = defineCommand({
  name: '评审 专家',
  aliases: ['review reviewers', '评审 评委'],
  summary: '为当前评审轮次指定评审专家（@提及或写 open_id）',
  usage: PANEL_USAGE,
  roles: ['admin'],
  args: words.min(1, { message: '请 @ 要指定的评审专家。' }),
  async run(ctx, all) {
    const { code, rest } = splitCode(all);
    const { people, rest: extra } = await resolvePeople({ ctx: ctx.svc, words: rest, mentions: ctx.mentions });
    noExtra(extra, PANEL_USAGE);
    if (people.length === 0) throw new DomainError('people.none');
    const r = await addRoundReviewers({ ctx: ctx.svc, actorOpenId: ctx.actor.openId, input: { campaignCode: code, people } });
    const names = (ps: typeof people) => ps.map(describePerson).join('、');
    const text = [
      r.added.length ? `已指定${names(r.added)}为“${r.round.label}”的评审专家。` : '',
      r.already.length ? `${names(r.already)}已经是本轮评审专家。` : '',
      '发送“/评审 分配 [每项人数]”分配评审任务（默认每项5人）。',
    ].join('');
    const notify = r.added.map((p) =>
      textNotice(`review:panel:${r.round.id}:${p.openId}`, 'review.panel', p.openId, `你被指定为“${r.campaign.name}”“${r.round.label}”的评审专家。分配评审任务后你会收到评审卡片，也可以随时发送“/评审”查看。`),
    );
    return { kind: 'text', text, notify };
  },
});

const ASSIGN_USAGE = '/评审 分配 [每项评审人数，默认5] [活动代码]';
export const reviewAssign = defineCommand({
  name: '评审 分配',
  aliases: ['review assign'],
  summary: '把本轮每项成果分配给k位评审专家（自动回避本单位及上下级单位，负载均衡）',
  usage: ASSIGN_USAGE,
  roles: ['admin'],
  args: words.max(2, { message: `用法：${ASSIGN_USAGE}` }),
  async run(ctx, all) {
    const { code, rest } = splitCode(all);
    const [kWord, ...extra] = rest;
    noExtra(extra, ASSIGN_USAGE);
    let k: number | undefined;
    if (kWord !== undefined) {
      const checked = checkReviewersPerItem(kWord);
      if (!checked.ok) throw new DomainError('review.rule', { message: checked.message });
      k = checked.value;
    }
    const r = await assignRound({ ctx: ctx.svc, actorOpenId: ctx.actor.openId, input: { campaignCode: code, k } });
    const lines = [`已为“${r.round.label}”分配评审：每项${r.k}位评审专家，共${r.reviewers.length}位专家，每人${r.loads.min === r.loads.max ? r.loads.min : `${r.loads.min}–${r.loads.max}`}项。`];
    if (r.uncovered.length) {
      const shown = r.uncovered.slice(0, 10).map((u) => `${u.trackingNo}（可回避后仅剩${u.eligible}位，需要${u.needed}位）`);
      lines.push(`以下${r.uncovered.length}项没有足够的可分配专家：${shown.join('、')}${r.uncovered.length > 10 ? '等' : ''}。请用“/评审 专家”增加与之无利益关系的专家后重新分配。`);
    }
    lines.push(`本轮关闭需每项${r.k}份评审全部完成；评分和投票在关闭前对所有人保密。`);
    const notify = r.reviewers
      .filter((x) => x.changed && x.items.length > 0)
      .map((x) => {
        const digest = createHash('sha1').update(x.items.map((i) => i.id).join(',')).digest('hex').slice(0, 12);
        const card = assignmentNoticeCard({ campaignName: r.campaign.name, roundLabel: r.round.label, deadline: r.round.closesAt, items: x.items });
        return cardNotice(`review:assign:${r.round.id}:${x.openId}:${digest}`, 'review.assigned', x.openId, card);
      });
    return { kind: 'text', text: lines.join('\n'), notify };
  },
});

export const reviewProgress = defineCommand({
  name: '评审 进度',
  aliases: ['review progress'],
  summary: '查看本轮评审的完成情况（只显示谁完成了，不显示评分）',
  usage: '/评审 进度 [活动代码]',
  roles: ['admin'],
  args: words.max(1, { message: '用法：/评审 进度 [活动代码]' }),
  async run(ctx, all) {
    const { code, rest } = splitCode(all);
    noExtra(rest, '/评审 进度 [活动代码]');
    const p = await roundProgress({ ctx: ctx.svc, input: { campaignCode: code } });
    return { kind: 'card', card: progressCard({ ...p, round: { label: p.round.label, quorum: p.round.quorum, k: p.round.k, closesAt: p.round.closesAt } }) };
  },
});

export const reviewClose = defineCommand({
  name: '评审 关闭',
  aliases: ['review close'],
  summary: '关闭本轮评审（每项达到法定份数；否则须写明理由强制关闭，理由会记录在案）',
  usage: '/评审 关闭 [强制关闭的理由] [活动代码]',
  roles: ['admin'],
  args: words,
  async run(ctx, all) {
    const { code, rest } = splitCode(all);
    const reason = rest.length ? rest.join(' ') : undefined;
    if (reason && [...reason].length > 500) throw new DomainError('review.rule', { message: `强制关闭的理由最多500字，现在有${[...reason].length}字，请精简。` });
    const r = await closeReviewRound({ ctx: ctx.svc, actorOpenId: ctx.actor.openId, input: { campaignCode: code, reason } });
    const forced = r.short ? `有${r.short}项未达到法定份数，已按理由强制关闭并记录在案。` : '';
    return { kind: 'text', text: `已关闭“${r.round.label}”（共${r.items}项）。${forced}评分和投票现已可见，发送“/排名”查看排名。` };
  },
});

// ---- card actions -------------------------------------------------------------------------------

const refOf = (p: { r: number; s: number; o: string }): ReviewRef => ({ roundId: p.r, submissionId: p.s, reviewer: p.o });
const error = (content: string) => ({ type: 'error' as const, content });

export const reviewOpenAction = defineAction({
  action: 'review.open',
  roles: ['reviewer'],
  async run(ctx, p) {
    return { card: reviewCard(await loadReviewCard({ ctx: ctx.svc, actorOpenId: ctx.actor.openId, input: refOf(p) })) };
  },
});

export const reviewEditAction = defineAction({
  action: 'review.edit',
  roles: ['reviewer'],
  async run(ctx, p) {
    const data = await loadReviewCard({ ctx: ctx.svc, actorOpenId: ctx.actor.openId, input: refOf(p) });
    if (data.locked) return { toast: error(data.locked), card: reviewCard(data) };
    if (data.status === 'recused') throw new DomainError('review.recused');
    return { card: reviewFormCard(data) };
  },
});

export const reviewSubmitAction = defineAction({
  action: 'review.submit',
  roles: ['reviewer'],
  async run(ctx, p, form): Promise<ActionResult> {
    const { sheet, raw } = readScoreForm(form);
    const outcome = await submitReview({ ctx: ctx.svc, actorOpenId: ctx.actor.openId, input: { ...refOf(p), sheet } });
    if (outcome.kind === 'invalid') {
      return { toast: error(formatMessage('review.invalidToast', { count: outcome.problems.length })), card: reviewFormCard(outcome.card, { values: raw, problems: outcome.problems }) };
    }
    if (outcome.kind === 'locked') return { toast: error(outcome.message), card: reviewCard(outcome.card) };
    const toast = { created: 'review.savedToast', changed: 'review.changedToast', unchanged: 'review.unchangedToast' } as const;
    return { toast: { type: outcome.change === 'unchanged' ? 'info' : 'success', content: formatMessage(toast[outcome.change]) }, card: reviewCard(outcome.card) };
  },
});

export const reviewRecuseAction = defineAction({
  action: 'review.recuse',
  roles: ['reviewer'],
  async run(ctx, p) {
    const data = await loadReviewCard({ ctx: ctx.svc, actorOpenId: ctx.actor.openId, input: refOf(p) });
    if (data.locked) return { toast: error(data.locked), card: reviewCard(data) };
    if (data.status === 'recused') return { card: reviewCard(data) };
    return { card: recuseConfirmCard(data) };
  },
});

export const reviewRecuseConfirmAction = defineAction({
  action: 'review.recuseConfirm',
  roles: ['reviewer'],
  async run(ctx, p, form): Promise<ActionResult> {
    const reason = typeof form?.reason === 'string' ? form.reason : '';
    const outcome = await recuseReview({ ctx: ctx.svc, actorOpenId: ctx.actor.openId, input: { ...refOf(p), reason } });
    if (outcome.kind === 'invalid') return { toast: error(outcome.message), card: recuseConfirmCard(outcome.card, { reason: reason.slice(0, 300), error: outcome.message }) };
    if (outcome.kind === 'locked') return { toast: error(outcome.message), card: reviewCard(outcome.card) };
    const { item, replacement, card } = outcome;
    const who = ctx.actor.name ?? ctx.actor.openId;
    const base = `review:recuse:${p.r}:${p.s}:${p.o}`;
    const officeText = replacement
      ? `【${card.campaign.name}】评审专家${who}对“${card.round.label}”的 ${item.trackingNo}《${item.title}》声明回避${reason.trim() ? `（理由：${reason.trim()}）` : ''}，已改派给${replacement.name}。`
      : `【${card.campaign.name}】评审专家${who}对“${card.round.label}”的 ${item.trackingNo}《${item.title}》声明回避${reason.trim() ? `（理由：${reason.trim()}）` : ''}。没有其他可改派的专家，该项将缺少1份评审，请用“/评审 专家”增加专家后发送“/评审 分配”。`;
    const notify: Notification[] = outcome.office.map((openId) => textNotice(`${base}:office:${openId}`, 'review.recused', openId, officeText));
    if (replacement) {
      const notice = assignmentNoticeCard({ campaignName: card.campaign.name, roundLabel: card.round.label, deadline: card.round.deadline, items: [item] });
      notify.push(cardNotice(`${base}:to:${replacement.openId}`, 'review.assigned', replacement.openId, notice));
    }
    const toast = replacement ? formatMessage('review.recusedToast') : formatMessage('review.recusedNoReplacementToast');
    return { toast: { type: 'success', content: toast }, card: reviewCard(card), notify };
  },
});

export const reviewListAction = defineAction({
  action: 'review.list',
  roles: ['reviewer'],
  async run(ctx) {
    return { card: myReviewsCard(await myReviews({ ctx: ctx.svc, actorOpenId: ctx.actor.openId })) };
  },
});

export const reviewCommands = [reviewList, reviewOpen, reviewPanel, reviewAssign, reviewProgress, reviewClose];
export const reviewCardActions = [reviewOpenAction, reviewEditAction, reviewSubmitAction, reviewRecuseAction, reviewRecuseConfirmAction, reviewListAction];
