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
