// Deadline sources: who has pending work before which deadline. The planner asks each source for
// its audience when a reminder moment comes near; the renderers ask it again at send time what the
// person still has to do (empty = done, nothing is sent). Issue 5 (reviews) and issue 8 (the ledger)
// add their own source to `deadlineSources`, the one list the planner and renderers read.
import type { Db } from '../../db/types.js';
import type { CampaignPhase } from '../domain/campaign/phases.js';
import { parseInstant } from '../domain/campaign/china-time.js';
import type { PendingItem } from '../domain/reminders/merge.js';
import { reminderSettingsOf, type ReminderSettings } from '../domain/reminders/settings.js';
import type { CampaignRow } from './campaigns.js';
import { campaignSubmissionSource } from './reminder-source-submissions.js';
import { leaderDecisionSource, reviewDeadlineSource } from './reminder-source-reviews.js';

/** One deadline: a phase of a campaign, with its live dates and the campaign's reminder settings. */
export interface Deadline {
  campaign: Pick<CampaignRow, 'id' | 'code' | 'name' | 'status' | 'noticeChatId' | 'definition'>;
  phase: CampaignPhase;
  opensAt: Date;
  closesAt: Date;
  settings: ReminderSettings;
  /** `deadline:<campaign code>:<phase key>`: the outbox topic of everything planned for it. */
  topic: string;
  mandatory: boolean;
}

/** One line of the admin's digest: a unit (or person) and what is still missing. */
export interface DigestLine {
  who: string;
  /** Names of the people who get the reminders for it; empty when nobody would (no liaison). */
  contacts: string[];
  text: string;
}

/** The numbers a group's daily progress card shows. */
export interface ProgressFigures {
  done: number;
  total: number;
  /** e.g. "已报 12 项" */
  detail: string;
  behind: string[];
}

export interface DeadlineSource {
  name: string;
  /** Whether this phase is one of this source's deadlines. */
  covers(campaign: Deadline['campaign'], phase: CampaignPhase): boolean;
  /** Everyone with pending work now (open ids), asked when a reminder moment is near. */
  audience(db: Db, deadline: Deadline): Promise<string[]>;
  /** What `recipient` still has to do, asked at send time. */
  pending(db: Db, deadline: Deadline, recipient: string): Promise<PendingItem[]>;
  /** Who is behind, for the office's digest. */
  digest(db: Db, deadline: Deadline): Promise<DigestLine[]>;
  /** Progress for the bound group's daily card; undefined (or no method) when there is nothing to count. */
  progress?(db: Db, deadline: Deadline): Promise<ProgressFigures | undefined>;
}

export const deadlineSources: readonly DeadlineSource[] = [campaignSubmissionSource, reviewDeadlineSource, leaderDecisionSource];

export const topicOf = (code: string, phaseKey: string): string => `deadline:${code}:${phaseKey}`;

/** The deadlines of a campaign, one per phase. */
export function deadlinesOf(campaign: Deadline['campaign']): Deadline[] {
  const settings = reminderSettingsOf(campaign.definition);
  return campaign.definition.phases.map((phase) => ({
    campaign,
    phase,
    opensAt: parseInstant(phase.opensAt),
    closesAt: parseInstant(phase.closesAt),
    settings,
    topic: topicOf(campaign.code, phase.key),
    mandatory: settings.mandatory.includes(phase.key),
  }));
}

export function sourcesFor(deadline: Deadline, sources: readonly DeadlineSource[] = deadlineSources): DeadlineSource[] {
  return sources.filter((s) => s.covers(deadline.campaign, deadline.phase));
}
