// Seed 000: Benxi city's plan for Liaoning's 2022 institutional-innovation achievement evaluation and awards.
// Directions and criteria are quoted from the plan. Criterion weights and the 0–10 scale are our defaults (the plan gives none).
// Phase dates the plan does not fix (the split of 谋划选题阶段 into three steps) are marked provisional.
import type { CampaignTemplateInput } from '../template.js';

export const liaoning2022 = {
  code: 'LN2022',
  name: '辽宁省2022年制度性创新成果评价奖励（本溪市）',
  year: 2022,
  kind: 'evaluation',
  source: {
    title: '本溪市关于做好辽宁省2022年制度性创新成果评价奖励工作实施方案',
    basedOn: ['辽委办传发〔2022〕37号', '厅秘发〔2021〕5号'],
  },
  directions: [
    {
      key: 'national_security',
      label: '突出履行维护国家“五大安全”政治使命',
      summary:
        '围绕践行总体国家安全观，维护国防安全、粮食安全、生态安全、能源安全、产业安全，以及落实安全生产责任制、常态化新冠肺炎疫情防控等重点任务，推选一批制度性创新成果。',
    },
    {
      key: 'innovation_driven',
      label: '突出创新驱动发展',
      summary:
        '围绕坚定不移走自主创新之路、推进科技自立自强、争创具有全国影响力的区域科技创新中心，坚持创新生态、创新平台、创新人才“三位一体”推进，开展关键核心技术攻关、突破“卡脖子”问题，提高头部企业本地配套率、科技创新成果本地产业化率、科技型企业增长率，加快引育壮大新动能等重点任务，推选一批制度性创新成果。',
    },
    {
      key: 'digital_smart_manufacturing',
      label: '突出数字辽宁、智造强省建设',
      summary:
        '围绕发展数字经济、打造数字生态、加快产业结构调整，清单化、项目化做好结构调整“三篇大文章”、推动制造大省向智造强省转变等重点任务，推选一批制度性创新成果。',
    },
    {
      key: 'regional_layout',
      label: '突出构建“一圈一带两区”区域发展格局',
      summary:
        '围绕建设沈阳现代化都市圈、辽宁沿海经济带、辽西融入京津冀协同发展战略先导区、辽东绿色经济区，以及推进乡村振兴、发展县域经济等重点任务，推选一批制度性创新成果。',
    },
    {
      key: 'green_development',
      label: '突出生态优先绿色发展',
      summary:
        '把绿色发展理念贯穿到生态保护、环境建设、生产制造、城市发展、人民生活等各个方面，围绕推进碳达峰碳中和、深入打好污染防治攻坚战、加强生态环境保护和修复、一体推进治山、治水治城、推动城乡建设绿色发展、建设人与自然和谐共生的美丽辽宁等重点任务，推选一批制度性创新成果。',
    },
    {
      key: 'reform_opening',
      label: '突出深化改革扩大开放',
      summary:
        '围绕优化营商环境、深化国资国企改革、深化财税金融改革、发展民营经济、推进要素市场化配置改革、自贸试验区改革、畅通海陆大通道、打造对外开放新前沿、加强国际传播能力建设等重点任务，推选一批制度性创新成果。',
    },
    {
      key: 'livelihood',
      label: '突出保障和改善民生',
      summary:
        '围绕推进共同富裕、促进更高质量就业、办好人民满意教育、完善社会保障体系、健康辽宁建设、高度关注“一老一幼”问题、应对人口老龄化、促进未成年人健康成长、加快实施城市更新、打造高品质生活空间、加强和创新社会治理，让振兴发展成果更多更公平惠及全省人民等重点任务，推选一批制度性创新成果。',
    },
    {
      key: 'democracy',
      label: '突出推进社会主义民主政治建设',
      summary:
        '围绕新时代加强和改进人大工作、加强和改进人民政协工作、加强新时代统一战线工作、做好新时代党的群团工作、加快建设法治辽宁等重点任务，推选一批制度性创新成果。',
    },
    {
      key: 'culture',
      label: '突出加快文化强省建设',
      summary:
        '围绕牢牢掌握意识形态工作领导权、巩固壮大主流思想舆论、提升社会文明程度、弘扬中华优秀传统文化、传承红色基因、发展社会主义先进文化、丰富人民精神文化生活、激发推动振兴发展精神动力、推进文化体制改革、完善城乡公共文化服务体系、发展文化和旅游产业、促进文化和旅游消费等重点任务，推选一批制度性创新成果。',
    },
    {
      key: 'party_building',
      label: '突出全面加强党的建设',
      summary:
        '围绕加强党的政治建设、思想建设、干部队伍建设，加强基层党组织建设、以党建引领基层治理创新、高质量做好新时代人才工作、加强和改进作风建设、推进反腐败斗争等重点任务，推选一批制度性创新成果。',
    },
    {
      key: 'other',
      label: '其他',
      summary: '此外，也可围绕其他重要专项改革、重点专项工作等任务，推选一批制度性创新成果。',
    },
  ],
  criteria: [
    {
      key: 'solves_real_problems',
      label: '真正解决实际问题',
      description:
        '坚持问题导向，奔着问题去、对着问题改，为解决问题提供切实可行的方案，使过去办不成的事能办成，把过去能办成的事办得更高效。',
      stage: 'achievement',
      weight: 1,
      scale: { min: 0, max: 10 },
    },
    {
      key: 'withstands_practice',
      label: '经得起实践检验',
      description: '坚持实践第一的观点，注重“做了”“落实了”“问题解决了”，经过实践检验，针对性、操作性强，成效明显。',
      stage: 'achievement',
      weight: 1,
      scale: { min: 0, max: 10 },
    },
    {
      key: 'public_gain',
      label: '群众获得感明显提高',
      description:
        '坚持以人民为中心的发展思想，把市场主体和人民群众获得感作为重要考量，有效解决企业和群众需求，真正惠及企业、惠及群众。',
      stage: 'achievement',
      weight: 1,
      scale: { min: 0, max: 10 },
    },
    {
      key: 'replicable',
      label: '可复制可推广',
      description: '坚持引育并举，既可以是原创性，也可以是学习吸收借鉴再创新，形成的成果可以在全省复制和推广。',
      stage: 'achievement',
      weight: 1,
      scale: { min: 0, max: 10 },
    },
    // 四.3: topics are weighed on 问题导向、创新程度、实践效果; the descriptions quote 四.1 (精心谋划).
    {
      key: 'problem_orientation',
      label: '问题导向',
      description: '抓住主要矛盾，找准问题症结，将破解制约本溪振兴发展的体制机制障碍作为制度创新的起点和动力源。',
      stage: 'topic',
      weight: 1,
      scale: { min: 0, max: 10 },
    },
    {
      key: 'innovation_degree',
      label: '创新程度',
      description: '找准创新切入点，选择“小切口”，选题导向鲜明、创新性强。',
      stage: 'topic',
      weight: 1,
      scale: { min: 0, max: 10 },
    },
    {
      key: 'practical_effect',
      label: '实践效果',
      description: '选题符合实际，坚持结果导向，聚焦“使过去办不成的事能办成，把过去能办成的事办得更高效”。',
      stage: 'topic',
      weight: 1,
      scale: { min: 0, max: 10 },
    },
  ],
  phases: [
    {
      key: 'topic_submission',
      label: '选题申报',
      stage: '谋划选题阶段',
      actor: 'unit',
      description: '各申报单位围绕十个重点方向谋划选题并组织申报；鼓励市场主体、社会公众通过指定渠道推荐选题。',
      opensAt: '2022-09-01T00:00:00+08:00',
      closesAt: '2022-10-15T23:59:59+08:00',
      dateSource: { opensAt: 'seed', closesAt: 'provisional' },
      submissionKind: 'topic',
      steps: ['精心谋划', '组织申报'],
    },
    {
      key: 'office_selection',
      label: '办公室遴选',
      stage: '谋划选题阶段',
      actor: 'office',
      description: '市制度性创新成果评价奖励工作办公室按问题导向、创新程度、实践效果等指标评选出不超过20项成果申报选题。',
      opensAt: '2022-10-16T00:00:00+08:00',
      closesAt: '2022-10-23T23:59:59+08:00',
      dateSource: { opensAt: 'provisional', closesAt: 'provisional' },
      cap: { rule: 'at_most', max: 20 },
    },
    {
      key: 'leader_decision',
      label: '领导确定',
      stage: '谋划选题阶段',
      actor: 'leader',
      description: '上报市委市政府确定不超过10项成果选题，推荐省2022年制度性创新成果评价奖励工作办公室。',
      opensAt: '2022-10-24T00:00:00+08:00',
      closesAt: '2022-10-31T23:59:59+08:00',
      dateSource: { opensAt: 'provisional', closesAt: 'seed' },
      cap: { rule: 'at_most', max: 10 },
    },
    {
      key: 'implementation',
      label: '组织实施',
      stage: '推进实施阶段',
      actor: 'unit',
      description:
        '列入《辽宁省2022年制度性创新选题清单》的申报单位组建创新团队，建立改革台账，明确责任分工，列出时间表、路线图，清单化管理、项目化实施、工程化推进。',
      opensAt: '2022-11-01T00:00:00+08:00',
      closesAt: '2023-02-28T23:59:59+08:00',
      dateSource: { opensAt: 'seed', closesAt: 'seed' },
    },
    {
      key: 'evaluation',
      label: '评价',
      stage: '评价奖励阶段',
      actor: 'province',
      description: '经省评审委员会初评、复评，进入省排名前50名的成果单位，参与省现场答辩及实地考察等评价工作。',
      opensAt: '2023-03-01T00:00:00+08:00',
      closesAt: '2023-03-31T23:59:59+08:00',
      dateSource: { opensAt: 'seed', closesAt: 'seed' },
      cap: { rule: 'top', max: 50 },
      steps: ['初评', '复评', '现场答辩及实地考察'],
    },
  ],
  quotas: { county: 2, park: 2, department: 1, organisation: 1 },
  achievementWindow: { from: '2021-01-01', to: '2022-12-31' },
  mainCreators: { min: 1, max: 2 },
  prizes: {
    tiers: [
      { key: 'first', label: '一等奖', amountYuan: 200_000 },
      { key: 'second', label: '二等奖', amountYuan: 150_000 },
    ],
    mainCreatorMinShare: 0.4,
    countyLevelCadreMaxShare: 0.2,
  },
  eligibility: {
    applicantUnitTypes: ['county', 'park', 'department', 'organisation'],
    excludeViceDepartmentLevel: true,
    excludeCountyPartyOrGovernment: true,
  },
} satisfies CampaignTemplateInput;
