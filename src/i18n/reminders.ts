// User-facing texts of deadline reminders (/提醒 and the reminder cards' buttons).
export const reminderMessages = {
  'reminder.campaignGone': '这条提醒对应的活动（{code}）已不存在或已归档，无需再处理。',
  'reminder.allMandatory': '活动“{name}”的提醒都是办公室设定的必需提醒，不能关闭。',
  'reminder.badSettings': '{message}\n用法：/提醒 设置 <活动代码> 提前 7,3,1,0 时间 09:00（两项可只写一项）',
  'reminder.whoRequired': '请 @ 要查询的人，或写出其 open_id（ou_ 开头），例如：/提醒 记录 @张三 LN2022',
  'reminder.scheduleSaved': '已更新活动“{name}”（{code}）的提醒：{offsets}，每次 {time}（北京时间）。非工作日和 21:00–08:00 不推送，顺延到下一个工作日。',
  'reminder.mandatorySet': '已将活动“{name}”的“{phase}”设为必需提醒：关闭了提醒的人也会收到。',
  'reminder.mandatoryUnset': '已取消“{phase}”的必需提醒，关闭了提醒的人将不再收到。',
  'reminder.mandatoryUnchanged': '“{phase}”{state}，无需重复设置。',
  'reminder.mutedToast': '已关闭活动“{name}”的提醒（必需提醒仍会发送）。',
  'reminder.unmutedToast': '已恢复活动“{name}”的提醒。',
  'reminder.unchangedToast': '设置没有变化。',
} as const;
