// Chongqing declarations (seed 003): the unit's form and receipt, the lead department's review list and
// return form, the office's confirmation list, and the notices each step sends. Pure builders.
import { formatChinaDateTime } from '../src/domain/campaign/china-time.js';
import { declarationStatusLabels, type DeclarationField, type DeclarationStatus } from '../src/domain/campaign/declaration.js';
import type { Card, CardElement, FormChild } from './types.js';
import { button, card, escapeMd, header, hr, md, text } from './kit.js';
import { errorLine, excerpt, submitButton } from './recommendation.js';

export interface DeclarationCardView {
  id: number;
  trackingNo: string;
  unitName: string;
  /** The measure as 第N项 title. */
  title: string;
  selfAssessment: string;
  evidence: readonly string[];
  status: DeclarationStatus;
  statusReason: string | null;
  createdAt: Date;
}

interface CampaignRef {
  id: number;
  code: string;
  name: string;
}

export interface DeclarationFormView {
  campaign: CampaignRef;
  /** When the declaration phase closes, already formatted. */
  deadline: string;
  formKey: string;
  /** The unit, when the liaison has only one eligible unit; otherwise `units` are offered on the form. */
  unit: { id: number; name: string } | undefined;
  units: readonly { id: number; name: string }[];
  measures: readonly { number: number; title: string }[];
  values?: { unit?: string; measure: string; selfAssessment: string; evidence: string };
  errors?: Partial<Record<DeclarationField | 'unit', string>>;
}

export function declarationFormCard(v: DeclarationFormView): Card {
  const e = v.errors ?? {};
  const val = v.values;
  const unitChoice: FormChild[] = v.unit
    ? []
    : [
        {
          tag: 'select_static',
          name: 'unit',
          required: true,
          placeholder: text('选择申报单位'),
          options: v.units.map((u) => ({ text: text(u.name), value: String(u.id) })),
          ...(val?.unit && v.units.some((u) => String(u.id) === val.unit) ? { initial_option: val.unit } : {}),
        },
        ...errorLine(e.unit),
      ];
  const measure = val?.measure && v.measures.some((m) => String(m.number) === val.measure) ? { initial_option: val.measure } : {};
  return card(header('督查激励申报', 'blue', v.campaign.name), [
    md(
      [
        v.unit ? `**申报单位**：${escapeMd(v.unit.name)}` : '**申报单位**：请在下方选择',
        `**截止时间**：${v.deadline}`,
        '请对照激励措施进行自评，梳理典型经验做法，提交后由该措施的市级牵头部门审核推荐。',
      ].join('\n'),
    ),
    {
      tag: 'form',
      name: 'declare_form',
      elements: [
        ...unitChoice,
        {
          tag: 'select_static',
          name: 'measure',
          required: true,
          placeholder: text('选择申报的激励措施'),
          options: v.measures.map((m) => ({ text: text(`第${m.number}项 ${m.title}`), value: String(m.number) })),
          ...measure,
        },
        ...errorLine(e.measure),
        {
          tag: 'input',
          name: 'selfAssessment',
          required: true,
          label: text('自评情况（必填，2000字以内）'),
          placeholder: text('对照措施说明取得的成效、典型经验做法和有关数据'),
          input_type: 'multiline_text',
          rows: 6,
          max_length: 2000,
          ...(val?.selfAssessment ? { default_value: excerpt(val.selfAssessment, 2010) } : {}),
        },
        ...errorLine(e.selfAssessment),
        {
          tag: 'input',
          name: 'evidence',
          label: text('佐证材料链接（选填，每行一个，最多10个）'),
          placeholder: text('https://…'),
          input_type: 'multiline_text',
          rows: 3,
          max_length: 5000,
          ...(val?.evidence ? { default_value: excerpt(val.evidence, 5010) } : {}),
        },
        ...errorLine(e.evidence),
        submitButton('提交申报', v.unit ? { v: 1, a: 'declare.submit', c: v.campaign.id, k: v.formKey, u: v.unit.id } : { v: 1, a: 'declare.submit', c: v.campaign.id, k: v.formKey }),
      ],
    },
  ]);
}

