// The submission card (confirmation after /申报, /申报 详情) with 修改 and 撤回, and the /我的 list.
import { submissionStatusLabels, type SubmissionStatus } from '../src/domain/campaign/submission-form.js';
import { button, card, escapeMd, header, hr, md } from './kit.js';
import type { Card, CardElement } from './types.js';

export type SubmissionKind = 'topic' | 'achievement' | 'declaration';
export const submissionKindLabels: Record<SubmissionKind, string> = { topic: '选题', achievement: '成果', declaration: '激励申报' };

export interface SubmissionCardView {
  id: number;
  version: number;
  trackingNo: string;
  status: SubmissionStatus;
  kind: SubmissionKind;
  title: string;
  directionLabel: string | undefined;
  campaign: { code: string; name: string };
  unitName: string;
  fields: { problem?: string; innovation?: string; effect?: string; team?: string; achievedOn?: string; evidence?: string; selfAssessment?: string };
  mainCreators: { openId: string; name: string }[];
  change: { allowed: true; closesAt: string } | { allowed: false; reason: 'closed' | 'status' | 'not_yours' | 'other_kind' };
}

/** Long texts are cut on the card (the full text stays in the database) so it stays well under 30 KB. */
const SHOWN = 600;
function excerpt(s: string): string {
  const chars = [...s];
  return chars.length <= SHOWN ? escapeMd(s) : `${escapeMd(chars.slice(0, SHOWN).join(''))}…（全文共${chars.length}字）`;
}

function contents(f: SubmissionCardView['fields']): string {
  const rows: [string, string | undefined][] = [
    ['解决的问题', f.problem],
    ['创新之处', f.innovation],
    ['取得的成效', f.effect],
    ['自评情况', f.selfAssessment],
    ['团队成员', f.team],
    ['成果形成时间', f.achievedOn],
  ];
  const lines = rows.filter(([, v]) => v).map(([k, v]) => `**${k}**：${excerpt(v ?? '')}`);
  if (f.evidence) lines.push(`**佐证材料**：\n${f.evidence.split('\n').map((l) => `- ${escapeMd(l)}`).join('\n')}`);
  return lines.join('\n\n') || '（无）';
}

function actions(v: SubmissionCardView, confirmWithdraw: boolean): CardElement[] {
  const { id, version: ver } = v;
  if (v.change.allowed === false) {
    switch (v.change.reason) {
      case 'status':
        return [
          md(`这条申报${submissionStatusLabels[v.status]}，不能再修改或撤回。`),
          // Seed 000 §四.3: a confirmed topic is carried out as a ledger task (the office decides; the handler checks).
          ...(v.status === 'confirmed' && v.kind === 'topic'
            ? [md('选题已确定，进入组织实施：办公室可将其转为改革台账任务（保留单位、主创人和来源）。'), button('转入改革台账', { v: 1, a: 'ledger.fromSubmission', s: id }, { name: 'to_ledger', type: 'primary' })]
            : []),
        ];
      case 'other_kind':
        return [md('这是一条激励申报，请在激励申报卡片上查看进展。')];
      case 'not_yours':
        return [md('只有本单位联络人或主创人可以修改、撤回这条申报。')];
      case 'closed':
        return [
          md("<font color='grey'>**已截止，不可修改**</font>"),
          button('修改', { v: 1, a: 'submission.edit', id, ver }, { name: 'edit', disabled: true }),
          button('撤回', { v: 1, a: 'submission.withdraw', id, ver }, { name: 'withdraw', type: 'danger', disabled: true }),
        ];
    }
  }
  if (confirmWithdraw) {
    return [
      md('**确定撤回这条申报吗？** 撤回后不再计入本单位的申报，编号作废；截止前可以重新申报。'),
      button('确认撤回', { v: 1, a: 'submission.withdrawConfirm', id, ver }, { name: 'withdraw_confirm', type: 'danger_filled' }),
      button('取消', { v: 1, a: 'submission.view', id }, { name: 'withdraw_cancel' }),
    ];
  }
  return [
    md(`截止前（${v.change.closesAt}）可以修改或撤回。`),
    button('修改', { v: 1, a: 'submission.edit', id, ver }, { name: 'edit', type: 'primary' }),
    button('撤回', { v: 1, a: 'submission.withdraw', id, ver }, { name: 'withdraw', type: 'danger' }),
  ];
}

