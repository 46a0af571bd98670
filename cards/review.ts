// The review card (score sheet form, what was given with 修改, read-only after close, 回避 with confirmation),
// the reviewer's /评审 list, the assignment notice and the admin's progress card (who has finished, never scores).
import { formatChinaDateTime } from '../src/domain/campaign/china-time.js';
import { formatNumber } from '../src/domain/review/format.js';
import { voteLabels, votes, weightedScore, type ScoreCriterion, type ScoreProblem, type ScoreSheetInput, type Vote } from '../src/domain/review/scores.js';
import { button, card, escapeMd, header, hr, md, text } from './kit.js';
import type { ButtonElement, Card, CardElement, FormChild } from './types.js';

export interface ReviewRefView {
  roundId: number;
  submissionId: number;
  reviewer: string;
}

export interface ReviewCardView {
  ref: ReviewRefView;
  campaign: { code: string; name: string };
  round: { label: string; deadline: Date | null };
  submission: { trackingNo: string; title: string; unitName: string; kindLabel: string; directionLabel?: string | undefined; problem?: string | undefined; innovation?: string | undefined; effect?: string | undefined };
  criteria: ScoreCriterion[];
  mine: { scores: Record<string, number>; vote: Vote; comment: string; updatedAt: Date; version: number } | null;
  status: 'assigned' | 'recused';
  locked: string | null;
}

/** What the reviewer typed, as text, to put back into a refused form. */
export interface RawSheet {
  scores: Record<string, string>;
  vote?: string | undefined;
  comment?: string | undefined;
}

const SCORE_PREFIX = 's_';
export const scoreFieldName = (criterionKey: string): string => `${SCORE_PREFIX}${criterionKey}`;
const asText = (v: unknown, max = 600): string | undefined => (typeof v === 'string' ? v.slice(0, max) : typeof v === 'number' ? String(v) : undefined);

/** Reads the score sheet form: `s_<criterion>` inputs, `vote` and `comment`. Values stay as typed; the domain validates them. */
export function readScoreForm(form: Record<string, unknown> | undefined): { sheet: ScoreSheetInput; raw: RawSheet } {
  const scores: Record<string, unknown> = {};
  const raw: RawSheet = { scores: {} };
  for (const [name, value] of Object.entries(form ?? {})) {
    if (!name.startsWith(SCORE_PREFIX)) continue;
    const key = name.slice(SCORE_PREFIX.length);
    scores[key] = value;
    const typed = asText(value, 40);
    if (typed !== undefined) raw.scores[key] = typed;
  }
  raw.vote = asText(form?.vote, 40);
  raw.comment = asText(form?.comment, 600);
  return { sheet: { scores, vote: form?.vote, comment: form?.comment }, raw };
}

const red = (message: string): CardElement & FormChild => ({ tag: 'markdown', content: `<font color='red'>${escapeMd(message)}</font>` });
const grey = (message: string): CardElement => md(`<font color='grey'>${escapeMd(message)}</font>`);
const payload = (a: 'review.open' | 'review.submit' | 'review.edit' | 'review.recuse' | 'review.recuseConfirm', ref: ReviewRefView) =>
  ({ v: 1 as const, a, r: ref.roundId, s: ref.submissionId, o: ref.reviewer });

function summary(v: ReviewCardView): CardElement[] {
  const s = v.submission;
  const facts = [`**编号**：${escapeMd(s.trackingNo)}`, `**申报单位**：${escapeMd(s.unitName)}`, `**类别**：${s.kindLabel}`];
  if (s.directionLabel) facts.push(`**重点方向**：${escapeMd(s.directionLabel)}`);
  const body: [string, string | undefined][] = [['解决的问题', s.problem], ['创新之处', s.innovation], ['取得的成效', s.effect]];
  const texts = body.filter(([, t]) => t).map(([k, t]) => `**${k}**：${escapeMd(t ?? '')}`);
  const deadline = v.round.deadline ? `评审截止：${formatChinaDateTime(v.round.deadline)}（北京时间）` : '本轮关闭前可以修改';
  return [md(`**${escapeMd(s.title)}**\n${facts.join('\n')}`), ...(texts.length ? [md(texts.join('\n\n'))] : []), grey(`${deadline}。评分和投票在本轮关闭前对所有人保密，包括管理员。`), hr()];
}

const scaleText = (c: ScoreCriterion): string => `${formatNumber(c.scale.min)}–${formatNumber(c.scale.max)}分`;

function head(v: ReviewCardView, color: Parameters<typeof header>[1]): ReturnType<typeof header> {
  return header(`评审 · ${v.round.label}`, color, `${v.campaign.name} · ${v.submission.trackingNo}`);
}

