// Review rounds and their state machine. Three tracks (seed 000 §四, seed 003 二.2):
//   topic_selection:        办公室遴选 (office picks ≤ 20) → 领导确定 (leadership confirms ≤ 10)
//   evaluation:             初评 → 复评 (top 50 go on) → 现场答辩
//   supervision_incentive:  牵头部门评审
// A round is open (reviews may be given and changed; nobody sees anyone else's), then closed (only when every item
// has its quorum of reviews, or with a recorded override reason; scores become visible), then advanced once: the next
// round of the track opens with the survivors of this one. Time always comes in as an argument.
import { formatChinaDateTime } from '../campaign/china-time.js';
import { fail, ok, type Result } from '../campaign/result.js';
import type { CampaignTemplate, PhaseCap, TemplatePhase } from '../campaign/template.js';
import type { ItemId } from './order.js';

export const roundKinds = ['office_selection', 'leader_confirmation', 'initial_review', 're_review', 'defence', 'department_review'] as const;
export type RoundKind = (typeof roundKinds)[number];
export const roundKindLabels: Record<RoundKind, string> = {
  office_selection: '办公室遴选',
  leader_confirmation: '领导确定',
  initial_review: '初评',
  re_review: '复评',
  defence: '现场答辩',
  department_review: '牵头部门评审',
};

export const roundTracks = {
  topic_selection: ['office_selection', 'leader_confirmation'],
  evaluation: ['initial_review', 're_review', 'defence'],
  supervision_incentive: ['department_review'],
} as const satisfies Record<string, readonly RoundKind[]>;
export type RoundTrack = keyof typeof roundTracks;
export const roundTrackLabels: Record<RoundTrack, string> = { topic_selection: '选题遴选', evaluation: '成果评价', supervision_incentive: '督查激励评审' };

export const OVERRIDE_REASON_MIN_CHARS = 4;

export interface RoundOverride<Id extends ItemId> {
  reason: string;
  /** The items that had fewer reviews than the quorum when the round was closed. */
  short: { itemId: Id; reviews: number }[];
}

export interface ReviewRound<Id extends ItemId> {
  track: RoundTrack;
  kind: RoundKind;
  status: 'open' | 'closed';
  items: readonly Id[];
  /** Reviews each item needs before the round may close without an override. */
  quorum: number;
  openedAt: Date;
  deadline: Date | null;
  closedAt: Date | null;
  override: RoundOverride<Id> | null;
  /** Set once the next round has been opened from this one. */
  advancedAt: Date | null;
}

export type RoundFailureCode =
  | 'no_items'
  | 'invalid_quorum'
  | 'invalid_deadline'
  | 'already_closed'
  | 'quorum_not_met'
  | 'reason_required'
  | 'not_closed'
  | 'already_advanced'
  | 'last_round'
  | 'no_survivors'
  | 'unknown_survivor'
  | 'over_cap'
  | 'round_closed'
  | 'deadline_passed'
  | 'not_in_round';

const label = (kind: RoundKind): string => `“${roundKindLabels[kind]}”`;

/** The round that follows this kind in its track, if any. */
export function nextRoundKind(track: RoundTrack, kind: RoundKind): RoundKind | undefined {
  const kinds: readonly RoundKind[] = roundTracks[track];
  const at = kinds.indexOf(kind);
  return at < 0 ? undefined : kinds[at + 1];
}

/** Which template phase caps the items leaving a round: the office's ≤ 20, leadership's ≤ 10, the province's top 50. */
const capActor: Partial<Record<RoundKind, TemplatePhase['actor']>> = { office_selection: 'office', leader_confirmation: 'leader', re_review: 'province' };

export function roundExitCap(template: Pick<CampaignTemplate, 'phases'>, kind: RoundKind): { cap: PhaseCap; phaseLabel: string } | undefined {
  const actor = capActor[kind];
  const phase = actor === undefined ? undefined : template.phases.find((p) => p.actor === actor && p.cap !== undefined);
  return phase?.cap ? { cap: phase.cap, phaseLabel: phase.label } : undefined;
}

function checkStart<Id extends ItemId>(
  items: readonly Id[],
  quorum: number,
  at: Date,
  deadline: Date | null,
): Result<Id[], RoundFailureCode> {
  if (items.length === 0) return fail('no_items', '本轮没有可评审的成果，不能开启。');
  if (!Number.isSafeInteger(quorum) || quorum < 1) return fail('invalid_quorum', `每项成果需要的评审份数应为正整数（例如 3），现在是“${quorum}”。`);
  if (deadline !== null && !(deadline.getTime() > at.getTime())) {
    return fail('invalid_deadline', `评审截止时间${formatChinaDateTime(deadline)}不晚于现在，请选择以后的时间。`);
  }
  return ok([...new Set(items)]);
}

export interface OpenRoundInput<Id extends ItemId> {
  track: RoundTrack;
  items: readonly Id[];
  quorum: number;
  at: Date;
  deadline?: Date | null;
}

/** Opens the first round of a track. */
export function openFirstRound<Id extends ItemId>(input: OpenRoundInput<Id>): Result<ReviewRound<Id>, RoundFailureCode> {
  const deadline = input.deadline ?? null;
  const checked = checkStart(input.items, input.quorum, input.at, deadline);
  if (!checked.ok) return checked;
  const kind = roundTracks[input.track][0];
  return ok({
    track: input.track,
    kind,
    status: 'open',
    items: checked.value,
    quorum: input.quorum,
    openedAt: input.at,
    deadline,
    closedAt: null,
    override: null,
    advancedAt: null,
  });
}

