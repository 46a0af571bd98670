// The leader's approval card for a shortlist (批准 / 退回 with a reason), and the notice the office gets back.
import { formatChinaDateTime } from '../src/domain/campaign/china-time.js';
import { button, card, escapeMd, header, md, text } from './kit.js';
import type { ButtonElement, Card, CardElement, FormChild } from './types.js';

export interface ApprovalView {
  campaign: { name: string };
  round: { id: number; label: string };
  digest: string;
  nextLabel: string | null;
  items: readonly { rank: number; trackingNo: string; title: string; unitName: string }[];
  decision: { decision: 'approved' | 'returned'; reason: string | null; leaderName: string; decidedAt: Date } | null;
}

const ref = (v: ApprovalView) => ({ r: v.round.id, d: v.digest });

function list(v: ApprovalView): CardElement {
  const into = v.nextLabel ? `，拟进入“${v.nextLabel}”` : '';
  const lines = v.items.map((i) => `${i.rank}. ${escapeMd(i.title)}（${escapeMd(i.unitName)}，${escapeMd(i.trackingNo)}）`);
  return md(`办公室报送“${v.round.label}”入围名单共${v.items.length}项${into}，请审批：\n${lines.join('\n')}`);
}

function decided(v: ApprovalView): CardElement | undefined {
  const d = v.decision;
  if (!d) return undefined;
  const when = formatChinaDateTime(d.decidedAt);
  return d.decision === 'approved'
    ? md(`<font color='green'>**已批准**</font>（${escapeMd(d.leaderName)}，${when}）`)
    : md(`<font color='red'>**已退回**</font>（${escapeMd(d.leaderName)}，${when}）：${escapeMd(d.reason ?? '')}`);
}

/** The card each leader receives; after a decision it shows the decision instead of the buttons. */
export function approvalCard(v: ApprovalView, opts: { pending?: boolean } = {}): Card {
  const elements: CardElement[] = [list(v)];
  const done = decided(v);
  const open = opts.pending ?? v.decision === null;
  if (done && !open) elements.push(done);
  else {
    elements.push(button('批准', { v: 1, a: 'leader.approve', ...ref(v) }, { name: 'approve', type: 'primary' }));
    elements.push(button('退回', { v: 1, a: 'leader.returnForm', ...ref(v) }, { name: 'return', type: 'danger' }));
  }
  return card(header(`入围名单审批 · ${v.round.label}`, done && !open ? 'grey' : 'orange', v.campaign.name), elements);
}

/** 退回: asks for the reason, which the office will see. */
export function returnFormCard(v: ApprovalView, opts: { reason?: string; error?: string } = {}): Card {
  const reason: FormChild = { tag: 'input', name: 'reason', required: true, input_type: 'multiline_text', rows: 3, max_length: 500, placeholder: text('说明名单需要怎样调整') };
  if (opts.reason) reason.default_value = opts.reason;
  const submit: ButtonElement = { ...button('确认退回', { v: 1, a: 'leader.return', ...ref(v) }, { name: 'submit', type: 'danger' }), form_action_type: 'submit' };
  const error: FormChild[] = opts.error ? [{ tag: 'markdown', content: `<font color='red'>${escapeMd(opts.error)}</font>` }] : [];
  return card(header(`退回入围名单 · ${v.round.label}`, 'red', v.campaign.name), [
    list(v),
    { tag: 'form', name: 'return_form', elements: [{ tag: 'markdown', content: '**退回理由**（办公室会看到）' }, reason, ...error, submit] },
    button('返回', { v: 1, a: 'leader.view', ...ref(v) }, { name: 'back' }),
  ]);
}

/** What the office is told. */
export function decisionNoticeText(v: ApprovalView): string {
  const d = v.decision;
  if (!d) return '';
  return d.decision === 'approved'
    ? `【${v.campaign.name}】${d.leaderName}已批准“${v.round.label}”入围名单（${v.items.length}项）。可发送“/发布”公布结果。`
    : `【${v.campaign.name}】${d.leaderName}退回了“${v.round.label}”入围名单，理由：${d.reason ?? ''}。请调整后重新发送“/排名 报送”。`;
}
