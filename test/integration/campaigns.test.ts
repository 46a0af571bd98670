import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, campaigns, submissions, units } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { ManualClock } from '../../src/clock.js';
import { phaseState } from '../../src/domain/campaign/phases.js';
import { seedDemo } from '../../src/emulator/demo-seed.js';
import { DomainError } from '../../src/errors.js';
import {
  bindNoticeChat,
  changePhaseState,
  createCampaign,
  findCampaign,
  moveCampaignDeadline,
  type CampaignRow,
} from '../../src/services/campaigns.js';
import type { ServiceCtx } from '../../src/services/context.js';
import { quotaReport } from '../../src/services/quotas.js';
import { createTestDatabase, dbKind, type TestDatabase } from '../helpers/db.js';

const at = (beijing: string): Date => new Date(`${beijing}+08:00`);
const ADMIN = 'ou_admin_int';

/** The Chinese text of the DomainError a call is refused with. */
async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (err) {
    if (err instanceof DomainError) return err.userMessage();
    throw err;
  }
  throw new Error('expected a refusal, but the call succeeded');
}

describe(`campaigns and quotas (${dbKind})`, () => {
  let test: TestDatabase;
  let db: Db;
  const clock = new ManualClock(at('2022-09-10T10:00:00'));
  let ctx: ServiceCtx;

  beforeAll(async () => {
    test = await createTestDatabase();
    db = test.database.db;
    ctx = { db, clock };
  });
  afterAll(async () => {
    await test?.cleanup();
  });

  const row = async (code: string): Promise<CampaignRow> => findCampaign({ ctx, code });
  const audits = (code: string) => db.select().from(auditLog).where(eq(auditLog.entityId, code)).orderBy(asc(auditLog.id));
  const phase = (c: CampaignRow, key: string) => c.definition.phases.find((p) => p.key === key)!;

  /** Runs a refused call and checks that the campaign and the audit log are exactly as before. */
  async function refusedWithoutChange(code: string, work: () => Promise<unknown>): Promise<string> {
    const [before, auditsBefore] = [await row(code), (await audits(code)).length];
    const message = await refusal(work());
    expect(await row(code)).toEqual(before);
    expect(await audits(code)).toHaveLength(auditsBefore);
    return message;
  }

  describe('creating', () => {
    it('creates LN2022 from the liaoning-2022 template, audited', async () => {
      const created = await createCampaign({ ctx, input: { templateId: 'liaoning-2022' }, actorOpenId: ADMIN });
      expect(created).toMatchObject({ code: 'LN2022', kind: 'evaluation', year: 2022, version: 1, noticeChatId: null });
      expect(await audits('LN2022')).toMatchObject([{ action: 'campaign.create', actorOpenId: ADMIN }]);
    });

    it('refuses an unknown template and a code already taken, writing nothing', async () => {
      const count = async () => (await db.select({ n: sql<number>`count(*)::int` }).from(campaigns))[0]?.n;
      const before = await count();
      expect(await refusal(createCampaign({ ctx, input: { templateId: 'beijing-2022' }, actorOpenId: ADMIN }))).toBe(
        '没有模板“beijing-2022”。可用的模板：liaoning-2022、chongqing-2022。',
      );
      expect(await refusedWithoutChange('LN2022', () => createCampaign({ ctx, input: { templateId: 'liaoning-2022' }, actorOpenId: ADMIN }))).toContain(
        '活动代码“LN2022”已被使用',
      );
      expect(await refusal(createCampaign({ ctx, input: { templateId: 'liaoning-2022', code: 'ln-2' }, actorOpenId: ADMIN }))).toContain('活动代码只能由大写英文字母和数字组成');
      expect(await count()).toBe(before);
    });
  });

  describe('phases (clock at 2022-09-10, 选题申报 open until 10-15)', () => {
    it('moves a deadline with a reason; the audit row says who, when, before, after and why', async () => {
      clock.set(at('2022-09-10T10:00:00'));
      const change = await moveCampaignDeadline({ ctx, campaignId: (await row('LN2022')).id, actorOpenId: ADMIN, input: { phase: '选题申报', closesAt: '2022-10-12 18:00', reason: '提前汇总' } });
      expect(change.after.closesAt).toBe('2022-10-12T18:00:00+08:00');
      expect(change.campaign.version).toBe(2);
      const last = (await audits('LN2022')).at(-1);
      expect(last).toMatchObject({
        action: 'campaign.deadline.move',
        actorOpenId: ADMIN,
        at: at('2022-09-10T10:00:00'),
        reason: '提前汇总',
        before: { phases: [{ key: 'topic_submission', label: '选题申报', closesAt: '2022-10-15T23:59:59+08:00' }] },
        after: { phases: [{ key: 'topic_submission', label: '选题申报', closesAt: '2022-10-12T18:00:00+08:00' }] },
      });
    });

    it.each([
      ['a missing reason', { phase: '选题申报', closesAt: '2022-10-20', reason: ' ' }, '调整截止时间必须写明理由'],
      ['an unreadable date', { phase: '选题申报', closesAt: '10月32日', reason: '延期' }, '无法识别日期“10月32日”'],
      ['a date in the past', { phase: '选题申报', closesAt: '2022-09-01', reason: '延期' }, '不晚于当前时间2022年9月10日 10:00'],
      ['a date past the next phase start', { phase: 'topic_submission', closesAt: '2022-10-20', reason: '延期' }, '晚于下一阶段“办公室遴选”的开始时间2022年10月16日 00:00'],
      ['a date before the phase opens', { phase: '办公室遴选', closesAt: '2022-10-15 12:00', reason: '调整' }, '必须晚于“办公室遴选”的开始时间'],
      ['an unknown phase', { phase: '答辩', closesAt: '2022-10-20', reason: '延期' }, '没有找到阶段“答辩”'],
    ] as const)('refuses %s with a Chinese message and changes nothing', async (_what, input, expected) => {
      const id = (await row('LN2022')).id;
      expect(await refusedWithoutChange('LN2022', () => moveCampaignDeadline({ ctx, campaignId: id, actorOpenId: ADMIN, input }))).toContain(expected);
    });

    it('closes the open phase early, refuses a reopen without a date or reason, then reopens it', async () => {
      const id = (await row('LN2022')).id;
      clock.set(at('2022-09-20T09:00:00'));
      const closed = await changePhaseState({ ctx, campaignId: id, actorOpenId: ADMIN, input: { op: 'close', phase: 'topic_submission', reason: '名额已满' } });
      expect(closed.after.closesAt).toBe('2022-09-20T09:00:00+08:00');
      expect(phaseState(closed.after, clock.now())).toBe('closed');
      expect((await audits('LN2022')).at(-1)).toMatchObject({ action: 'campaign.phase.close', reason: '名额已满' });

      expect(await refusedWithoutChange('LN2022', () => moveCampaignDeadline({ ctx, campaignId: id, actorOpenId: ADMIN, input: { phase: '选题申报', closesAt: '2022-10-01', reason: '延期' } }))).toContain('请使用“重新开放”');
      expect(await refusedWithoutChange('LN2022', () => changePhaseState({ ctx, campaignId: id, actorOpenId: ADMIN, input: { op: 'reopen', phase: '选题申报', reason: '补交' } }))).toContain('必须写明新的截止日期');
      expect(await refusedWithoutChange('LN2022', () => changePhaseState({ ctx, campaignId: id, actorOpenId: ADMIN, input: { op: 'reopen', phase: '选题申报', closesAt: '2022-10-01' } }))).toContain('必须写明理由');
      expect(await refusedWithoutChange('LN2022', () => changePhaseState({ ctx, campaignId: id, actorOpenId: ADMIN, input: { op: 'open', phase: '选题申报' } }))).toContain('已截止');

      const reopened = await changePhaseState({ ctx, campaignId: id, actorOpenId: ADMIN, input: { op: 'reopen', phase: '选题申报', closesAt: '10月1日', reason: '个别单位材料未齐' } });
      expect(reopened.after.closesAt).toBe('2022-10-01T23:59:59+08:00');
      expect(reopened.after.history?.at(-1)).toMatchObject({ action: 'reopen', reason: '个别单位材料未齐', previousClosesAt: '2022-09-20T09:00:00+08:00' });
      expect((await audits('LN2022')).at(-1)).toMatchObject({
        action: 'campaign.phase.reopen',
        reason: '个别单位材料未齐',
        before: { phases: [{ key: 'topic_submission', closesAt: '2022-09-20T09:00:00+08:00' }] },
        after: { phases: [{ key: 'topic_submission', closesAt: '2022-10-01T23:59:59+08:00' }] },
      });
    });

    it('opens the next phase only after the one before it has closed', async () => {
      const id = (await row('LN2022')).id;
      clock.set(at('2022-09-25T09:00:00'));
      expect(await refusedWithoutChange('LN2022', () => changePhaseState({ ctx, campaignId: id, actorOpenId: ADMIN, input: { op: 'open', phase: 'office_selection' } }))).toContain('上一阶段“选题申报”进行中');
      clock.set(at('2022-10-02T09:00:00'));
      const opened = await changePhaseState({ ctx, campaignId: id, actorOpenId: ADMIN, input: { op: 'open', phase: '办公室遴选' } });
      expect(opened.after.opensAt).toBe('2022-10-02T09:00:00+08:00');
      expect(phase(opened.campaign, 'office_selection').closesAt).toBe('2022-10-23T23:59:59+08:00');
    });

    it('the form path reopens a closed phase until the new date, unless the next phase has begun', async () => {
      const id = (await row('LN2022')).id;
      clock.set(at('2022-10-03T09:00:00'));
      await changePhaseState({ ctx, campaignId: id, actorOpenId: ADMIN, input: { op: 'close', phase: 'office_selection' } });
      const input = { phase: '办公室遴选', closesAt: '2022-10-20 17:00', reason: '补充遴选', reopenIfClosed: true };
      const change = await moveCampaignDeadline({ ctx, campaignId: id, actorOpenId: ADMIN, input });
      expect(change.reopened).toBe(true);
      expect(change.after.closesAt).toBe('2022-10-20T17:00:00+08:00');
      expect((await audits('LN2022')).at(-1)).toMatchObject({ action: 'campaign.deadline.move', reason: '补充遴选' });
      const late = { phase: '选题申报', closesAt: '2022-10-10', reason: '补交', reopenIfClosed: true };
      expect(await refusedWithoutChange('LN2022', () => moveCampaignDeadline({ ctx, campaignId: id, actorOpenId: ADMIN, input: late }))).toContain('下一阶段“办公室遴选”已于2022年10月2日 09:00开始');
    });
  });

  describe('notice group', () => {
    it('binds a chat once; binding the same chat again changes nothing', async () => {
      const id = (await row('LN2022')).id;
      const first = await bindNoticeChat({ ctx, campaignId: id, chatId: 'oc_work', actorOpenId: ADMIN });
      expect(first).toMatchObject({ changed: true, campaign: { noticeChatId: 'oc_work' } });
      const again = await bindNoticeChat({ ctx, campaignId: id, chatId: 'oc_work', actorOpenId: ADMIN });
      expect(again.changed).toBe(false);
      expect((await audits('LN2022')).filter((a) => a.action === 'campaign.bind_chat')).toMatchObject([{ before: { noticeChatId: null }, after: { noticeChatId: 'oc_work' } }]);
    });
  });
});

