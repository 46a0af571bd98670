// User-facing texts of /申报, /我的 and the submission cards' answers.
export const submissionMessages = {
  'submission.noUnit': '你还不是任何申报单位的联络人或成员，不能申报。请联系办公室管理员把你加入所在单位。',
  'submission.notFound': '没有找到编号为“{trackingNo}”的申报。请核对编号，或发送“/我的”查看你所在单位的申报。',
  'submission.badTrackingNo': '{message}',
  'submission.gone': '这条申报已不存在，请发送“/我的”查看最新情况。',
  'submission.forbidden': '只有该申报单位的联络人或主创人才能修改、撤回这条申报。',
  'submission.viewForbidden': '你无权查看这条申报：只有该单位的人员、主创人和办公室管理员可以查看。',
  'submission.conflict': '该申报已被他人修改，请刷新后重试。',
  'submission.notChangeable': '这条申报目前为“{status}”，不能再修改或撤回。',
  'submission.otherKind': '这是一条激励申报，请在激励申报卡片上操作。',
  'submission.rule': '{message}',
  'submission.invalidToast': '有{count}处需要修改，请按卡片上的红字提示修改后重新提交。',
  'submission.createdToast': '申报已提交，编号 {trackingNo}。',
  'submission.duplicateToast': '这张表单已经提交过，不会重复创建。编号 {trackingNo}。',
  'submission.savedToast': '修改已保存。',
  'submission.withdrawnToast': '申报已撤回。',
  'submission.closedToast': '已截止，不可修改。',
} as const;
