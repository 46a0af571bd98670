// /发布: the outcome of the newest closed round to the campaign's notice group, and to each submitting unit's
// liaisons; /导出: the XLSX of every score, vote and comment (after close) behind a signed download link.
import { z } from 'zod';
import { exportCard, publishedResultCard } from '../cards/ranking.js';
import { DomainError } from '../src/errors.js';
import { exportSummary } from '../src/services/review-export.js';
import { publishRound } from '../src/services/review-shortlist.js';
import { splitCode, textNotice } from './review.js';
import { defineCommand, type Notification } from './types.js';

const oneCode = (usage: string) => z.array(z.string()).max(1, { message: `用法：${usage}` });

export const publish = defineCommand({
  name: '发布',
  aliases: ['publish'],
  summary: '把最近一轮的入围结果发到活动通知群，并告知各申报单位联络人本单位的结果',
  usage: '/发布 [活动代码]',
  roles: ['admin'],
  args: oneCode('/发布 [活动代码]'),
  async run(ctx, all) {
    const { code, rest } = splitCode(all);
    if (rest.length) throw new DomainError('review.extraWords', { words: rest.join(' '), usage: '/发布 [活动代码]' });
    const r = await publishRound({ ctx: ctx.svc, actorOpenId: ctx.actor.openId, input: { campaignCode: code } });
    const nextLabel = r.shortlist.nextRound?.label ?? null;
    const approvedBy = r.shortlist.decision?.decision === 'approved' ? r.shortlist.decision.leaderName : null;
    const card = publishedResultCard({ campaign: r.campaign, round: r.round, nextLabel, approvedBy, total: r.total, kept: r.items });
    const base = `review:publish:${r.round.id}`;
    const notify: Notification[] = [{ key: `${base}:group`, kind: 'review.published', to: { chatId: r.chatId }, message: { kind: 'card', card } }];
    let told = 0;
    for (const o of r.outcomes) {
      const outcome = o.kept ? (nextLabel ? `入围，进入“${nextLabel}”` : '入选') : '未入围';
      const text = `【${r.campaign.name}】你单位的${o.item.trackingNo}《${o.item.title}》在“${r.round.label}”中${outcome}（共评审${r.total}项，入围${r.items.length}项）。`;
      for (const openId of o.liaisons) notify.push(textNotice(`${base}:${o.item.id}:${openId}`, 'review.outcome', openId, text));
      if (o.liaisons.length) told += 1;
    }
    const missing = r.outcomes.length - told;
    const again = r.again ? '（此前已发布过，已发送过的通知不会重复发送）' : '';
    const lines = [`已发布“${r.round.label}”结果${again}：通知群收到结果卡片，${told}项成果的单位联络人收到了本单位的结果。`];
    if (missing) lines.push(`${missing}项成果的单位没有联络人，未能通知，请用“/单位 联络人”设置后重新发布。`);
    return { kind: 'text', text: lines.join('\n'), notify };
  },
});

export const exportCommand = defineCommand({
  name: '导出',
  aliases: ['export'],
  summary: '导出最近一个已关闭轮次的全部评分、投票和评语（XLSX）',
  usage: '/导出 [活动代码]',
  roles: ['admin'],
  args: oneCode('/导出 [活动代码]'),
  async run(ctx, all) {
    const { code, rest } = splitCode(all);
    if (rest.length) throw new DomainError('review.extraWords', { words: rest.join(' '), usage: '/导出 [活动代码]' });
    const s = await exportSummary({ ctx: ctx.svc, input: { campaignCode: code } });
    const link = ctx.links.link({ kind: 'round', campaignCode: s.campaign.code, roundId: s.round.id }, ctx.actor.openId, ctx.now);
    return { kind: 'card', card: exportCard({ ...s, link }) };
  },
});

export const publishCommands = [publish, exportCommand];
