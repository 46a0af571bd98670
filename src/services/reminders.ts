// Reminder planning. The database is the source of truth: every push about a deadline is an outbox
// row keyed by what, for whom, which deadline and which offset, planned with INSERT … ON CONFLICT DO
// NOTHING, so ten planners on one schedule plan each row once. Rows are deferred: whether the person
// still has work (or muted the campaign) is decided when the row is sent. Rows are planned a few hours
// ahead (`horizonMs`); a moved deadline moves the rows already planned and drops those no longer needed.
import { inArray } from 'drizzle-orm';
import { campaigns } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { officialCalendar, type WorkCalendar } from '../domain/reminders/calendar.js';
import { dailyMoments, momentsToPlan, nextAllowedMoment, reminderMoments, type ReminderMoment } from '../domain/reminders/schedule.js';
import { officeAdmins } from './actors.js';
import type { ServiceCtx } from './context.js';
import { enqueueOutbox, type OutboxItem } from './outbox.js';
import { dropPlanned, existingKeys, moveDue, plannedPrefixes } from './reminder-outbox.js';
import { deadlineSources, deadlinesOf, sourcesFor, type Deadline, type DeadlineSource } from './reminder-sources.js';

export const DEFAULT_HORIZON_MS = 3 * 60 * 60 * 1000;
export const DEFAULT_CATCH_UP_MS = 12 * 60 * 60 * 1000;
const INSERT_CHUNK = 1000;

export interface PlanOptions {
  now: Date;
  /** Admins from configuration; admins granted in the database are added. */
  adminOpenIds?: readonly string[];
  horizonMs?: number;
  catchUpMs?: number;
  calendar?: WorkCalendar;
  sources?: readonly DeadlineSource[];
  /** Only these campaigns (a replan); default all. */
  campaignIds?: readonly number[];
}

export interface PlanReport {
  planned: number;
  moved: number;
  dropped: number;
}

export type ReminderRowKind = 'reminder' | 'digest';

export const reminderKeyPrefix = (kind: ReminderRowKind, code: string, phaseKey: string, offset: number): string =>
  `${kind}:${code}:${phaseKey}:d${offset}:`;

export const progressKey = (code: string, phaseKey: string, day: string): string => `progress:${code}:${phaseKey}:${day}`;

/** What a deferred reminder row carries to its renderer. */
export interface ReminderParams {
  [key: string]: unknown;
  campaignId: number;
  code: string;
  phase: string;
  offset?: number;
  day?: string;
}

const rendererOf = { reminder: 'deadline.reminder', digest: 'deadline.digest' } as const;

async function insertNew(db: Db, topic: string, prefix: string, items: OutboxItem[], now: Date): Promise<number> {
  if (items.length === 0) return 0;
  const existing = await existingKeys(db, topic, prefix);
  const fresh = items.filter((i) => !existing.has(i.key));
  let planned = 0;
  for (let i = 0; i < fresh.length; i += INSERT_CHUNK) planned += await enqueueOutbox(db, fresh.slice(i, i + INSERT_CHUNK), now);
  return planned;
}

function reminderRows(kind: ReminderRowKind, d: Deadline, m: ReminderMoment, recipients: readonly string[]): OutboxItem[] {
  const prefix = reminderKeyPrefix(kind, d.campaign.code, d.phase.key, m.offset);
  const params: ReminderParams = { campaignId: d.campaign.id, code: d.campaign.code, phase: d.phase.key, offset: m.offset };
  return recipients.map((openId) => ({
    key: `${prefix}${openId}`,
    kind: rendererOf[kind],
    topic: d.topic,
    to: { openId },
    payload: { kind: 'deferred', renderer: rendererOf[kind], params },
    dueAt: m.at,
  }));
}

async function loadCampaigns(db: Db, ids: readonly number[] | undefined): Promise<Deadline['campaign'][]> {
  const columns = { id: campaigns.id, code: campaigns.code, name: campaigns.name, status: campaigns.status, noticeChatId: campaigns.noticeChatId, definition: campaigns.definition };
  if (ids) return ids.length ? db.select(columns).from(campaigns).where(inArray(campaigns.id, [...ids])) : [];
  return db.select(columns).from(campaigns);
}