describe(`quota report (${dbKind})`, () => {
  let test: TestDatabase;
  let db: Db;
  const clock = new ManualClock(at('2022-09-10T10:00:00'));
  let ctx: ServiceCtx;
  let ln: CampaignRow;
  let cq: CampaignRow;
  const ids: Record<string, number> = {};
  let seq = 0;

  async function submit(campaign: CampaignRow, unit: string, status: 'submitted' | 'withdrawn' | 'recommended' = 'submitted'): Promise<void> {
    seq += 1;
    const unitId = ids[unit]!;
    await db.insert(submissions).values({
      campaignId: campaign.id, unitId, seq, trackingNo: `${campaign.code}-T${seq}`, kind: 'topic', title: `选题${seq}`,
      fields: {}, mainCreators: [], status, formKey: `fk${seq}`, submittedBy: 'ou_x', createdAt: clock.now(), updatedAt: clock.now(),
    });
  }

  beforeAll(async () => {
    test = await createTestDatabase();
    db = test.database.db;
    ctx = { db, clock };
    const list = [
      ['溪湖区', 'county', false],
      ['平山区', 'county', false],
      ['本溪高新区', 'park', false],
      ['市司法局', 'department', false],
      ['市妇联', 'organisation', false],
      ['省驻本溪某局', 'department', true],
    ] as const;
    for (const [name, type, viceDepartmentLevel] of list) {
      const [u] = await db.insert(units).values({ name, type, viceDepartmentLevel }).returning();
      ids[name] = u!.id;
    }
    ln = await createCampaign({ ctx, input: { templateId: 'liaoning-2022' }, actorOpenId: null });
    cq = await createCampaign({ ctx, input: { templateId: 'chongqing-2022' }, actorOpenId: null });
    await submit(ln, '溪湖区');
    await submit(ln, '溪湖区', 'recommended');
    await submit(ln, '平山区');
    await submit(ln, '平山区', 'withdrawn');
    await submit(ln, '市司法局');
    await submit(ln, '省驻本溪某局');
    await submit(cq, '市妇联');
    await submit(cq, '本溪高新区');
  });
  afterAll(async () => {
    await test?.cleanup();
  });

  it('counts non-withdrawn submissions of this campaign only, units below quota first, excluded units left out', async () => {
    const report = await quotaReport(ctx, ln.id);
    expect(report.rows.map((r) => [r.unitName, r.count, r.minimum, r.belowQuota])).toEqual([
      ['本溪高新区', 0, 2, true],
      ['平山区', 1, 2, true],
      ['市妇联', 0, 1, true],
      ['市司法局', 1, 1, false],
      ['溪湖区', 2, 2, false],
    ]);
    expect(report.summary).toEqual({ units: 5, belowQuota: 3, totalShortfall: 4 });
    expect(report.hasMinimum).toBe(true);
  });

  it("narrows to a liaison's units", async () => {
    const report = await quotaReport(ctx, ln.id, [ids['平山区']!, ids['溪湖区']!]);
    expect(report.rows.map((r) => r.unitName)).toEqual(['平山区', '溪湖区']);
    expect((await quotaReport(ctx, ln.id, [])).rows).toEqual([]);
  });

  it('takes only the unit types a campaign accepts (CQ2022: districts and parks, no minimum)', async () => {
    const report = await quotaReport(ctx, cq.id);
    expect(report.rows.map((r) => [r.unitName, r.count])).toEqual([
      ['本溪高新区', 1],
      ['平山区', 0],
      ['溪湖区', 0],
    ]);
    expect(report.hasMinimum).toBe(false);
    expect(report.summary.belowQuota).toBe(0);
  });

  it('answers for 500 units and 5,000 submissions with exact counts (timing lives in bench/)', async () => {
    const bulk = Array.from({ length: 500 }, (_, i) => ({ name: `压测单位${String(i).padStart(3, '0')}`, type: i % 2 ? ('county' as const) : ('department' as const) }));
    const made = await db.insert(units).values(bulk).returning({ id: units.id });
    const rows = Array.from({ length: 5000 }, (_, i) => {
      const n = seq + i + 1;
      return {
        campaignId: ln.id, unitId: made[i % 499]!.id, seq: n, trackingNo: `BULK-${n}`, kind: 'topic' as const, title: 't', fields: {}, mainCreators: [],
        status: i % 10 === 0 ? ('withdrawn' as const) : ('submitted' as const), formKey: `bulk${n}`, submittedBy: 'ou_x', createdAt: clock.now(), updatedAt: clock.now(),
      };
    });
    for (let i = 0; i < rows.length; i += 1000) await db.insert(submissions).values(rows.slice(i, i + 1000));
    const report = await quotaReport(ctx, ln.id);
    expect(report.summary.units).toBe(505);
    expect(report.rows.reduce((s, r) => s + r.count, 0)).toBe(4 + 4500);
    expect(report.rows.find((r) => r.unitId === made[499]!.id)).toMatchObject({ count: 0, belowQuota: true });
  });
});

describe(`demo seed (${dbKind})`, () => {
  it('creates LN2022 once, with 选题申报 open now, and never re-shifts it on a restart', async () => {
    const test = await createTestDatabase();
    try {
      const clock = new ManualClock(at('2026-11-25T15:30:00'));
      await seedDemo(test.database.db, clock);
      const ctx = { db: test.database.db, clock };
      const first = await findCampaign({ ctx, code: 'LN2022' });
      const topic = first.definition.phases.find((p) => p.key === 'topic_submission')!;
      expect([topic.opensAt, topic.closesAt]).toEqual(['2026-11-05T00:00:00+08:00', '2026-12-05T23:59:59+08:00']);
      expect(phaseState(topic, clock.now())).toBe('open');
      clock.set(at('2026-12-20T10:00:00'));
      await seedDemo(test.database.db, clock);
      expect(await findCampaign({ ctx, code: 'LN2022' })).toEqual(first);
    } finally {
      await test.cleanup();
    }
  });
});
