// Reminder cards: the deadline reminder a person gets (several pending items merged into one card),
// the office's digest, the group's daily progress, "/提醒" (my reminders, mute/unmute) and "/提醒 记录".
import { formatChinaDateTime } from '../src/domain/campaign/china-time.js';
import { daysLeftText, type ReminderSection } from '../src/domain/reminders/merge.js';
import { button, card, escapeMd, header, hr, md } from './kit.js';
import type { Card, CardElement } from './types.js';

const MAX_LINES = 40;

function capped(lines: readonly string[]): string[] {
  if (lines.length <= MAX_LINES) return [...lines];
  return [...lines.slice(0, MAX_LINES), `……另有 ${lines.length - MAX_LINES} 项，发送“/配额”查看全部`];
}

const when = (d: Date): string => formatChinaDateTime(d);

export function deadlineReminderCard(v: { sections: readonly ReminderSection[]; mandatory: boolean }): Card {
  const nearest = v.sections[0];
  const title = nearest && nearest.daysLeft <= 1 ? `截止提醒 · ${daysLeftText(nearest.daysLeft)}` : '截止提醒';
  const elements: CardElement[] = [];
  v.sections.forEach((s, i) => {
    if (i > 0) elements.push(hr());
    elements.push(
      md(
        [
          `**${escapeMd(s.campaignName)}**（${s.campaignCode}）· ${escapeMd(s.phaseLabel)}`,
          `截止时间：**${when(s.deadline)}**（${daysLeftText(s.daysLeft)}）`,
          '还需完成：',
          ...capped(s.lines).map((l) => `- ${escapeMd(l)}`),
        ].join('\n'),
      ),
    );
    s.actions.forEach((a, j) => {
      elements.push(button(`去申报（${a.campaignCode}）`, { v: 1, a: 'reminder.open_submit', c: a.campaignCode }, { name: `submit_${i}_${j}`, type: 'primary' }));
    });
  });
  elements.push(hr());
  elements.push(md(v.mandatory ? '这是办公室设定的必需提醒。发送“/提醒”查看你的全部提醒。' : '完成后不再提醒。发送“/提醒”可查看或关闭本活动的提醒。'));
  return card(header(title, nearest && nearest.daysLeft <= 1 ? 'red' : 'orange'), elements);
}

export interface DigestSection {
  campaignName: string;
  campaignCode: string;
  phaseLabel: string;
  deadline: Date;
  daysLeft: number;
  lines: { who: string; contacts: string[]; text: string }[];
  failures: { who: string; reason: string; at: Date }[];
}

export function adminDigestCard(sections: readonly DigestSection[]): Card {
  const elements: CardElement[] = [];
  sections.forEach((s, i) => {
    if (i > 0) elements.push(hr());
    const pending = s.lines.map((l) => `${escapeMd(l.who)}：${escapeMd(l.text)}；联络人：${l.contacts.length ? escapeMd(l.contacts.join('、')) : '<font color=\'red\'>未设置</font>'}`);
    const failures = s.failures.map((f) => `${escapeMd(f.who)}（${when(f.at)}）：${escapeMd(f.reason)}`);
    elements.push(
      md(
        [
          `**${escapeMd(s.campaignName)}**（${s.campaignCode}）· ${escapeMd(s.phaseLabel)}`,
          `截止时间：${when(s.deadline)}（${daysLeftText(s.daysLeft)}）`,
          s.lines.length ? `**尚未完成（${s.lines.length} 个）**` : '各单位均已完成。',
          ...capped(pending).map((l) => `- ${l}`),
          ...(failures.length ? [`**发送失败（${failures.length} 条）**`, ...capped(failures).map((l) => `- ${l}`)] : []),
        ].join('\n'),
      ),
    );
  });
  elements.push(hr());
  elements.push(md('发送“/提醒 记录 @某人”可查看某人每条提醒的发送情况。'));
  return card(header('办公室汇总 · 截止前待办', 'wathet'), elements);
}