export function submissionCard(v: SubmissionCardView, opts: { confirmWithdraw?: boolean } = {}): Card {
  const head =
    v.status === 'withdrawn'
      ? header('申报已撤回', 'grey', v.trackingNo)
      : v.status === 'submitted'
        ? header('申报已提交', 'green', `编号 ${v.trackingNo}`)
        : header('申报详情', 'blue', `编号 ${v.trackingNo}`);
  const creators = v.mainCreators.map((p) => escapeMd(p.name || p.openId)).join('、') || '（未填写）';
  const summary = [
    `**编号**：${escapeMd(v.trackingNo)}`,
    `**活动**：${escapeMd(v.campaign.name)}（${v.campaign.code}）`,
    `**申报单位**：${escapeMd(v.unitName)}`,
    `**类别**：${submissionKindLabels[v.kind]}`,
    `**标题**：${escapeMd(v.title)}`,
    ...(v.directionLabel ? [`**重点方向**：${escapeMd(v.directionLabel)}`] : []),
    `**主创人**：${creators}`,
    `**状态**：${submissionStatusLabels[v.status]}`,
  ].join('\n');
  const elements: CardElement[] = [md(summary)];
  if (v.mainCreators.length) elements.push({ tag: 'person_list', persons: v.mainCreators.map((p) => ({ id: p.openId })) });
  elements.push({ tag: 'collapsible_panel', expanded: false, header: { title: { tag: 'plain_text', content: '申报内容' } }, elements: [md(contents(v.fields))] });
  elements.push(hr(), ...actions(v, opts.confirmWithdraw ?? false));
  return card(head, elements);
}

export interface MySubmissionItem {
  trackingNo: string;
  title: string;
  kind: SubmissionKind;
  status: SubmissionStatus;
  unitName: string;
  campaignCode: string;
  updatedAt: string;
}

/** The list stays well under 30 KB: at most 50 rows, titles cut to 30 characters. */
const LISTED = 50;
const short = (title: string): string => ([...title].length > 30 ? `${[...title].slice(0, 30).join('')}…` : title);

export function mySubmissionsCard(v: { units: string[]; items: MySubmissionItem[] }): Card {
  const unitNames = v.units.map(escapeMd).join('、');
  if (v.items.length === 0) {
    return card(header('我的申报', 'turquoise'), [md(`你所在单位（${unitNames}）还没有申报。发送“/申报”开始填写。`)]);
  }
  const active = v.items.filter((i) => i.status !== 'withdrawn').length;
  return card(header('我的申报', 'turquoise', `${unitNames} · 共${v.items.length}条，有效${active}条`), [
    {
      tag: 'table',
      page_size: 10,
      columns: [
        { name: 'no', display_name: '编号', data_type: 'text' },
        { name: 'title', display_name: '标题', data_type: 'text' },
        { name: 'kind', display_name: '类别', data_type: 'text' },
        { name: 'status', display_name: '状态', data_type: 'text' },
        { name: 'at', display_name: '更新时间', data_type: 'text' },
      ],
      rows: v.items.slice(0, LISTED).map((i) => ({
        no: i.trackingNo,
        title: short(i.title),
        kind: submissionKindLabels[i.kind],
        status: submissionStatusLabels[i.status],
        at: i.updatedAt,
      })),
    },
    md(`${v.items.length > LISTED ? `只列出最近${LISTED}条。` : ''}发送“/申报 详情 编号”查看某条申报，并在截止前修改或撤回。`),
  ]);
}
