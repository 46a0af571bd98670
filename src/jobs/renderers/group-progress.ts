// The bound group's daily progress card while a phase is open (seed 001: 群内日调度).
import { groupProgressCard } from '../../../cards/reminders.js';
import { daysBetween } from '../../domain/reminders/calendar.js';
import { deadlineSources, sourcesFor } from '../../services/reminder-sources.js';
import type { OutboxRenderer } from '../outbox-sender.js';
import { gate, type RendererOptions } from './shared.js';

export function groupProgressRenderer(opts: RendererOptions = {}): OutboxRenderer {
  return async ({ db, params, now }) => {
    const g = await gate(db, params, now, opts);
    if (!g.ok) {
      const o = g.outcome;
      return o.kind === 'defer' ? { defer: o.until, reason: o.reason } : { skip: o.skip, reason: o.reason };
    }
    const d = g.deadline;
    if (now.getTime() < d.opensAt.getTime()) return { skip: 'done', reason: `“${d.phase.label}”尚未开始` };
    const source = sourcesFor(d, opts.sources ?? deadlineSources).find((s) => s.progress);
    const figures = await source?.progress?.(db, d);
    if (!figures) return { skip: 'done', reason: '这个阶段没有可统计的进度' };
    return {
      message: {
        kind: 'card',
        card: groupProgressCard({
          campaignName: d.campaign.name,
          campaignCode: d.campaign.code,
          phaseLabel: d.phase.label,
          deadline: d.closesAt,
          daysLeft: Math.max(0, daysBetween(now, d.closesAt)),
          ...figures,
        }),
      },
    };
  };
}