/** Plans what is due within the horizon for every open deadline, and drops rows of closed phases and archived campaigns. */
export async function planReminders(ctx: ServiceCtx, opts: PlanOptions): Promise<PlanReport> {
  const { db } = ctx;
  const { now } = opts;
  const calendar = opts.calendar ?? officialCalendar;
  const horizonMs = opts.horizonMs ?? DEFAULT_HORIZON_MS;
  const catchUpMs = opts.catchUpMs ?? DEFAULT_CATCH_UP_MS;
  const report: PlanReport = { planned: 0, moved: 0, dropped: 0 };
  const rows = await loadCampaigns(db, opts.campaignIds);
  let admins: string[] | undefined;

  for (const campaign of rows) {
    const deadlines = deadlinesOf(campaign);
    if (campaign.status === 'archived') {
      report.dropped += await dropPlanned(db, deadlines.map((d) => d.topic), '活动已归档，不再提醒');
      continue;
    }
    for (const d of deadlines) {
      if (now.getTime() >= d.closesAt.getTime()) {
        report.dropped += await dropPlanned(db, [d.topic], '阶段已截止，不再提醒');
        continue;
      }
      const sources = sourcesFor(d, opts.sources ?? deadlineSources);
      if (sources.length === 0) continue;
      const schedule = { horizonMs, catchUpMs, deadline: d.closesAt, calendar, preferredTime: d.settings.time };
      const moments = momentsToPlan(reminderMoments(d.closesAt, d.settings, calendar, d.opensAt), now, schedule);
      if (moments.length > 0) {
        const audience = new Set<string>();
        for (const source of sources) for (const openId of await source.audience(db, d)) audience.add(openId);
        admins ??= await officeAdmins(db, opts.adminOpenIds ?? []);
        for (const m of moments) {
          report.planned += await insertNew(db, d.topic, reminderKeyPrefix('reminder', d.campaign.code, d.phase.key, m.offset), reminderRows('reminder', d, m, [...audience]), now);
          report.planned += await insertNew(db, d.topic, reminderKeyPrefix('digest', d.campaign.code, d.phase.key, m.offset), reminderRows('digest', d, m, admins), now);
        }
      }
      report.planned += await planProgress(db, d, sources, now, schedule);
    }
  }
  return report;
}

/** The bound group's daily progress card, on allowed days while the phase is open. */
async function planProgress(
  db: Db,
  d: Deadline,
  sources: readonly DeadlineSource[],
  now: Date,
  s: { horizonMs: number; catchUpMs: number; calendar: WorkCalendar },
): Promise<number> {
  const chatId = d.campaign.noticeChatId;
  if (!chatId || !sources.some((x) => x.progress)) return 0;
  const range = { from: new Date(now.getTime() - s.catchUpMs), until: new Date(now.getTime() + s.horizonMs) };
  const items: OutboxItem[] = [];
  for (const { day, at } of dailyMoments(d, range, s.calendar, d.settings.time)) {
    const due = at.getTime() >= now.getTime() ? at : nextAllowedMoment(now, d.closesAt, s.calendar, d.settings.time);
    if (!due || due.getTime() - at.getTime() > s.catchUpMs) continue;
    const params: ReminderParams = { campaignId: d.campaign.id, code: d.campaign.code, phase: d.phase.key, day };
    items.push({ key: progressKey(d.campaign.code, d.phase.key, day), kind: 'deadline.progress', topic: d.topic, to: { chatId }, payload: { kind: 'deferred', renderer: 'deadline.progress', params }, dueAt: due });
  }
  return insertNew(db, d.topic, `progress:${d.campaign.code}:${d.phase.key}:`, items, now);
}

const PREFIX = /^(reminder|digest):[^:]+:[^:]+:d(\d+):$/;

/**
 * After a campaign's deadlines or reminder settings changed: still-planned rows move to their new
 * moment, rows no longer needed (offset removed, moment gone, phase closed, campaign archived) are
 * dropped with the reason, and what the new dates bring within the horizon is planned. Runs in the
 * caller's transaction (the campaign change), so the rows move together with the deadline.
 */
export async function replanCampaign(ctx: ServiceCtx, campaignId: number, opts: Omit<PlanOptions, 'now' | 'campaignIds'> = {}): Promise<PlanReport> {
  const { db } = ctx;
  const now = ctx.clock.now();
  const calendar = opts.calendar ?? officialCalendar;
  const catchUpMs = opts.catchUpMs ?? DEFAULT_CATCH_UP_MS;
  const report: PlanReport = { planned: 0, moved: 0, dropped: 0 };
  const [campaign] = await loadCampaigns(db, [campaignId]);
  if (!campaign) return report;
  if (campaign.status === 'active') {
    for (const d of deadlinesOf(campaign)) {
      if (now.getTime() >= d.closesAt.getTime()) continue; // dropped by the plan below
      const schedule = { horizonMs: Number.POSITIVE_INFINITY, catchUpMs, deadline: d.closesAt, calendar, preferredTime: d.settings.time };
      const valid = new Map(momentsToPlan(reminderMoments(d.closesAt, d.settings, calendar, d.opensAt), now, schedule).map((m) => [m.offset, m.at]));
      for (const prefix of await plannedPrefixes(db, d.topic)) {
        const offset = Number(PREFIX.exec(prefix)?.[2] ?? NaN);
        const at = valid.get(offset);
        if (at) report.moved += await moveDue(db, d.topic, prefix, at);
        else report.dropped += await dropPlanned(db, [d.topic], '截止时间或提醒设置已调整，这条提醒不再需要', prefix);
      }
    }
  }
  const planned = await planReminders(ctx, { ...opts, now, campaignIds: [campaignId] });
  return { planned: planned.planned, moved: report.moved, dropped: report.dropped + planned.dropped };
}
