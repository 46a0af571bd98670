// Seed 000 §四.3 (组织实施): a topic on the campaign's confirmed list becomes a ledger task with one
// click on its card, keeping its unit, creators and a link back; only the office may click it.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ledgerTasks, submissions } from '../../db/schema/index.js';
import { createCampaign } from '../../src/services/campaigns.js';
import { createLedger } from '../../src/services/ledgers.js';
import { ensureUnit, setUnitMember } from '../../src/services/units.js';
import { messageText } from '../fakes/index.js';
import { chatWith } from './chat.js';
import { ADMIN, startTestBot, type TestBot } from './harness.js';

let t: TestBot;
let submissionId = 0;
const { signed, send } = chatWith(() => t, { reply: 'toMessage' });

beforeAll(async () => {
  t = await startTestBot();
  t.clock.jumpTo(new Date('2026-03-04T10:00:00+08:00'));
  await t.app.database.db.transaction(async (tx) => {
    const ctx = { db: tx, clock: t.clock };
    const campaign = await createCampaign({ ctx, input: { templateId: 'liaoning-2022' }, actorOpenId: null });
    const unit = await ensureUnit({ ctx, input: { name: '本溪高新区', type: 'park' }, actorOpenId: null });
    await setUnitMember({ ctx, input: { unitId: unit.id, openId: 'ou_li', name: '李明', role: 'liaison' }, actorOpenId: null });
    const [row] = await tx
      .insert(submissions)
      .values({
        campaignId: campaign.id, unitId: unit.id, seq: 1, trackingNo: 'LN2022-本溪高新区-001', kind: 'topic', title: '企业开办“一日办结”',
        fields: { innovation: '一窗受理' }, mainCreators: [{ openId: 'ou_li', name: '李明' }], status: 'confirmed',
        formKey: 'topic-to-ledger', submittedBy: 'ou_li', createdAt: t.clock.now(), updatedAt: t.clock.now(),
      })
      .returning();
    submissionId = row?.id ?? 0;
    await createLedger({ ctx, input: { title: '2026年全面深化改革任务' }, actorOpenId: null });
  });
});
afterAll(async () => {
  await t.stop();
});
afterEach(() => {
  t.fake.assertNoUnmodeled();
});

async function detailCard(from: string) {
  const reply = await send(from, '/申报 详情 LN2022-本溪高新区-001');
  if (!reply.card) throw new Error('no detail card');
  return reply;
}

describe('from a confirmed topic to a ledger task', () => {
  it('puts a 转入改革台账 button on the confirmed topic; the office clicks once and gets the task card', async () => {
    const card = await detailCard(ADMIN);
    const button = card.card?.body.elements.find((e) => e.tag === 'button' && e.name === 'to_ledger');
    expect(button?.tag === 'button' && button.behaviors?.[0]?.value).toEqual({ v: 1, a: 'ledger.fromSubmission', s: submissionId });
    const value = button?.tag === 'button' ? button.behaviors?.[0]?.value : undefined;

    // The unit's liaison sees the button too, but the click is the office's.
    const refused = await t.fake.clickCard(t.app.webhookUrl, { operator: 'ou_li', messageId: card.message_id, value }, signed());
    expect(refused.toast?.type).toBe('error');
    expect(await t.app.database.db.select().from(ledgerTasks)).toHaveLength(0);

    const done = await t.fake.clickCard(t.app.webhookUrl, { operator: ADMIN, messageId: card.message_id, value }, signed());
    expect(done.toast?.type).toBe('success');
    const tasks = await t.app.database.db.select().from(ledgerTasks).where(eq(ledgerTasks.sourceSubmissionId, submissionId));
    expect(tasks).toHaveLength(1);
    expect(tasks[0]?.title).toBe('企业开办“一日办结”');
    expect(messageText(t.fake.findMessage(card.message_id)!)).toContain(tasks[0]?.code ?? '-');

    // A second click does not make a second task.
    const again = await t.fake.clickCard(t.app.webhookUrl, { operator: ADMIN, messageId: card.message_id, value }, signed());
    expect(again.toast?.type).toBe('info');
    expect(await t.app.database.db.select().from(ledgerTasks)).toHaveLength(1);
  });
});
