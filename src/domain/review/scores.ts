// A reviewer's score sheet: one score per criterion within its scale, a vote (推荐 / 不推荐 / 弃权) and a comment of
// at most 500 characters. Validation reads what a card form sends (numbers or text) and names every bad field.
import type { Failure } from '../campaign/result.js';
import type { SubmissionKind, TemplateCriterion } from '../campaign/template.js';
import { formatNumber } from './format.js';

export const votes = ['recommend', 'not_recommend', 'abstain'] as const;
export type Vote = (typeof votes)[number];
export const voteLabels: Record<Vote, string> = { recommend: '推荐', not_recommend: '不推荐', abstain: '弃权' };

export const COMMENT_MAX_CHARS = 500;

export type ScoreCriterion = Pick<TemplateCriterion, 'key' | 'label' | 'weight' | 'scale'>;

/** The criteria a round scores: topics on 问题导向/创新程度/实践效果, achievements on the four standards (seed 000 §三, §四.3). */
export function criteriaForStage<C extends Pick<TemplateCriterion, 'stage'>>(criteria: readonly C[] | undefined, stage: SubmissionKind): C[] {
  return (criteria ?? []).filter((c) => c.stage === stage);
}

export interface ScoreSheetInput {
  /** Criterion key -> what the reviewer entered. */
  scores: Readonly<Record<string, unknown>>;
  vote: unknown;
  comment?: unknown;
}

export interface ScoreSheet {
  scores: Record<string, number>;
  vote: Vote;
  /** Trimmed; empty when none was given. */
  comment: string;
}

/** `field` is a criterion key, 'vote' or 'comment', so a form can put the line under the right input. */
export interface ScoreProblem {
  field: string;
  message: string;
}

export type ScoreSheetFailure = Failure<'invalid_score_sheet'> & { problems: ScoreProblem[] };

const scaleText = (c: ScoreCriterion): string => `${formatNumber(c.scale.min)}–${formatNumber(c.scale.max)}分`;

/** Full-width digits and points (from a Chinese input method) are read as ASCII. */
function toAscii(text: string): string {
  return text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[．。]/g, '.').replace(/－/g, '-');
}

type Parsed = { kind: 'missing' } | { kind: 'nan'; raw: string } | { kind: 'number'; value: number };

function parseScore(raw: unknown): Parsed {
  if (raw === undefined || raw === null) return { kind: 'missing' };
  if (typeof raw === 'number') return Number.isFinite(raw) ? { kind: 'number', value: raw } : { kind: 'nan', raw: String(raw) };
  if (typeof raw !== 'string') return { kind: 'nan', raw: typeof raw === 'boolean' ? String(raw) : '（非数字）' };
  const text = toAscii(raw.trim());
  if (text === '') return { kind: 'missing' };
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) return { kind: 'nan', raw: raw.trim() };
  return { kind: 'number', value: Number(text) };
}

export function parseVote(raw: unknown): Vote | undefined {
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  return votes.find((v) => v === text || voteLabels[v] === text);
}

export function validateScoreSheet(
  criteria: readonly ScoreCriterion[],
  input: ScoreSheetInput,
): { ok: true; value: ScoreSheet } | ScoreSheetFailure {
  const problems: ScoreProblem[] = [];
  const scores: Record<string, number> = {};
  for (const c of criteria) {
    const parsed = parseScore(input.scores[c.key]);
    if (parsed.kind === 'missing') problems.push({ field: c.key, message: `请为“${c.label}”打分（${scaleText(c)}）。` });
    else if (parsed.kind === 'nan') {
      problems.push({ field: c.key, message: `“${c.label}”的评分必须是数字（${scaleText(c)}），现在填的是“${parsed.raw}”。` });
    } else if (parsed.value < c.scale.min || parsed.value > c.scale.max) {
      problems.push({
        field: c.key,
        message: `“${c.label}”的评分应在${formatNumber(c.scale.min)}到${formatNumber(c.scale.max)}分之间，现在是${formatNumber(parsed.value, 6)}分。`,
      });
    } else scores[c.key] = parsed.value;
  }
  const known = new Set(criteria.map((c) => c.key));
  for (const key of Object.keys(input.scores).sort()) {
    if (!known.has(key)) problems.push({ field: key, message: `评分表中有本轮不评的项目“${key}”，请刷新卡片后重新填写。` });
  }

  const vote = parseVote(input.vote);
  if (vote === undefined) {
    const blank = input.vote === undefined || input.vote === null || (typeof input.vote === 'string' && input.vote.trim() === '');
    problems.push({
      field: 'vote',
      message: blank ? '请选择投票意见：推荐、不推荐或弃权。' : `投票意见只能是推荐、不推荐或弃权，现在是“${String(input.vote).trim()}”。`,
    });
  }

  let comment = '';
  if (input.comment !== undefined && input.comment !== null) {
    if (typeof input.comment !== 'string') problems.push({ field: 'comment', message: '评语必须是文字。' });
    else {
      comment = input.comment.trim();
      const length = [...comment].length;
      if (length > COMMENT_MAX_CHARS) {
        problems.push({ field: 'comment', message: `评语最多${COMMENT_MAX_CHARS}字，现在有${length}字，请删减${length - COMMENT_MAX_CHARS}字。` });
      }
    }
  }

  if (problems.length > 0 || vote === undefined) {
    const [first] = problems;
    const message =
      problems.length === 1 && first ? first.message : `评分表有${problems.length}处需要修改：${problems.map((p) => p.message).join('')}`;
    return { ok: false, code: 'invalid_score_sheet', message, problems };
  }
  return { ok: true, value: { scores, vote, comment } };
}

/**
 * A sheet's weighted score: Σ weight × score / Σ weight. On the criteria's own scale when they share one (4 criteria
 * × 0–10 give 0–10); with mixed scales a criterion's pull is its weight times its scale width. Null without criteria
 * (a round that only votes).
 */
export function weightedScore(criteria: readonly ScoreCriterion[], scores: Readonly<Record<string, number>>): number | null {
  if (criteria.length === 0) return null;
  let sum = 0;
  let weights = 0;
  for (const c of criteria) {
    const s = scores[c.key];
    if (s === undefined) throw new RangeError(`score sheet lacks criterion ${c.key}`);
    sum += c.weight * s;
    weights += c.weight;
  }
  return sum / weights;
}

/** The lowest and highest weighted score a sheet can reach. */
export function weightedScoreRange(criteria: readonly ScoreCriterion[]): { min: number; max: number } | null {
  if (criteria.length === 0) return null;
  const weights = criteria.reduce((s, c) => s + c.weight, 0);
  return {
    min: criteria.reduce((s, c) => s + c.weight * c.scale.min, 0) / weights,
    max: criteria.reduce((s, c) => s + c.weight * c.scale.max, 0) / weights,
  };
}
