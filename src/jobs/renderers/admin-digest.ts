// The office's digest at each reminder moment: who is still pending per unit (from every deadline
// source) and which reminders could not be delivered, with the reason. Several deadlines due at
// once for one admin are one card.
import { adminDigestCard, type DigestSection } from '../../../cards/reminders.js';
import { daysBetween } from '../../domain/reminders/calendar.js';
import { failedSends } from '../../services/reminder-outbox.js';
import { deadlineSources, sourcesFor, type DigestLine } from '../../services/reminder-sources.js';
import { displayNames, mutedCampaignIds } from '../../services/reminder-views.js';
import type { GroupRenderer, ItemOutcome } from '../outbox-sender.js';
import { gate, type RendererOptions } from './shared.js';

export function adminDigestRenderer(opts: RendererOptions = {}): GroupRenderer {
  return {
    async render({ db, items, recipient, now }) {
      const outcomes = new Map<number, ItemOutcome>();
      const muted = await mutedCampaignIds(db, recipient);
      const sections: DigestSection[] = [];
      const seen = new Set<string>();
      for (const item of items) {
        const g = await gate(db, item.params, now, { ...opts, muted });
        if (!g.ok) {
          outcomes.set(item.id, g.outcome);
          continue;
        }
        const d = g.deadline;
        if (seen.has(d.topic)) {
          outcomes.set(item.id, { kind: 'include' });
          continue;
        }
        const lines: DigestLine[] = [];
        for (const source of sourcesFor(d, opts.sources ?? deadlineSources)) lines.push(...(await source.digest(db, d)));
        const failed = await failedSends(db, [d.topic]);
        if (lines.length === 0 && failed.length === 0) {
          outcomes.set(item.id, { kind: 'skip', skip: 'done', reason: '没有待办单位，也没有发送失败的提醒' });
          continue;
        }
        const names = await displayNames(db, failed.map((f) => f.recipient));
        seen.add(d.topic);
        outcomes.set(item.id, { kind: 'include' });
        sections.push({
          campaignName: d.campaign.name,
          campaignCode: d.campaign.code,
          phaseLabel: d.phase.label,
          deadline: d.closesAt,
          daysLeft: Math.max(0, daysBetween(now, d.closesAt)),
          lines,
          failures: failed.map((f) => ({ who: names.get(f.recipient) ?? f.recipient, reason: f.lastError ?? '未知原因', at: f.dueAt })),
        });
      }
      sections.sort((a, b) => a.deadline.getTime() - b.deadline.getTime());
      return { message: sections.length ? { kind: 'card', card: adminDigestCard(sections) } : undefined, outcomes };
    },
  };
}
