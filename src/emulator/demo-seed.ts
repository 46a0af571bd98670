// Loads the demo cast into the database through the services (idempotent: safe on every start).
import type { Db } from '../../db/types.js';
import type { Clock } from '../clock.js';
import { grantRole, upsertUser } from '../services/actors.js';
import { ensureUnit, setUnitMember } from '../services/units.js';
import { liaoningDemoWindow, shiftPhasesAround } from '../domain/campaign/demo-shift.js';
import { templates } from '../domain/campaign/templates/index.js';
import { campaignByCode, createCampaign } from '../services/campaigns.js';
import { createSubmission } from '../services/submissions.js';
import { canSubmit } from '../domain/campaign/phases.js';
import type { ServiceCtx } from '../services/context.js';
import { demoPeople } from './demo-people.js';
import { addDays, chinaDateOf, chinaInstantOn, chinaWorkCalendar, previousWorkday } from '../domain/ledger/calendar.js';
import { defaultEscalationPolicy, isMilestoneTrigger } from '../domain/ledger/escalation.js';
import { periodsFor } from '../domain/ledger/periods.js';
import type { TaskDraft } from '../domain/ledger/task-import.js';
import { changeTaskState, createTask } from '../services/ledger-tasks.js';
import { createLedger, listLedgers, updateLedgerSettings } from '../services/ledgers.js';
import { listUnits } from '../services/units.js';
import { openReport, submitReport } from '../services/progress-reports.js';
import { seedDemoReview } from './demo-review.js';
import { decideLedgerLetters, issueDecidedLetters } from '../services/escalation.js';
import { activeLedgers } from '../services/ledger-outstanding.js';
import { letterNotices } from '../jobs/ledger-escalation.js';

export { demoAdminOpenIds } from './demo-people.js';

export async function seedDemo(db: Db, clock: Clock): Promise<void> {
  await db.transaction(async (tx) => {
    const ctx = { db: tx, clock };
    const at = clock.now();
    for (const p of demoPeople) {
      await upsertUser(tx, { openId: p.openId, name: p.name, at });
      if (p.role === 'admin' || p.role === 'reviewer' || p.role === 'leader') {
        await grantRole(tx, { openId: p.openId, role: p.role, at, actorOpenId: null });
      }
      if (p.unit) {
        const unit = await ensureUnit({ ctx, input: p.unit, actorOpenId: null });
        await setUnitMember({ ctx, input: { unitId: unit.id, openId: p.openId, role: 'liaison' }, actorOpenId: null });
      }
    }
    await seedDemoCampaign(ctx);
    await seedDemoSubmissions(ctx);
    await seedDemoReview(ctx);
    await seedDemoLedger(ctx);
  });
}

/**
 * The Liaoning 2022 campaign (LN2022) with every phase moved so that 选题申报 opened 20 days ago and
 * closes in 10 days: a newcomer can hand in a topic at once. Created once; a restart never re-shifts it.
 */
export async function seedDemoCampaign(ctx: ServiceCtx): Promise<void> {
  if (await campaignByCode(ctx, 'LN2022')) return;
  const shifted = shiftPhasesAround(templates['liaoning-2022'].phases, ctx.clock.now(), liaoningDemoWindow);
  if (!shifted.ok) throw new Error(shifted.message);
  const provisional = { opensAt: 'provisional', closesAt: 'provisional' } as const;
  const phasePatches = Object.fromEntries(Object.entries(shifted.value).map(([key, dates]) => [key, { ...dates, dateSource: provisional }]));
  await createCampaign({ ctx, input: { templateId: 'liaoning-2022', code: 'LN2022', overrides: { phasePatches } }, actorOpenId: null });
}

/**
 * Seed 000's story has work under way: 市发展改革委 (孙强) has handed in its one topic, so its quota is
 * met, while 本溪高新区 and 平山区 still owe theirs. Idempotent through the form key.
 */
export async function seedDemoSubmissions(ctx: ServiceCtx): Promise<void> {
  const campaign = await campaignByCode(ctx, 'LN2022');
  // A demo data folder kept past its submission phase keeps what it has.
  if (!campaign || !canSubmit(campaign.definition.phases, ctx.clock.now(), 'topic').ok) return;
  const outcome = await createSubmission({
    ctx,
    actorOpenId: 'ou_demo_liaison_fgw',
    input: {
      campaignCode: 'LN2022',
      formKey: 'demo-fgw-topic-1',
      values: {
        kind: 'topic',
        title: '重大项目审批“容缺受理、承诺制”改革',
        direction: 'reform_opening',
        problem: '重大项目审批环节多、材料重复提交，企业往往要等数月才能开工。',
        innovation: '非关键材料容缺受理，企业书面承诺后先行审批，事后核查。',
        mainCreators: ['ou_demo_liaison_fgw'],
      },
    },
  });
  if (!outcome.ok) throw new Error(`the demo submission was refused: ${JSON.stringify(outcome.errors)}`);
}

