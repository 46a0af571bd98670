// User-facing texts of supervision letters (提醒函/督办函), the ledger dashboard and the export (ledger part B).
// Ledger lookup texts (ledger.none, ledger.notFound, ledger.ambiguous) live in src/i18n/ledger.ts.
export const letterMessages = {
  'letter.notFound': '找不到这份函件，可能已被删除。请发送“/督办 列表”查看你的函件。',
  'letter.badNumber': '{message}',
  'letter.numberNotFound': '没有找到文号为“{number}”的函件。请发送“/督办 列表”查看。',
  'letter.notVisible': '你没有权限查看这份函件：只有收函人、抄送人、任务相关单位和办公室可以查看。',
  'letter.notRecipient': '只有这份函件的收函人（任务负责人或牵头单位联络人）可以签收或提交整改方案。',
  'letter.taskFinished': '任务“{task}”当前为“{state}”，已不再督办，无需提交整改方案。',
  'letter.planDone': '这份函件的整改事项已于 {at} 完成，无需再提交整改方案。',
  'dashboard.noScope': '你没有可查看的台账任务：总览只显示你负责、牵头或配合的任务，办公室管理员可以查看全部。',
} as const;
