// User-facing texts of campaigns, units and submissions.
export const campaignMessages = {
  'campaign.notFound': '没有找到活动“{code}”。发送“/活动 列表”查看现有活动。',
  'campaign.none': '目前还没有进行中的活动。请办公室管理员先用“/活动 新建 <模板>”创建活动。',
  'campaign.ambiguous': '现在有多个进行中的活动（{codes}），请在命令后写明活动代码。',
  'campaign.codeTaken': '活动代码“{code}”已被使用，请换一个代码，例如“/活动 新建 {template} {suggestion}”。',
  'campaign.unknownTemplate': '没有模板“{template}”。可用的模板：{templates}。',
  'campaign.invalid': '活动设置有误：\n{detail}',
  'campaign.rule': '{message}',
} as const;
