// Several pending items for one person become one card: grouped by deadline (campaign and phase),
// nearest deadline first, duplicates dropped. Pure.
import { daysBetween } from './calendar.js';

/** What someone still has to do before a deadline, as a deadline source reports it. */
export interface PendingItem {
  campaignCode: string;
  campaignName: string;
  phaseKey: string;
  phaseLabel: string;
  deadline: Date;
  /** Who reported it, e.g. "campaign.submission". */
  source: string;
  /** One line of what is left, e.g. "本溪高新区：已报 0 项，至少 2 项". */
  text: string;
  /** The button that does it. */
  action?: { kind: 'submit'; campaignCode: string };
}

export interface ReminderSection {
  campaignCode: string;
  campaignName: string;
  phaseKey: string;
  phaseLabel: string;
  deadline: Date;
  /** Whole Beijing days left; 0 on the deadline day. */
  daysLeft: number;
  lines: string[];
  actions: NonNullable<PendingItem['action']>[];
}

export function mergePending(items: readonly PendingItem[], now: Date): ReminderSection[] {
  const sections = new Map<string, ReminderSection>();
  for (const item of items) {
    const key = `${item.campaignCode}:${item.phaseKey}`;
    let s = sections.get(key);
    if (!s) {
      s = {
        campaignCode: item.campaignCode,
        campaignName: item.campaignName,
        phaseKey: item.phaseKey,
        phaseLabel: item.phaseLabel,
        deadline: item.deadline,
        daysLeft: Math.max(0, daysBetween(now, item.deadline)),
        lines: [],
        actions: [],
      };
      sections.set(key, s);
    }
    if (!s.lines.includes(item.text)) s.lines.push(item.text);
    const action = item.action;
    if (action && !s.actions.some((a) => a.kind === action.kind && a.campaignCode === action.campaignCode)) s.actions.push(action);
  }
  return [...sections.values()].sort((a, b) => a.deadline.getTime() - b.deadline.getTime() || a.campaignCode.localeCompare(b.campaignCode));
}

/** "今天截止" / "明天截止" / "还剩 3 天". */
export function daysLeftText(daysLeft: number): string {
  if (daysLeft <= 0) return '今天截止';
  if (daysLeft === 1) return '明天截止';
  return `还剩 ${daysLeft} 天`;
}
