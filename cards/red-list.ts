// Red list cards (红榜, seed 002 measure 14): the list (the office also sees nominations and withdrawals) and the
// notice posted to the ledger's work group.
import { formatChinaDateTime } from '../src/domain/campaign/china-time.js';
import { card, escapeMd, header, hr, md } from './kit.js';
import type { Card } from './types.js';
import { fitLines, LIST_BYTES } from './units.js';

export interface RedListEntryView {
  id: number;
  subjectType: 'task' | 'unit' | 'person';
  subjectName: string;
  reason: string;
  status: 'nominated' | 'published' | 'withdrawn';
  withdrawReason: string | null;
  publishedAt: Date | null;
}

const subjectLabels = { task: '任务', unit: '单位', person: '个人' } as const;
const statusLabels = { nominated: '待发布', published: '已发布', withdrawn: '已撤回' } as const;

const line = (e: RedListEntryView, withStatus: boolean): string =>
  `- **#${e.id}**【${subjectLabels[e.subjectType]}】${escapeMd(e.subjectName)}：${escapeMd(e.reason)}${withStatus ? `｜${statusLabels[e.status]}${e.withdrawReason ? `（${escapeMd(e.withdrawReason)}）` : ''}` : ''}`;

export function redListCard(ledgerTitle: string, entries: readonly RedListEntryView[], manage: boolean): Card {
  const shownEntries = manage ? entries : entries.filter((e) => e.status === 'published');
  const { shown, omitted } = fitLines(shownEntries.map((e) => line(e, manage)), LIST_BYTES);
  const pending = entries.filter((e) => e.status === 'nominated').length;
  return card(header(`红榜 · ${ledgerTitle}`, 'red', manage ? `已发布 ${entries.filter((e) => e.status === 'published').length} 项，待发布 ${pending} 项` : `共 ${shownEntries.length} 项`), [
    md(shown.length ? shown.join('\n') : '红榜上还没有内容。'),
    ...(omitted ? [md(`还有 ${omitted} 项未显示。`)] : []),
    ...(manage ? [hr(), md('提名：“/红榜 提名 <任务编号|单位|@某人> <理由>”；通报到工作群：“/红榜 发布”；撤回：“/红榜 撤回 <编号> <理由>”。')] : []),
  ]);
}

/** The notice in the work group: what was just added, then the whole current list. */
export function redListNoticeCard(ledgerTitle: string, added: readonly RedListEntryView[], all: readonly RedListEntryView[], at: Date): Card {
  const addedIds = new Set(added.map((e) => e.id));
  const others = all.filter((e) => !addedIds.has(e.id));
  return card(header('改革“红榜”通报', 'red', ledgerTitle), [
    md(`经改革办研究，以下改革事项、单位和个人新上“红榜”，予以通报表扬：\n${added.map((e) => line(e, false)).join('\n')}`),
    ...(others.length ? [hr(), md(`**此前已上榜**\n${fitLines(others.map((e) => line(e, false)), 12 * 1024).shown.join('\n')}`)] : []),
    hr(),
    md(`${formatChinaDateTime(at)} 发布。希望各单位以榜上有名者为榜样，激励干部干事担当、创新突破。`),
  ]);
}