/** The score sheet. `values` and `problems` come back after a refused submit: what was typed, a red line per bad field. */
export function reviewFormCard(v: ReviewCardView, opts: { values?: RawSheet; problems?: readonly ScoreProblem[] } = {}): Card {
  const problems = opts.problems ?? [];
  const fields = new Set([...v.criteria.map((c) => c.key), 'vote', 'comment']);
  const errorOf = (field: string) => problems.filter((p) => p.field === field).map((p) => red(p.message));
  const given = v.mine;
  const typed = opts.values ?? (given ? { scores: Object.fromEntries(Object.entries(given.scores).map(([k, s]) => [k, formatNumber(s, 6)])), vote: given.vote, comment: given.comment } : { scores: {} });
  const elements: FormChild[] = [];
  for (const c of v.criteria) {
    elements.push({ tag: 'markdown', content: `**${escapeMd(c.label)}**（${scaleText(c)}${c.weight !== 1 ? `，权重${formatNumber(c.weight)}` : ''}）` });
    const input: FormChild = { tag: 'input', name: scoreFieldName(c.key), required: true, placeholder: text(`${formatNumber(c.scale.min)}–${formatNumber(c.scale.max)}`), max_length: 12 };
    const value = typed.scores[c.key];
    if (value) input.default_value = value;
    elements.push(input, ...errorOf(c.key));
  }
  const voteSelect: FormChild = { tag: 'select_static', name: 'vote', required: true, placeholder: text('推荐、不推荐或弃权'), options: votes.map((x) => ({ text: text(voteLabels[x]), value: x })) };
  const vote = votes.find((x) => x === typed.vote || voteLabels[x] === typed.vote);
  if (vote) voteSelect.initial_option = vote;
  elements.push({ tag: 'markdown', content: '**投票意见**' }, voteSelect, ...errorOf('vote'));
  const comment: FormChild = { tag: 'input', name: 'comment', input_type: 'multiline_text', rows: 3, max_length: 500, placeholder: text('选填，500字以内') };
  if (typed.comment) comment.default_value = typed.comment;
  elements.push({ tag: 'markdown', content: '**评语**（选填，500字以内）' }, comment, ...errorOf('comment'));
  const submit: ButtonElement = { ...button(given ? '保存修改' : '提交评审', payload('review.submit', v.ref), { name: 'submit', type: 'primary' }), form_action_type: 'submit' };
  elements.push(submit);
  const general = problems.filter((p) => !fields.has(p.field)).map((p) => red(p.message));
  const after: CardElement[] = [button('回避', payload('review.recuse', v.ref), { name: 'recuse', type: 'danger' })];
  if (given) after.unshift(button('取消修改', payload('review.open', v.ref), { name: 'cancel' }));
  return card(head(v, 'blue'), [...summary(v), ...general, { tag: 'form', name: 'review_form', elements }, ...after]);
}

function givenLines(v: ReviewCardView): string {
  const mine = v.mine;
  if (!mine) return '';
  const scores = v.criteria.map((c) => `- ${escapeMd(c.label)}：${mine.scores[c.key] === undefined ? '—' : formatNumber(mine.scores[c.key] ?? 0, 6)}分`);
  const total = v.criteria.every((c) => mine.scores[c.key] !== undefined) ? weightedScore(v.criteria, mine.scores) : null;
  return [
    '**你的评分**',
    ...scores,
    ...(total !== null ? [`加权得分：${formatNumber(total)}分`] : []),
    `**投票意见**：${voteLabels[mine.vote]}`,
    `**评语**：${mine.comment ? escapeMd(mine.comment) : '（无）'}`,
    `<font color='grey'>提交于 ${formatChinaDateTime(mine.updatedAt)}（第${mine.version}版）</font>`,
  ].join('\n');
}

/** What the reviewer gave, with 修改 while the round is open; read-only (and saying so) once it is closed or past its deadline. */
export function reviewCard(v: ReviewCardView): Card {
  if (v.status === 'recused') return card(head(v, 'grey'), [...summary(v), md('你已对这项成果声明回避，该项已改派给其他评审专家。')]);
  if (!v.mine && !v.locked) return reviewFormCard(v);
  const elements: CardElement[] = [...summary(v)];
  elements.push(md(v.mine ? givenLines(v) : '你没有在本轮关闭前提交这项评审。'));
  if (v.locked) elements.push(md(`<font color='grey'>**本卡片已只读**：${escapeMd(v.locked)}</font>`));
  else {
    elements.push(button('修改', payload('review.edit', v.ref), { name: 'edit', type: 'primary' }));
    elements.push(button('回避', payload('review.recuse', v.ref), { name: 'recuse', type: 'danger' }));
  }
  return card(head(v, v.locked ? 'grey' : 'green'), elements);
}

/** 回避: confirm, with an optional reason (max 200 characters). */
export function recuseConfirmCard(v: ReviewCardView, opts: { reason?: string; error?: string } = {}): Card {
  const reason: FormChild = { tag: 'input', name: 'reason', max_length: 200, placeholder: text('选填：例如 曾参与该成果的起草') };
  if (opts.reason) reason.default_value = opts.reason;
  const confirm: ButtonElement = { ...button('确认回避', payload('review.recuseConfirm', v.ref), { name: 'confirm', type: 'danger' }), form_action_type: 'submit' };
  return card(head(v, 'orange'), [
    ...summary(v),
    md('**声明回避**：与这项成果存在利益关系（本单位、上下级单位或其他关系）时应当回避。确认后此项将改派给其他评审专家；你已给出的评分和投票将作废。'),
    { tag: 'form', name: 'recuse_form', elements: [{ tag: 'markdown', content: '**回避理由**（选填，200字以内）' }, reason, ...(opts.error ? [red(opts.error)] : []), confirm] },
    button('取消', payload('review.open', v.ref), { name: 'cancel' }),
  ]);
}