/**
 * A declaration as markdown. Lists cut the self-assessment to `selfMax` characters and show at most
 * `linksMax` evidence links (each cut to 100), so a full list stays well under Lark's 30 KB per card.
 */
function details(d: DeclarationCardView, selfMax: number, linksMax = 10): string {
  const lines = [
    `**编号**：${escapeMd(d.trackingNo)}`,
    `**申报单位**：${escapeMd(d.unitName)}`,
    `**激励措施**：${escapeMd(d.title)}`,
    `**自评情况**：${escapeMd(excerpt(d.selfAssessment, selfMax))}`,
  ];
  const shown = d.evidence.slice(0, linksMax).map((l) => `- ${escapeMd(excerpt(l, 100))}`);
  if (d.evidence.length > linksMax) shown.push(`- 等共 ${d.evidence.length} 个链接`);
  if (shown.length) lines.push(`**佐证材料**：\n${shown.join('\n')}`);
  lines.push(`**提交时间**：${formatChinaDateTime(d.createdAt)}\u3000**状态**：${declarationStatusLabels[d.status]}`);
  if (d.statusReason) lines.push(`**理由**：${escapeMd(d.statusReason)}`);
  return lines.join('\n');
}

/** The unit's receipt: tracking number, and who was told; lead departments not set up are named for the office. */
export function declarationReceiptCard(v: { declaration: DeclarationCardView; campaignName: string; again: boolean; notified: readonly string[]; missing: readonly string[] }): Card {
  const elements: CardElement[] = [
    md(v.again ? '这张申报表已经提交过，以下是当时提交的申报。' : '申报已提交，请记下编号，后续审核结果会通过机器人通知你。'),
    md(details(v.declaration, 500)),
  ];
  if (v.notified.length) elements.push(md(`已通知牵头单位：${v.notified.map(escapeMd).join('、')}`));
  if (v.missing.length) {
    elements.push(
      md(`<font color='red'>以下牵头单位尚未在系统中设置或没有联络人，暂时收不到这份申报：${v.missing.map(escapeMd).join('、')}。请联系办公室管理员设置单位和联络人。</font>`),
    );
  }
  return card(header(v.again ? '申报已提交过' : '申报成功', 'green', v.campaignName), elements);
}

/** To the lead departments' liaisons: a declaration of a measure they lead is waiting. */
export function leadNoticeCard(v: { campaign: CampaignRef; declaration: DeclarationCardView }): Card {
  return card(header('有新的督查激励申报待审核', 'orange', v.campaign.name), [
    md(details(v.declaration, 300)),
    hr(),
    md(`请组织审核，提出推荐或退回意见。也可以发送“/审核 ${v.campaign.code}”查看全部待审核申报。`),
    button('查看待审核申报', { v: 1, a: 'declare.reviewList', c: v.campaign.id }, { name: 'open_review', type: 'primary' }),
  ]);
}

export const REVIEW_LIMIT = 10;

export interface ReviewListView {
  campaign: CampaignRef;
  leadUnits: readonly string[];
  pending: readonly DeclarationCardView[];
  pendingTotal: number;
  recommended: number;
  returned: number;
}

export function reviewListCard(v: ReviewListView): Card {
  const elements: CardElement[] = [
    md(
      `**牵头单位**：${v.leadUnits.map(escapeMd).join('、')}\n待审核 ${v.pendingTotal} 份，已推荐 ${v.recommended} 份，已退回 ${v.returned} 份。` +
        (v.pendingTotal > v.pending.length ? `\n下面是最早提交的 ${v.pending.length} 份。` : ''),
    ),
  ];
  if (v.pending.length === 0) elements.push(md('目前没有待审核的申报。'));
  for (const d of v.pending) {
    elements.push(hr(), md(details(d, 200, 3)), {
      tag: 'column_set',
      columns: [
        { tag: 'column', width: 'auto', elements: [button('推荐', { v: 1, a: 'declare.recommend', id: d.id }, { name: `recommend_${d.id}`, type: 'primary' })] },
        { tag: 'column', width: 'auto', elements: [button('退回', { v: 1, a: 'declare.returnForm', id: d.id }, { name: `return_${d.id}`, type: 'danger' })] },
      ],
    });
  }
  elements.push(hr(), button('刷新', { v: 1, a: 'declare.reviewList', c: v.campaign.id }, { name: 'refresh' }));
  return card(header('督查激励申报 · 待审核', 'orange', v.campaign.name), elements);
}

