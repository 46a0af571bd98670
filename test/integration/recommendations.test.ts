import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, recommendations } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { ManualClock } from '../../src/clock.js';
import { DomainError } from '../../src/errors.js';
import { upsertUser } from '../../src/services/actors.js';
import { createCampaign } from '../../src/services/campaigns.js';
import type { ServiceCtx } from '../../src/services/context.js';
import {
  assignRecommendation,
  assignableUnits,
  createRecommendation,
  declineRecommendation,
  pendingRecommendations,
  recommendationCampaign,
} from '../../src/services/recommendations.js';
import { ensureUnit, setUnitMember } from '../../src/services/units.js';
import { createTestDatabase, dbKind, type TestDatabase } from '../helpers/db.js';

const ADMIN = 'ou_admin';
let test: TestDatabase;
let db: Db;
let ctx: ServiceCtx;
const clock = new ManualClock(new Date('2022-09-20T10:00:00+08:00'));

/** Like the router: the whole call in one transaction, so a refusal leaves nothing behind. */
const inTx = <T>(fn: (c: ServiceCtx) => Promise<T>): Promise<T> => db.transaction((tx) => fn({ db: tx, clock }));

async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (err) {
    if (err instanceof DomainError) return err.userMessage();
    throw err;
  }
  throw new Error('expected a refusal');
}

let formNo = 0;
const recommend = (by: string, input: Partial<{ title: string; problem: string; suggestedUnit: string; formKey: string; campaignId: number }> = {}) =>
  inTx((c) =>
    createRecommendation({
      ctx: c,
      input: { title: '企业开办一件事', problem: '开办企业要跑三个窗口', suggestedUnit: undefined, formKey: `form${++formNo}abcdef`, campaignId: undefined, ...input },
      actorOpenId: by,
    }),
  );

const auditsOf = (id: number) =>
  db.select().from(auditLog).where(and(eq(auditLog.entityType, 'recommendation'), eq(auditLog.entityId, String(id)))).orderBy(asc(auditLog.id));