export interface CloseRoundInput<Id extends ItemId> {
  /** Finished reviews per item; items missing from the map have none. */
  reviewCounts: ReadonlyMap<Id, number>;
  at: Date;
  /** Closes despite missing reviews; recorded on the round. */
  overrideReason?: string;
  /** How to name items in messages (tracking numbers); the id otherwise. */
  itemLabels?: ReadonlyMap<Id, string>;
}

export function closeRound<Id extends ItemId>(round: ReviewRound<Id>, input: CloseRoundInput<Id>): Result<ReviewRound<Id>, RoundFailureCode> {
  if (round.status === 'closed') {
    return fail('already_closed', `${label(round.kind)}已于${formatChinaDateTime(round.closedAt ?? input.at)}关闭，不能重复关闭。`);
  }
  const short = round.items
    .map((itemId) => ({ itemId, reviews: input.reviewCounts.get(itemId) ?? 0 }))
    .filter((s) => s.reviews < round.quorum);
  const reason = input.overrideReason?.trim() ?? '';
  if (short.length > 0) {
    if (input.overrideReason === undefined || reason === '') {
      const name = (id: Id): string => input.itemLabels?.get(id) ?? String(id);
      const listed = short.slice(0, 5).map((s) => `${name(s.itemId)}（${s.reviews}/${round.quorum}）`).join('、');
      const more = short.length > 5 ? `等${short.length}项` : '';
      return fail(
        'quorum_not_met',
        `${label(round.kind)}还有${short.length}项未达到每项${round.quorum}份评审的要求：${listed}${more}。请等评审完成后再关闭；如确需提前关闭，请注明理由后强制关闭。`,
      );
    }
    if ([...reason].length < OVERRIDE_REASON_MIN_CHARS) {
      return fail('reason_required', `强制关闭的理由至少要写${OVERRIDE_REASON_MIN_CHARS}个字，说明为什么在评审未完成时关闭（现在是“${reason}”）。`);
    }
  }
  return ok({ ...round, status: 'closed', closedAt: input.at, override: short.length > 0 ? { reason, short } : null });
}

export interface AdvanceInput<Id extends ItemId> {
  /** The shortlist cut from this round (shortlist.ts), best first. */
  survivors: readonly Id[];
  at: Date;
  /** This round's exit cap (roundExitCap), checked again here. */
  cap?: PhaseCap;
  quorum?: number;
  deadline?: Date | null;
}

/** Opens the next round with the survivors; returns this round marked as advanced, and the new one. */
export function openNextRound<Id extends ItemId>(
  round: ReviewRound<Id>,
  input: AdvanceInput<Id>,
): Result<{ previous: ReviewRound<Id>; next: ReviewRound<Id> }, RoundFailureCode> {
  if (round.status === 'open') return fail('not_closed', `${label(round.kind)}还没有关闭，请先关闭本轮，再开启下一轮。`);
  const kind = nextRoundKind(round.track, round.kind);
  if (kind === undefined) return fail('last_round', `${label(round.kind)}是${roundTrackLabels[round.track]}的最后一轮，没有下一轮。`);
  if (round.advancedAt !== null) return fail('already_advanced', `下一轮${label(kind)}已经开启，不能重复开启。`);
  if (input.survivors.length === 0) return fail('no_survivors', `入围名单为空，不能开启${label(kind)}。请先从本轮排名中确定入围名单。`);
  const inRound = new Set(round.items);
  const strangers = input.survivors.filter((id) => !inRound.has(id));
  if (strangers.length > 0) {
    return fail('unknown_survivor', `入围名单中有${strangers.length}项不在${label(round.kind)}中（${strangers.slice(0, 5).map(String).join('、')}），请按本轮排名重新确定入围名单。`);
  }
  const survivors = [...new Set(input.survivors)];
  if (input.cap && survivors.length > input.cap.max) {
    const rule = input.cap.rule === 'top' ? `只取排名前${input.cap.max}名` : `最多入围${input.cap.max}项`;
    return fail('over_cap', `${label(round.kind)}${rule}，入围名单有${survivors.length}项，请删减后再开启${label(kind)}。`);
  }
  const quorum = input.quorum ?? round.quorum;
  const deadline = input.deadline ?? null;
  const checked = checkStart(survivors, quorum, input.at, deadline);
  if (!checked.ok) return checked;
  return ok({
    previous: { ...round, advancedAt: input.at },
    next: {
      track: round.track,
      kind,
      status: 'open',
      items: checked.value,
      quorum,
      openedAt: input.at,
      deadline,
      closedAt: null,
      override: null,
      advancedAt: null,
    },
  });
}

/** Whether a reviewer may give or change a review of this item now. Services call it inside the write's transaction. */
export function canReview<Id extends ItemId>(round: ReviewRound<Id>, itemId: Id, now: Date): Result<true, RoundFailureCode> {
  if (round.status === 'closed') {
    return fail('round_closed', `${label(round.kind)}已于${formatChinaDateTime(round.closedAt ?? now)}关闭，评分和投票不能再修改。`);
  }
  if (round.deadline !== null && now.getTime() >= round.deadline.getTime()) {
    return fail('deadline_passed', `${label(round.kind)}的评审已于${formatChinaDateTime(round.deadline)}截止，评分和投票不能再修改。`);
  }
  if (!round.items.includes(itemId)) return fail('not_in_round', `这项成果不在${label(round.kind)}的评审范围内。`);
  return ok(true);
}

/** Sealed until closed: nobody, the admin included, sees another reviewer's scores or votes while the round is open. */
export function scoresVisible(round: Pick<ReviewRound<ItemId>, 'status'>): boolean {
  return round.status === 'closed';
}
