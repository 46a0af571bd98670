// The emulator's demo cast: the people of seed 000's story (a Benxi reform office running the
// Liaoning 2022 evaluation), one of each role so every path can be tried in a browser.
export interface DemoPerson {
  openId: string;
  name: string;
  title: string;
  role: 'admin' | 'liaison' | 'reviewer' | 'leader' | 'public';
  unit?: { name: string; type: 'county' | 'park' | 'department' | 'organisation'; parentName?: string };
}

export const demoPeople: readonly DemoPerson[] = [
  { openId: 'ou_demo_admin', name: '王主任', title: '市委改革办', role: 'admin' },
  { openId: 'ou_demo_liaison_gx', name: '李明', title: '本溪高新区 联络人', role: 'liaison', unit: { name: '本溪高新区', type: 'park' } },
  { openId: 'ou_demo_liaison_ps', name: '赵芳', title: '平山区 联络人', role: 'liaison', unit: { name: '平山区', type: 'county' } },
  { openId: 'ou_demo_liaison_fgw', name: '孙强', title: '市发展改革委 联络人', role: 'liaison', unit: { name: '市发展改革委', type: 'department' } },
  { openId: 'ou_demo_reviewer_1', name: '张教授', title: '评审专家', role: 'reviewer' },
  { openId: 'ou_demo_reviewer_2', name: '刘研究员', title: '评审专家', role: 'reviewer' },
  { openId: 'ou_demo_reviewer_3', name: '周处长', title: '评审专家', role: 'reviewer' },
  { openId: 'ou_demo_reviewer_4', name: '吴老师', title: '评审专家', role: 'reviewer' },
  { openId: 'ou_demo_reviewer_5', name: '郑主任', title: '评审专家', role: 'reviewer' },
  { openId: 'ou_demo_leader', name: '陈副市长', title: '分管领导', role: 'leader' },
  { openId: 'ou_demo_public', name: '刘女士', title: '市民', role: 'public' },
];

export const demoGroup = { chatId: 'oc_demo_work_group', name: '本溪市制度创新工作群' };

export const demoAdminOpenIds = demoPeople.filter((p) => p.role === 'admin').map((p) => p.openId);