describe(`public recommendations (${dbKind})`, () => {
  let unitId: number;
  beforeAll(async () => {
    test = await createTestDatabase();
    db = test.database.db;
    ctx = { db, clock };
    const unit = await ensureUnit({ ctx, input: { name: '市营商环境建设局', type: 'department' }, actorOpenId: null });
    unitId = unit.id;
    await setUnitMember({ ctx, input: { unitId, openId: 'ou_liaison_yshj', role: 'liaison' }, actorOpenId: null });
    await setUnitMember({ ctx, input: { unitId, openId: 'ou_member_yshj', role: 'member' }, actorOpenId: null });
    await ensureUnit({ ctx, input: { name: '平山区', type: 'county' }, actorOpenId: null });
    await upsertUser(db, { openId: 'ou_citizen', name: '刘女士', at: clock.now() });
  });
  afterAll(async () => {
    await test?.cleanup();
  });

  it('feeds the only active evaluation campaign, and none when there is none or several', async () => {
    expect(await recommendationCampaign({ ctx })).toBeUndefined();
    await createCampaign({ ctx, input: { templateId: 'chongqing-2022' }, actorOpenId: ADMIN });
    expect(await recommendationCampaign({ ctx })).toBeUndefined(); // a supervision incentive takes no public topics
    const ln = await createCampaign({ ctx, input: { templateId: 'liaoning-2022' }, actorOpenId: ADMIN });
    expect(await recommendationCampaign({ ctx })).toEqual({ id: ln.id, name: ln.name });
    await createCampaign({ ctx, input: { templateId: 'liaoning-2022', code: 'LN2022B' }, actorOpenId: ADMIN });
    expect(await recommendationCampaign({ ctx })).toBeUndefined();
  });

  it('records a recommendation once per form, with an audit row', async () => {
    const first = await recommend('ou_citizen', { formKey: 'double0click', suggestedUnit: '市营商环境建设局' });
    expect(first.created).toBe(true);
    expect(first.row).toMatchObject({ status: 'pending', title: '企业开办一件事', suggestedUnit: '市营商环境建设局', recommenderOpenId: 'ou_citizen' });
    const again = await recommend('ou_citizen', { formKey: 'double0click', title: '别的标题' });
    expect(again).toEqual({ row: first.row, created: false });
    expect(await refusal(recommend('ou_other', { formKey: 'double0click' }))).toBe('这张推荐表已经由他人提交过。请发送“/推荐”获取一张新的表单。');
    expect(await db.select().from(recommendations).where(eq(recommendations.formKey, 'double0click'))).toHaveLength(1);
    expect((await auditsOf(first.row.id)).map((a) => a.action)).toEqual(['recommendation.create']);
  });

  it('refuses bad input and a forged campaign, writing nothing', async () => {
    const before = await db.select().from(recommendations);
    expect(await refusal(recommend('ou_citizen', { title: ' ' }))).toBe('推荐内容有误：请填写选题名称，用一句话概括需要改革创新的事项。');
    expect(await refusal(recommend('ou_citizen', { problem: 'x'.repeat(2001) }))).toBe('推荐内容有误：问题描述最多2000字，现在有2001字，请精简。');
    expect(await refusal(recommend('ou_citizen', { campaignId: 999_999 }))).toBe('这张推荐表对应的活动已不存在。请发送“/推荐”获取一张新的表单。');
    expect(await db.select().from(recommendations)).toEqual(before);
  });

  it('lists pending recommendations oldest first with the recommender name and the total', async () => {
    clock.advance(60_000);
    await recommend('ou_anon', { title: '第二条' });
    const { items, total } = await pendingRecommendations({ ctx, limit: 1 });
    expect(total).toBe(2);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ title: '企业开办一件事', recommenderName: '刘女士' });
    const all = await pendingRecommendations({ ctx, limit: 10 });
    expect(all.items.map((i) => [i.title, i.recommenderName])).toEqual([
      ['企业开办一件事', '刘女士'],
      ['第二条', null],
    ]);
  });

  it('offers units grouped by type', async () => {
    expect((await assignableUnits({ ctx })).map((u) => u.name)).toEqual(['平山区', '市营商环境建设局']);
  });

  it('assigns to a unit once: liaisons returned, decision and audit recorded; a second decision is refused', async () => {
    const { row: rec } = await recommend('ou_citizen', { title: '待分派' });
    const result = await inTx((c) => assignRecommendation({ ctx: c, input: { id: rec.id, unitId }, actorOpenId: ADMIN }));
    expect(result.unit).toEqual({ id: unitId, name: '市营商环境建设局' });
    expect(result.liaisons).toEqual(['ou_liaison_yshj']);
    expect(result.row).toMatchObject({ status: 'assigned', assignedUnitId: unitId, decidedBy: ADMIN, decidedAt: clock.now() });
    const audits = await auditsOf(rec.id);
    expect(audits.map((a) => [a.action, a.actorOpenId])).toEqual([
      ['recommendation.create', 'ou_citizen'],
      ['recommendation.assign', ADMIN],
    ]);
    expect(audits[1]?.after).toEqual({ status: 'assigned', unitId, unit: '市营商环境建设局' });

    const decided = '这条推荐已经处理过（已分派给市营商环境建设局），不能重复处理。';
    expect(await refusal(inTx((c) => assignRecommendation({ ctx: c, input: { id: rec.id, unitId }, actorOpenId: 'ou_admin_2' })))).toBe(decided);
    expect(await refusal(inTx((c) => declineRecommendation({ ctx: c, input: { id: rec.id, reason: '重复' }, actorOpenId: 'ou_admin_2' })))).toBe(decided);
    expect(await auditsOf(rec.id)).toHaveLength(2);
  });

  it('refuses a missing recommendation or unit and changes nothing', async () => {
    const { row: rec } = await recommend('ou_citizen', { title: '单位不存在' });
    expect(await refusal(inTx((c) => assignRecommendation({ ctx: c, input: { id: rec.id, unitId: 999_999 }, actorOpenId: ADMIN })))).toBe(
      '没有找到所选的单位，可能已被删除。请重新选择。',
    );
    expect(await refusal(inTx((c) => assignRecommendation({ ctx: c, input: { id: 999_999, unitId }, actorOpenId: ADMIN })))).toContain('没有找到编号为 999999 的推荐');
    const [after] = await db.select().from(recommendations).where(eq(recommendations.id, rec.id));
    expect(after).toMatchObject({ status: 'pending', assignedUnitId: null, decidedBy: null });
  });

  it('declines only with a reason, keeps the reason, and audits it', async () => {
    const { row: rec } = await recommend('ou_citizen', { title: '不采纳' });
    expect(await refusal(inTx((c) => declineRecommendation({ ctx: c, input: { id: rec.id, reason: '  ' }, actorOpenId: ADMIN })))).toBe(
      '请填写不采纳的理由，让推荐人了解原因。',
    );
    const row = await inTx((c) => declineRecommendation({ ctx: c, input: { id: rec.id, reason: ' 已有政策覆盖 ' }, actorOpenId: ADMIN }));
    expect(row).toMatchObject({ status: 'declined', decisionReason: '已有政策覆盖', decidedBy: ADMIN });
    const audits = await auditsOf(rec.id);
    expect(audits.at(-1)).toMatchObject({ action: 'recommendation.decline', reason: '已有政策覆盖', before: { status: 'pending' }, after: { status: 'declined' } });
    expect(await refusal(inTx((c) => assignRecommendation({ ctx: c, input: { id: rec.id, unitId }, actorOpenId: ADMIN })))).toBe(
      '这条推荐已经处理过（不采纳：已有政策覆盖），不能重复处理。',
    );
  });
});
