// The deadline reminder a person gets: computed at send time from every deadline source, so someone
// who finished in the meantime gets nothing (skipped_done), and all their due rows become one card.
import { deadlineReminderCard } from '../../../cards/reminders.js';
import { mergePending, type PendingItem } from '../../domain/reminders/merge.js';
import { deadlineSources, sourcesFor } from '../../services/reminder-sources.js';
import { mutedCampaignIds } from '../../services/reminder-views.js';
import type { GroupRenderer, ItemOutcome } from '../outbox-sender.js';
import { gate, type RendererOptions } from './shared.js';

export function deadlineReminderRenderer(opts: RendererOptions = {}): GroupRenderer {
  return {
    async render({ db, items, recipient, now }) {
      const outcomes = new Map<number, ItemOutcome>();
      const muted = await mutedCampaignIds(db, recipient);
      const pending: PendingItem[] = [];
      let mandatory = false;
      for (const item of items) {
        const g = await gate(db, item.params, now, { ...opts, muted });
        if (!g.ok) {
          outcomes.set(item.id, g.outcome);
          continue;
        }
        const left: PendingItem[] = [];
        for (const source of sourcesFor(g.deadline, opts.sources ?? deadlineSources)) left.push(...(await source.pending(db, g.deadline, recipient)));
        if (left.length === 0) {
          outcomes.set(item.id, { kind: 'skip', skip: 'done', reason: '已完成，或已不再负责（如不再是联络人）' });
          continue;
        }
        outcomes.set(item.id, { kind: 'include' });
        pending.push(...left);
        mandatory ||= g.deadline.mandatory;
      }
      const sections = mergePending(pending, now);
      return { message: sections.length ? { kind: 'card', card: deadlineReminderCard({ sections, mandatory }) } : undefined, outcomes };
    },
  };
}