export function groupProgressCard(v: {
  campaignName: string;
  campaignCode: string;
  phaseLabel: string;
  deadline: Date;
  daysLeft: number;
  done: number;
  total: number;
  detail: string;
  behind: string[];
}): Card {
  const percent = v.total ? Math.round((v.done / v.total) * 100) : 100;
  return card(header(`每日进度 · ${v.phaseLabel}`, 'turquoise', `${v.campaignName}（${v.campaignCode}）`), [
    md(
      [
        `截止时间：**${when(v.deadline)}**（${daysLeftText(v.daysLeft)}）`,
        `已达到配额：**${v.done}/${v.total}** 个单位（${percent}%），${escapeMd(v.detail)}`,
        ...(v.behind.length ? ['**尚未达到配额**：', escapeMd(capped(v.behind).join('、'))] : ['所有单位均已达到配额。']),
      ].join('\n'),
    ),
  ]);
}

export interface MyReminderCampaignView {
  campaignId: number;
  code: string;
  name: string;
  muted: boolean;
  canMute: boolean;
  schedule: string;
  deadlines: { phaseLabel: string; closesAt: Date; mandatory: boolean; pending: string[]; next: Date | undefined }[];
}

export function myRemindersCard(v: { campaigns: readonly MyReminderCampaignView[] }): Card {
  if (v.campaigns.length === 0) {
    return card(header('我的提醒', 'blue'), [md('你目前没有待办的截止事项，也就没有待发送的提醒。完成情况有变化时会自动提醒你。')]);
  }
  const elements: CardElement[] = [];
  v.campaigns.forEach((c, i) => {
    if (i > 0) elements.push(hr());
    const lines = [`**${escapeMd(c.name)}**（${c.code}）${c.muted ? '\u3000<font color=\'grey\'>已关闭提醒</font>' : ''}`, `提醒安排：${escapeMd(c.schedule)}`];
    for (const d of c.deadlines) {
      const next = d.next ? `下次提醒 ${when(d.next)}` : '已无后续提醒';
      lines.push(`- ${escapeMd(d.phaseLabel)}：截止 ${when(d.closesAt)}，${next}${d.mandatory ? '（必需提醒）' : ''}`);
      for (const p of capped(d.pending)) lines.push(`  - ${escapeMd(p)}`);
    }
    elements.push(md(lines.join('\n')));
    if (c.canMute) {
      elements.push(
        c.muted
          ? button('恢复提醒', { v: 1, a: 'reminder.mute', c: c.campaignId, on: false }, { name: `unmute_${i}`, type: 'primary' })
          : button('关闭本活动提醒', { v: 1, a: 'reminder.mute', c: c.campaignId, on: true }, { name: `mute_${i}` }),
      );
    } else {
      elements.push(md('这些是办公室设定的必需提醒，不能关闭。'));
    }
  });
  return card(header('我的提醒', 'blue', '只在你还有待办时提醒；工作日 08:00–21:00 推送'), elements);
}

export interface ReminderLogLine {
  kindLabel: string;
  what: string;
  statusLabel: string;
  dueAt: Date;
  sentAt: Date | null;
  note: string | null;
}

export function reminderLogCard(v: { who: string; campaignCode: string | undefined; lines: readonly ReminderLogLine[] }): Card {
  const scope = v.campaignCode ? `活动 ${v.campaignCode}` : '全部活动';
  if (v.lines.length === 0) return card(header(`提醒记录 · ${v.who}`, 'grey', scope), [md('没有发给这个人的提醒记录。')]);
  const rows = v.lines.map((l) => {
    const time = l.sentAt ? `${when(l.sentAt)} 送达` : `计划 ${when(l.dueAt)}`;
    return `- ${escapeMd(l.what)} · ${l.kindLabel}：**${l.statusLabel}**（${time}）${l.note ? `\u3000${escapeMd(l.note)}` : ''}`;
  });
  return card(header(`提醒记录 · ${v.who}`, 'grey', scope), [md(rows.join('\n'))]);
}