export interface ReviewListEntryView {
  ref: ReviewRefView;
  campaignCode: string;
  roundLabel: string;
  trackingNo: string;
  title: string;
  deadline: Date | null;
  reviewedAt: Date | null;
}

const LIST_LIMITS = { pending: 20, done: 10, closed: 5 } as const;

/** /评审: pending reviews first, then those given (changeable until close), then closed rounds; each opens its card. */
export function myReviewsCard(lists: { pending: readonly ReviewListEntryView[]; done: readonly ReviewListEntryView[]; closed: readonly ReviewListEntryView[] }): Card {
  const elements: CardElement[] = [];
  const section = (title: string, entries: readonly ReviewListEntryView[], limit: number, label: string, kind: 'pending' | 'done' | 'closed') => {
    if (entries.length === 0) return;
    elements.push(md(`**${title}（${entries.length}项）**`));
    entries.slice(0, limit).forEach((e, i) => {
      const when = kind === 'pending' ? (e.deadline ? `，${formatChinaDateTime(e.deadline)}截止` : '') : e.reviewedAt ? `，提交于${formatChinaDateTime(e.reviewedAt)}` : '，未提交';
      elements.push(md(`${escapeMd(e.trackingNo)}\u3000${escapeMd(e.title)}\n<font color='grey'>${escapeMd(e.roundLabel)}（${e.campaignCode}）${when}</font>`));
      elements.push(button(label, payload('review.open', e.ref), { name: `${kind}_${i}`, type: kind === 'pending' ? 'primary' : 'default' }));
    });
    if (entries.length > limit) elements.push(grey(`还有${entries.length - limit}项未列出，完成上面的评审后再发送“/评审”查看。`));
  };
  section('待评审', lists.pending, LIST_LIMITS.pending, '评审', 'pending');
  section('已评审（本轮关闭前可修改）', lists.done, LIST_LIMITS.done, '查看或修改', 'done');
  section('已关闭的轮次', lists.closed, LIST_LIMITS.closed, '查看', 'closed');
  if (elements.length === 0) elements.push(md('目前没有分配给你的评审任务。'));
  const sub = lists.pending.length ? `还有${lists.pending.length}项待评审` : '没有待评审的项目';
  return card(header('我的评审', lists.pending.length ? 'orange' : 'green', sub), elements);
}

/** Sent to a reviewer when items are assigned to them. */
export function assignmentNoticeCard(v: { campaignName: string; roundLabel: string; deadline: Date | null; items: readonly { trackingNo: string; title: string }[] }): Card {
  const shown = v.items.slice(0, 15).map((i) => `- ${escapeMd(i.trackingNo)}\u3000${escapeMd(i.title)}`);
  if (v.items.length > 15) shown.push(`- ……共${v.items.length}项`);
  const deadline = v.deadline ? `请在 ${formatChinaDateTime(v.deadline)}（北京时间）前完成。` : '请在本轮关闭前完成。';
  return card(header(`评审任务 · ${v.roundLabel}`, 'orange', v.campaignName), [
    md(`你被分配了以下${v.items.length}项评审：\n${shown.join('\n')}`),
    md(`${deadline}如与某项存在利益关系，请在评审卡片上点“回避”。`),
    button('开始评审', { v: 1, a: 'review.list' }, { name: 'start', type: 'primary' }),
  ]);
}

export interface ProgressView {
  campaign: { name: string; code: string };
  round: { label: string; quorum: number; k: number; closesAt: Date | null };
  items: number;
  itemsAtQuorum: number;
  reviewers: readonly { name: string; assigned: number; done: number; recused: number }[];
}

/** /评审 进度: completion only. Scores and votes stay sealed until the round closes, from the admin too. */
export function progressCard(v: ProgressView): Card {
  const lines = v.reviewers.map((r) => `- ${escapeMd(r.name)}：已完成 ${r.done}/${r.assigned}${r.recused ? `（回避${r.recused}项）` : ''}${r.assigned > 0 && r.done === r.assigned ? ' ✓' : ''}`);
  const deadline = v.round.closesAt ? `，${formatChinaDateTime(v.round.closesAt)}截止` : '';
  return card(header(`评审进度 · ${v.round.label}`, 'wathet', `${v.campaign.name}${deadline}`), [
    md(`**达到法定份数的成果**：${v.itemsAtQuorum}/${v.items}（每项${v.round.quorum}份评审）`),
    md(lines.length ? lines.join('\n') : '还没有评审专家。请发送“/评审 专家 @某人”。'),
    grey('评审关闭前，任何人（包括管理员）都看不到评分和投票，这里只显示完成情况。全部达到法定份数后发送“/评审 关闭”；如需提前关闭，发送“/评审 关闭 <理由>”。'),
  ]);
}
