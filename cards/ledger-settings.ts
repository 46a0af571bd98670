// /台账 设置: a ledger's main leader (主要领导, the monthly dispatch digest), its escalation thresholds (seed 002:
// 提醒函 → 督办函 with a rectification deadline) and its work group, with the commands that change them.
import { card, escapeMd, header, md } from './kit.js';
import type { Card } from './types.js';

export interface LedgerSettingsView {
  title: string;
  policy: { reminderAfterWorkdays: number; supervisionAfterWorkdays: number; rectifyWithinWorkdays: number };
  mainLeader: { openId: string; name: string | null; isLeader: boolean } | null;
  bound: boolean;
}

export function ledgerSettingsCard(v: LedgerSettingsView): Card {
  const p = v.policy;
  const leader = v.mainLeader
    ? `${escapeMd(v.mainLeader.name ?? v.mainLeader.openId)}${v.mainLeader.isLeader ? '' : '（尚无“领导”角色：可发送“/角色 授予 领导 @某人”，以便查看台账总览）'}`
    : '未指定（每月调度不会发出）';
  return card(header(`台账设置 · ${v.title}`, 'blue'), [
    md(
      [
        `**主要领导**（接收每月调度：各单位完成率、逾期任务和发函情况）：${leader}`,
        `**督办规则**（工作日）：汇报或里程碑逾期 **${p.reminderAfterWorkdays}** 天发提醒函；提醒函发出 **${p.supervisionAfterWorkdays}** 天后仍未整改发督办函（抄送分管领导）；督办函整改期限 **${p.rectifyWithinWorkdays}** 天`,
        `**工作群**（每日调度、红榜通报）：${v.bound ? '已绑定' : '未绑定：在工作群里 @我 发送“/台账 绑定群”'}`,
      ].join('\n'),
    ),
    md(
      [
        '修改（有多个进行中的台账时，在命令末尾写台账名称）：',
        '- 主要领导：`/台账 主要领导 @某人`',
        '- 督办规则：`/台账 督办规则 3 5 5`（依次为提醒、督办、整改的工作日数，1–30）',
      ].join('\n'),
    ),
  ]);
}