/** Seed 002 (Yinchuan's measures) and seed 004 (Hebei's S&T reforms) as the demo ledger's dozen tasks. */
const demoLedgerTasks: { title: string; measure: string; lead: string; cooperating: string[]; owner: string; cadence: 'weekly' | 'monthly'; expected: string; milestone: string }[] = [
  { title: '实行重大改革任务工作专班推进制', measure: '统筹协调', lead: '市发展改革委', cooperating: ['平山区', '本溪高新区'], owner: 'ou_demo_liaison_fgw', cadence: 'weekly', expected: '每项重大改革任务都有一名市级领导、一个牵头单位、一批配合单位', milestone: '明确各专班任务分工和时限' },
  { title: '推行“改革专员”制度', measure: '统筹协调', lead: '平山区', cooperating: ['市发展改革委'], owner: 'ou_demo_liaison_ps', cadence: 'monthly', expected: '每项重点改革工作都有专人负责', milestone: '公布改革专员名单' },
  { title: '健全台账督办制（立即挂号、及时销号、备注留号）', measure: '督察督办', lead: '市发展改革委', cooperating: [], owner: 'ou_demo_liaison_fgw', cadence: 'monthly', expected: '年度改革任务全部纳入台账动态管理', milestone: '印发台账管理办法' },
  { title: '建立深改工作重点问题库', measure: '督察督办', lead: '本溪高新区', cooperating: ['平山区'], owner: 'ou_demo_liaison_gx', cadence: 'monthly', expected: '问题按责任归口纳入督办台账', milestone: '完成首批问题归集' },
  { title: '制定全面深化改革“红榜”清单', measure: '考核激励', lead: '市发展改革委', cooperating: [], owner: 'ou_demo_liaison_fgw', cadence: 'monthly', expected: '定期通报表扬榜上有名的改革事项、单位和个人', milestone: '出台红榜评选办法' },
  { title: '开展改革试点创优争先比拼', measure: '改革试点', lead: '本溪高新区', cooperating: ['市发展改革委'], owner: 'ou_demo_liaison_gx', cadence: 'monthly', expected: '一年闯经验、两年出成果、三年上台阶', milestone: '确定年度试点名单' },
  { title: '制定深改工作制度“集成式”清单', measure: '改革试点', lead: '平山区', cooperating: [], owner: 'ou_demo_liaison_ps', cadence: 'monthly', expected: '实施2至3个重点领域制度集成', milestone: '形成制度集成清单初稿' },
  { title: '制定第三方评估办法', measure: '督察督办', lead: '市发展改革委', cooperating: ['平山区'], owner: 'ou_demo_liaison_fgw', cadence: 'monthly', expected: '每年对2至3个重大改革事项开展第三方评估', milestone: '出台评估办法' },
  { title: '推进科技计划管理改革', measure: '深化科技体制改革', lead: '本溪高新区', cooperating: ['市发展改革委'], owner: 'ou_demo_liaison_gx', cadence: 'monthly', expected: '出台科技计划管理改革方案，提高财政科技资金使用效益', milestone: '形成改革方案送审稿' },
  { title: '优化高新技术企业申报流程（随时申报、按需评审）', measure: '深化科技体制改革', lead: '本溪高新区', cooperating: [], owner: 'ou_demo_liaison_gx', cadence: 'monthly', expected: '高新技术企业申报由定期申报改为随时申报', milestone: '上线随时申报系统' },
  { title: '建立科技项目直报制度', measure: '深化科技体制改革', lead: '平山区', cooperating: ['本溪高新区'], owner: 'ou_demo_liaison_ps', cadence: 'monthly', expected: '科研院所可直接申报市级科技项目', milestone: '发布直报工作指引' },
  { title: '制定科技项目后补助资金管理办法', measure: '深化科技体制改革', lead: '市发展改革委', cooperating: ['本溪高新区'], owner: 'ou_demo_liaison_fgw', cadence: 'monthly', expected: '提高后补助资金比例', milestone: '联合财政部门印发办法' },
];

/** The task (index in demoLedgerTasks) whose milestone is overdue and has drawn a 提醒函: 本溪高新区's problem library. */
const LETTER_TASK = 3;

/**
 * When the demo's 提醒函 was issued and when the milestone it chases fell due: the last working morning (09:30) before
 * now, and the working day `reminderAfterWorkdays` before it, so the policy itself issues exactly that letter then.
 */
function demoLetterMoments(now: Date): { letterAt: Date; dueOn: string } {
  const calendar = chinaWorkCalendar;
  const today = chinaDateOf(now);
  const letterOn = calendar.isWorkday(today) && now.getTime() >= chinaInstantOn(today, 9, 30).getTime() ? today : previousWorkday(today, calendar);
  let dueOn = letterOn;
  for (let i = 0; i < defaultEscalationPolicy.reminderAfterWorkdays; i += 1) dueOn = previousWorkday(dueOn, calendar);
  return { letterAt: chinaInstantOn(letterOn, 9, 30), dueOn };
}

