// Reminder preferences: a campaign's offsets and send time, its mandatory deadlines (both in the
// campaign definition, changed through the campaign service so they are locked, audited and the
// planned rows follow), and each person's mutes.
import { and, eq } from 'drizzle-orm';
import { campaigns, reminderMutes } from '../../db/schema/index.js';
import { describeOffsets, reminderSettingsOf } from '../domain/reminders/settings.js';
import { DomainError } from '../errors.js';
import { recordAudit } from './audit.js';
import { findCampaign, resolvePhaseKey, updateDefinition, type CampaignRow } from './campaigns.js';
import type { ServiceCtx } from './context.js';
import { upsertUser } from './actors.js';

type Call<I> = { ctx: ServiceCtx; actorOpenId: string; input: I };

/** Sets the offsets and/or the send time of a campaign's reminders (already validated by the domain parsers). */
export async function setReminderSchedule({ ctx, actorOpenId, input }: Call<{ code?: string | undefined; offsets?: number[]; time?: string }>): Promise<CampaignRow> {
  const campaign = await findCampaign({ ctx, code: input.code });
  const current = reminderSettingsOf(campaign.definition);
  const offsets = input.offsets ?? current.offsets;
  const time = input.time ?? current.time;
  return updateDefinition({
    ctx,
    campaignId: campaign.id,
    actorOpenId,
    action: 'campaign.reminders.schedule',
    reason: `提醒设置：${describeOffsets(offsets)}，${time}（原为 ${describeOffsets(current.offsets)}，${current.time}）`,
    change: (definition) => ({ ok: true, value: { ...definition, reminders: { ...definition.reminders, offsets, time } } }),
  });
}

/** Marks (or unmarks) a phase's deadline as mandatory: its reminders reach people who muted the campaign. */
export async function setMandatory({ ctx, actorOpenId, input }: Call<{ code?: string | undefined; phase: string; mandatory: boolean }>): Promise<{ campaign: CampaignRow; phaseLabel: string; changed: boolean }> {
  const campaign = await findCampaign({ ctx, code: input.code });
  const key = resolvePhaseKey(campaign.definition.phases, input.phase);
  const phaseLabel = campaign.definition.phases.find((p) => p.key === key)?.label ?? key;
  const current = reminderSettingsOf(campaign.definition).mandatory;
  if (current.includes(key) === input.mandatory) return { campaign, phaseLabel, changed: false };
  const mandatory = input.mandatory ? [...current, key] : current.filter((k) => k !== key);
  const row = await updateDefinition({
    ctx,
    campaignId: campaign.id,
    actorOpenId,
    action: 'campaign.reminders.mandatory',
    reason: `${input.mandatory ? '设为' : '取消'}必需提醒：${phaseLabel}`,
    change: (definition) => ({ ok: true, value: { ...definition, reminders: { ...definition.reminders, mandatory } } }),
  });
  return { campaign: row, phaseLabel, changed: true };
}

/** Mutes or unmutes a campaign's reminders for the actor. Idempotent; a change is audited. */
export async function setMuted({ ctx, actorOpenId, input }: Call<{ campaignId: number; muted: boolean }>): Promise<{ campaign: CampaignRow; changed: boolean }> {
  const [campaign] = await ctx.db.select().from(campaigns).where(eq(campaigns.id, input.campaignId));
  if (!campaign) throw new DomainError('reminder.campaignGone', { code: String(input.campaignId) });
  const settings = reminderSettingsOf(campaign.definition);
  if (input.muted && campaign.definition.phases.every((p) => settings.mandatory.includes(p.key))) {
    throw new DomainError('reminder.allMandatory', { name: campaign.name });
  }
  const at = ctx.clock.now();
  let changed: boolean;
  if (input.muted) {
    await upsertUser(ctx.db, { openId: actorOpenId, at });
    const rows = await ctx.db.insert(reminderMutes).values({ userOpenId: actorOpenId, campaignId: campaign.id, createdAt: at }).onConflictDoNothing().returning();
    changed = rows.length > 0;
  } else {
    const rows = await ctx.db
      .delete(reminderMutes)
      .where(and(eq(reminderMutes.userOpenId, actorOpenId), eq(reminderMutes.campaignId, campaign.id)))
      .returning();
    changed = rows.length > 0;
  }
  if (changed) {
    await recordAudit(ctx.db, { at, actorOpenId, action: input.muted ? 'reminder.mute' : 'reminder.unmute', entityType: 'campaign', entityId: campaign.code });
  }
  return { campaign, changed };
}

export async function isMuted(db: ServiceCtx['db'], openId: string, campaignId: number): Promise<boolean> {
  const rows = await db
    .select({ c: reminderMutes.campaignId })
    .from(reminderMutes)
    .where(and(eq(reminderMutes.userOpenId, openId), eq(reminderMutes.campaignId, campaignId)));
  return rows.length > 0;
}
