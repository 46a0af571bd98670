// Read side of reminders: a deadline as it stands at send time, "my upcoming reminders" for /提醒,
// and the rows of one person for /提醒 记录 ("did X get the reminder?").
import { eq, inArray } from 'drizzle-orm';
import { campaigns, reminderMutes, users } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { officialCalendar, type WorkCalendar } from '../domain/reminders/calendar.js';
import { reminderMoments } from '../domain/reminders/schedule.js';
import { describeOffsets, reminderSettingsOf } from '../domain/reminders/settings.js';
import type { ServiceCtx } from './context.js';
import type { OutboxRow } from './outbox.js';
import { reminderRowsFor } from './reminder-outbox.js';
import { deadlineSources, deadlinesOf, sourcesFor, type Deadline, type DeadlineSource } from './reminder-sources.js';

export function scheduleText(definition: Parameters<typeof reminderSettingsOf>[0]): string {
  const s = reminderSettingsOf(definition);
  return `${describeOffsets(s.offsets)}，${s.time}（北京时间）`;
}

export type DeadlineLookup = { ok: true; deadline: Deadline } | { ok: false; reason: string };

/** The deadline a row is about, as it is now; or why nothing should be sent for it any more. */
export async function loadDeadline(db: Db, params: Record<string, unknown>, now: Date): Promise<DeadlineLookup> {
  const campaignId = typeof params.campaignId === 'number' ? params.campaignId : NaN;
  const phaseKey = typeof params.phase === 'string' ? params.phase : '';
  const [campaign] = Number.isInteger(campaignId) ? await db.select().from(campaigns).where(eq(campaigns.id, campaignId)) : [];
  if (!campaign) return { ok: false, reason: '活动已删除或提醒内容无法识别' };
  if (campaign.status === 'archived') return { ok: false, reason: '活动已归档' };
  const deadline = deadlinesOf(campaign).find((d) => d.phase.key === phaseKey);
  if (!deadline) return { ok: false, reason: `活动中已没有阶段“${phaseKey}”` };
  if (now.getTime() >= deadline.closesAt.getTime()) return { ok: false, reason: `“${deadline.phase.label}”已截止` };
  return { ok: true, deadline };
}

export async function mutedCampaignIds(db: Db, openId: string): Promise<Set<number>> {
  const rows = await db.select({ id: reminderMutes.campaignId }).from(reminderMutes).where(eq(reminderMutes.userOpenId, openId));
  return new Set(rows.map((r) => r.id));
}

export interface MyDeadline {
  phaseLabel: string;
  closesAt: Date;
  mandatory: boolean;
  pending: string[];
  /** The next reminder moment, if one is left. */
  next: Date | undefined;
}

export interface MyCampaignReminders {
  campaignId: number;
  code: string;
  name: string;
  muted: boolean;
  /** False when every deadline shown is mandatory (nothing to mute). */
  canMute: boolean;
  /** e.g. "提前7天、3天、1天和截止当天，09:00" */
  schedule: string;
  deadlines: MyDeadline[];
}

/** Per active campaign: the open deadlines this person has work for, and when they will be reminded. */
export async function myReminders(
  ctx: ServiceCtx,
  openId: string,
  opts: { calendar?: WorkCalendar; sources?: readonly DeadlineSource[] } = {},
): Promise<MyCampaignReminders[]> {
  const now = ctx.clock.now();
  const calendar = opts.calendar ?? officialCalendar;
  const active = await ctx.db.select().from(campaigns).where(eq(campaigns.status, 'active'));
  const muted = await mutedCampaignIds(ctx.db, openId);
  const out: MyCampaignReminders[] = [];
  for (const campaign of active) {
    const deadlines: MyDeadline[] = [];
    for (const d of deadlinesOf(campaign)) {
      if (now.getTime() >= d.closesAt.getTime()) continue;
      const pending: string[] = [];
      for (const source of sourcesFor(d, opts.sources ?? deadlineSources)) pending.push(...(await source.pending(ctx.db, d, openId)).map((p) => p.text));
      if (pending.length === 0) continue;
      const next = reminderMoments(d.closesAt, d.settings, calendar, d.opensAt).find((m) => m.at.getTime() > now.getTime())?.at;
      deadlines.push({ phaseLabel: d.phase.label, closesAt: d.closesAt, mandatory: d.mandatory, pending, next });
    }
    if (deadlines.length === 0 && !muted.has(campaign.id)) continue;
    out.push({
      campaignId: campaign.id,
      code: campaign.code,
      name: campaign.name,
      muted: muted.has(campaign.id),
      canMute: deadlines.length === 0 || deadlines.some((d) => !d.mandatory),
      schedule: scheduleText(campaign.definition),
      deadlines,
    });
  }
  return out;
}

export interface ReminderLogEntry {
  kind: string;
  /** "LN2022 · 选题申报" */
  what: string;
  status: OutboxRow['status'];
  dueAt: Date;
  sentAt: Date | null;
  attempts: number;
  note: string | null;
}

/** A person's reminder rows in every state, newest first, with their name when known. */
export async function reminderLog(ctx: ServiceCtx, recipient: string, campaignCode?: string): Promise<{ name: string | undefined; entries: ReminderLogEntry[] }> {
  const rows = await reminderRowsFor(ctx.db, recipient, campaignCode?.toUpperCase());
  const [person] = await ctx.db.select({ name: users.name }).from(users).where(inArray(users.openId, [recipient]));
  const codes = [...new Set(rows.map((r) => r.topic?.split(':')[1]).filter((c): c is string => Boolean(c)))];
  const known = codes.length ? await ctx.db.select({ code: campaigns.code, definition: campaigns.definition }).from(campaigns).where(inArray(campaigns.code, codes)) : [];
  const label = (topic: string | null): string => {
    const [, code = '', phase = ''] = (topic ?? '').split(':');
    const found = known.find((c) => c.code === code)?.definition.phases.find((p) => p.key === phase);
    return code ? `${code} · ${found?.label ?? phase}` : '（未知事项）';
  };
  return {
    name: person?.name ?? undefined,
    entries: rows.map((r) => ({ kind: r.kind, what: label(r.topic), status: r.status, dueAt: r.dueAt, sentAt: r.sentAt, attempts: r.attempts, note: r.lastError })),
  };
}

/** Display names for open ids (the id itself when no name is known). */
export async function displayNames(db: Db, openIds: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(openIds)];
  const rows = unique.length ? await db.select({ openId: users.openId, name: users.name }).from(users).where(inArray(users.openId, unique)) : [];
  const names = new Map(rows.map((r) => [r.openId, r.name ?? r.openId]));
  return new Map(unique.map((id) => [id, names.get(id) ?? id]));
}