/**
 * The demo ledger “2026年全面深化改革任务”, registered twelve days ago (earlier when holidays call for it): a dozen
 * tasks with owners among the demo liaisons and 陈副市长 as responsible leader, a few under way, the weekly task's
 * first report handed in two days late, and one 提醒函 for the problem-library task whose first milestone is three
 * working days overdue. Left alone, that task draws a 督办函 five working days later (the console's time travel
 * shows it). Created once (by title).
 */
export async function seedDemoLedger(ctx: ServiceCtx): Promise<void> {
  const title = '2026年全面深化改革任务';
  if ((await listLedgers({ ctx })).some((l) => l.title === title)) return;
  const now = ctx.clock.now();
  const letter = demoLetterMoments(now);
  const start = new Date(Math.min(now.getTime() - 12 * 86_400_000, chinaInstantOn(addDays(letter.dueOn, -7), 9).getTime()));
  const past = { db: ctx.db, clock: { now: () => start } };
  const ledger = await createLedger({ ctx: past, input: { title }, actorOpenId: null });
  // 陈副市长 is the demo's only leader: he gets the monthly digest as well as the weekly one of his tasks.
  await updateLedgerSettings({ ctx: past, ledgerId: ledger.id, input: { mainLeaderOpenId: 'ou_demo_leader' }, actorOpenId: null });
  const unitIds = new Map((await listUnits({ ctx })).map((u) => [u.name, u.id]));
  const admin = { openId: 'ou_demo_admin', roles: ['admin' as const, 'public' as const], units: [] };
  const from = chinaDateOf(start);
  const created = [];
  for (const [i, t] of demoLedgerTasks.entries()) {
    const draft: TaskDraft = {
      title: t.title,
      measure: t.measure,
      leadUnitId: unitIds.get(t.lead) ?? 0,
      cooperatingUnitIds: t.cooperating.map((u) => unitIds.get(u) ?? 0),
      responsibleLeaderOpenId: 'ou_demo_leader',
      ownerOpenId: t.owner,
      milestones: [{ dueOn: i === LETTER_TASK ? letter.dueOn : addDays(from, 30 + i * 7), title: t.milestone }],
      cadences: [t.cadence],
      expectedResult: t.expected,
    };
    const { task } = await createTask({ ctx: past, input: { ledgerId: ledger.id, draft }, actorOpenId: null });
    created.push(task);
    if (i < 4) await changeTaskState({ ctx: past, actor: admin, input: { taskId: task.id, version: task.version, event: { type: 'start' } } });
  }
  await seedLateReport(ctx, created[0], from);
  const chased = created[LETTER_TASK];
  if (chased) await seedDemoLetter(ctx, ledger.id, chased.id, letter.letterAt);
}

/** The weekly task's first report, handed in two days after it was due (when that moment has passed). */
async function seedLateReport(ctx: ServiceCtx, weekly: { id: number; ownerOpenId: string } | undefined, from: string): Promise<void> {
  const now = ctx.clock.now();
  const first = periodsFor('weekly', from, chinaDateOf(now), chinaWorkCalendar)[0];
  if (!weekly || !first) return;
  const lateAt = { db: ctx.db, clock: { now: () => new Date(first.dueAt.getTime() + 2 * 86_400_000) } };
  if (lateAt.clock.now().getTime() > now.getTime()) return;
  const view = await openReport({ ctx: lateAt, openId: weekly.ownerOpenId, input: { taskId: weekly.id, periodKey: first.key } });
  const form: Record<string, unknown> = { progress: '已召开专班启动会，明确牵头和配合单位分工。', problems: '个别配合单位人员尚未到位。', suggestions: '请分管领导协调配合单位尽快明确人员。', percent: '20' };
  for (const m of view.milestones) form[`ms_${m.id}`] = 'on_time';
  await submitReport({ ctx: lateAt, openId: weekly.ownerOpenId, input: { taskId: weekly.id, periodKey: first.key, version: 0, form } });
}

/**
 * The letter the escalation policy decided at `letterAt` for the task's overdue milestone, issued through the same
 * service as the minute job's pass (number, audit row, cards to the owner and the lead unit's liaison). Other
 * letters the policy may call for are left to the running job.
 */
async function seedDemoLetter(ctx: ServiceCtx, ledgerId: number, taskId: number, letterAt: Date): Promise<void> {
  const [ledger] = await activeLedgers(ctx.db, [ledgerId]);
  if (!ledger) return;
  const { decisions } = await decideLedgerLetters(ctx.db, ledger, letterAt);
  const ours = decisions.filter((d) => d.taskId === taskId && d.kind === 'reminder' && isMilestoneTrigger(d.triggerKey));
  if (ours.length !== 1) throw new Error(`the demo letter's policy decision is missing (${ours.length} found)`);
  await issueDecidedLetters({ db: ctx.db, clock: { now: () => letterAt } }, ledger.id, ours, { now: letterAt, notices: letterNotices });
}
