// Every user-facing text that is not part of a card, in one place, keyed by a stable code. Parameters fill {name} slots.
import { campaignMessages } from './campaign.js';
import { recommendationMessages } from './recommendations.js';
import { unitMessages } from './units.js';
import { submissionMessages } from './submissions.js';
import { reminderMessages } from './reminders.js';
import { letterMessages } from './letters.js';
import { ledgerMessages } from './ledger.js';
import { reviewMessages } from './review.js';

// Features keep their own catalogs (src/i18n/<feature>.ts); they are joined here.
const core = {
  'auth.forbidden': '你没有权限执行“{command}”。{hint}',
  'command.unknown': '未知命令“{input}”。',
  'command.unknownWithSuggestion': '未知命令“{input}”，你是不是想输入“{suggestion}”？',
  'command.badArgs': '“{command}”的参数不对：{detail}\n用法：{usage}',
  'card.stale': '这张卡片已过期或无法识别，请重新发送命令获取新卡片。',
  'card.forbidden': '你不能操作这张卡片。',
  'message.unsupported': '暂不支持这种消息类型，请发送文字命令，例如“/帮助”。',
  'lark.botNotInChat': '机器人不在该群中，无法发送消息。请先把机器人拉进群。',
  'lark.userOutOfScope': '该用户不在应用的可用范围内，请管理员调整应用可用范围。',
  'file.tooLarge': '文件太大（上限 {max}），请拆分后分批发送。',
  'file.downloadFailed': '文件下载失败，请稍后重新发送。',
  'hint.notCommand': '发送“/帮助”查看你可以使用的命令。',
  'internal': '系统出了点问题，已记录。请稍后再试；如果一直失败，请联系办公室管理员。',
} as const;

export const messages = {
  ...core,
  ...reviewMessages,
  ...campaignMessages,
  ...unitMessages,
  ...submissionMessages,
  ...recommendationMessages,
  ...reminderMessages,
  ...letterMessages,
  ...ledgerMessages,
};

export type MessageCode = keyof typeof messages;

export function formatMessage(code: MessageCode, params: Record<string, string | number> = {}): string {
  return messages[code].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
}