export function returnFormCard(v: { campaignId: number; declaration: DeclarationCardView; reason?: string; error?: string }): Card {
  return card(header('退回申报', 'red', v.declaration.trackingNo), [
    md(details(v.declaration, 300)),
    {
      tag: 'form',
      name: 'return_form',
      elements: [
        {
          tag: 'input',
          name: 'reason',
          required: true,
          label: text('退回理由（必填，会告知申报单位）'),
          placeholder: text('说明需要补充或改进的地方'),
          input_type: 'multiline_text',
          rows: 3,
          max_length: 500,
          ...(v.reason ? { default_value: excerpt(v.reason, 510) } : {}),
        },
        ...errorLine(v.error),
        submitButton('确认退回', { v: 1, a: 'declare.return', id: v.declaration.id }),
      ],
    },
    button('返回列表', { v: 1, a: 'declare.reviewList', c: v.campaignId }, { name: 'back' }),
  ]);
}

const decisionTitles = { recommended: '你单位的申报已获牵头单位推荐', returned: '你单位的申报被牵头单位退回', confirmed: '你单位的申报已确认' } as const;
const decisionNotes = {
  recommended: '牵头单位已将这份申报列入激励推荐名单，报送市政府督查办审核。',
  returned: '请根据退回理由补充完善；如需重新申报，请发送“/激励申报”重新提交。',
  confirmed: '市政府督查办已审核确认这份申报，将按程序列入督查激励正式名单并通报实施。',
} as const;

/** To the declaring unit's liaisons: what happened to their declaration. */
export function unitDecisionCard(v: { campaignName: string; declaration: DeclarationCardView & { status: keyof typeof decisionTitles } }): Card {
  const s = v.declaration.status;
  return card(header(decisionTitles[s], s === 'returned' ? 'red' : 'green', v.campaignName), [md(details(v.declaration, 300)), md(decisionNotes[s])]);
}

export function isDecisionStatus(s: DeclarationStatus): s is keyof typeof decisionTitles {
  return s in decisionTitles;
}

export interface ConfirmListView {
  campaign: CampaignRef;
  items: readonly DeclarationCardView[];
  total: number;
  confirmed: number;
  unrouted: readonly string[];
}

export function confirmListCard(v: ConfirmListView): Card {
  const elements: CardElement[] = [
    md(`待确认（已获牵头单位推荐）${v.total} 份，已确认 ${v.confirmed} 份。` + (v.total > v.items.length ? `\n下面是最早推荐的 ${v.items.length} 份。` : '')),
  ];
  if (v.unrouted.length) {
    elements.push(md(`<font color='red'>以下牵头单位尚未设置或没有联络人，相关申报无人审核：${v.unrouted.map(escapeMd).join('、')}。</font>`));
  }
  if (v.items.length === 0) elements.push(md('目前没有待确认的申报。'));
  for (const d of v.items) {
    elements.push(hr(), md(details(d, 80, 1)), button('确认', { v: 1, a: 'declare.confirm', id: d.id }, { name: `confirm_${d.id}`, type: 'primary' }));
  }
  elements.push(hr());
  if (v.items.length > 1) {
    elements.push(button(`全部确认（以上 ${v.items.length} 份）`, { v: 1, a: 'declare.confirmAll', c: v.campaign.id, ids: v.items.map((d) => d.id) }, { name: 'confirm_all', type: 'primary_filled' }));
  }
  elements.push(button('刷新', { v: 1, a: 'declare.confirmList', c: v.campaign.id }, { name: 'refresh' }));
  return card(header('督查激励申报 · 待确认', 'blue', v.campaign.name), elements);
}
