// The card pushed to every office admin when a task's owner (or its lead unit's liaison) asks to close it (申请销号,
// seed 002). Its 确认销号 / 退回 buttons are the task card's own, so a click takes the one confirm path, with the
// task's version check: a second admin clicking after the first gets the stale-card answer and changes nothing.
import { formatChinaDateTime } from '../src/domain/campaign/china-time.js';
import { button, card, escapeMd, header, hr, md } from './kit.js';
import { eventButton } from './ledger-task.js';
import type { Card } from './types.js';

export interface CloseRequestCardView {
  id: number;
  code: string;
  /** The task's version after the request: the buttons act on exactly this request. */
  version: number;
  title: string;
  ledger: { title: string };
  leadUnit: { name: string } | undefined;
  owner: { openId: string; name: string | undefined };
  requestedBy: { openId: string; name: string | undefined };
  requestedAt: Date;
  expectedResult: string | null;
  actualResult: string | null;
}

const person = (p: { openId: string; name: string | undefined }): string => escapeMd(p.name ?? p.openId);

export function closeRequestCard(v: CloseRequestCardView): Card {
  const who = [`**专人**：${person(v.owner)}`, `**牵头单位**：${v.leadUnit ? escapeMd(v.leadUnit.name) : '未指定'}`];
  if (v.requestedBy.openId !== v.owner.openId) who.push(`**申请人**：${person(v.requestedBy)}（牵头单位联络人）`);
  who.push(`**申请时间**：${formatChinaDateTime(v.requestedAt)}`);
  return card(header(`销号申请 · ${v.code} ${v.title}`, 'orange', `${v.ledger.title} · 待确认销号`), [
    md(`**任务**：${escapeMd(v.title)}\n${who.join('\n')}`),
    md(`**完成情况**（实际结果）\n${v.actualResult ? escapeMd(v.actualResult) : '未填写'}\n**预期成果**：${v.expectedResult ? escapeMd(v.expectedResult) : '未填写'}`),
    hr(),
    eventButton(v, 'confirm_close'),
    eventButton(v, 'reject_close'),
    button('查看任务', { v: 1, a: 'task.view', id: v.id }, { name: 'view', type: 'text' }),
    md('确认后任务销号，并通知专人；退回需填写理由，任务回到“推进中”。如已由其他管理员办理，按钮不再生效。'),
  ]);
}
