import { and, asc, eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, submissions } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { ManualClock } from '../../src/clock.js';
import { DomainError } from '../../src/errors.js';
import { createCampaign, type CampaignRow } from '../../src/services/campaigns.js';
import type { ServiceCtx } from '../../src/services/context.js';
import {
  confirmDeclaration,
  confirmQueue,
  declarationForReview,
  findIncentiveCampaign,
  reviewDeclaration,
  reviewQueue,
  submitDeclaration,
} from '../../src/services/declarations.js';
import { ensureUnit, setUnitMember } from '../../src/services/units.js';
import { createTestDatabase, dbKind, queryRows, type TestDatabase } from '../helpers/db.js';

const ADMIN = 'ou_admin';
const open = new Date('2023-01-10T10:00:00+08:00');
const clock = new ManualClock(open);
let test: TestDatabase;
let db: Db;
let ctx: ServiceCtx;
let cq: CampaignRow;
const unitIds: Record<string, number> = {};

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
function declare(by: string, unit: string, measureNo: number, formKey = `form${++formNo}abcdefgh`) {
  const form = { measureNo, selfAssessment: `${unit}第${measureNo}项自评`, evidence: ['https://e.example.cn/1'] };
  return inTx((c) => submitDeclaration({ ctx: c, input: { campaignId: cq.id, unitId: unitIds[unit]!, formKey, form }, actorOpenId: by }));
}
const review = (by: string, id: number, move: 'recommend' | 'return', reason?: string) =>
  inTx((c) => reviewDeclaration({ ctx: c, input: { id, move, ...(reason ? { reason } : {}) }, actorOpenId: by }));
const confirm = (id: number, campaignId?: number) => inTx((c) => confirmDeclaration({ ctx: c, input: { id, ...(campaignId ? { campaignId } : {}) }, actorOpenId: ADMIN }));
const row = async (id: number) => (await db.select().from(submissions).where(eq(submissions.id, id)))[0]!;
const audits = (id: number) =>
  db.select().from(auditLog).where(and(eq(auditLog.entityType, 'submission'), eq(auditLog.entityId, String(id)))).orderBy(asc(auditLog.id));

describe(`Chongqing declarations (${dbKind})`, () => {
  beforeAll(async () => {
    test = await createTestDatabase();
    db = test.database.db;
    ctx = { db, clock };
    expect(await refusal(findIncentiveCampaign({ ctx }))).toContain('目前没有进行中的督查激励活动');
    await createCampaign({ ctx, input: { templateId: 'liaoning-2022' }, actorOpenId: ADMIN });
    cq = await createCampaign({ ctx, input: { templateId: 'chongqing-2022' }, actorOpenId: ADMIN });
    const people: [string, 'county' | 'park' | 'department', string[]][] = [
      ['渝中区', 'county', ['ou_yz']],
      ['江北区', 'county', ['ou_jb']],
      ['两江新区', 'park', ['ou_lj']],
      ['市发展改革委', 'department', ['ou_fgw']],
      ['市财政局', 'department', ['ou_cz']],
      ['市科技局', 'department', []], // set up, but nobody to tell
    ];
    for (const [name, type, liaisons] of people) {
      const unit = await ensureUnit({ ctx, input: { name, type }, actorOpenId: null });
      unitIds[name] = unit.id;
      for (const openId of liaisons) await setUnitMember({ ctx, input: { unitId: unit.id, openId, role: 'liaison' }, actorOpenId: null });
    }
  });
  afterAll(async () => {
    await test?.cleanup();
  });

  it('finds the supervision-incentive campaign without a code, and refuses an evaluation campaign by code', async () => {
    expect((await findIncentiveCampaign({ ctx })).code).toBe('CQ2022');
    expect(await refusal(findIncentiveCampaign({ ctx, code: 'ln2022' }))).toBe('活动“LN2022”不是督查激励活动，不能按激励措施申报或审核。');
  });

  it('records a declaration with a tracking number, an audit row and the lead departments to tell', async () => {
    const r = await declare('ou_yz', '渝中区', 1);
    expect(r.created).toBe(true);
    expect(r.declaration).toMatchObject({ trackingNo: 'CQ2022-渝中区-001', unitName: '渝中区', measureNo: 1, title: '第1项 扩大有效投资', status: 'submitted' });
    expect(r.declaration.evidence).toEqual(['https://e.example.cn/1']);
    expect(r.leads).toEqual({ contacts: [{ unitName: '市发展改革委', openIds: ['ou_fgw'] }, { unitName: '市财政局', openIds: ['ou_cz'] }], missing: [] });
    expect(await row(r.declaration.id)).toMatchObject({ kind: 'declaration', seq: 1, submittedBy: 'ou_yz', fields: { selfAssessment: '渝中区第1项自评', evidence: 'https://e.example.cn/1' } });
    expect((await audits(r.declaration.id)).map((a) => a.action)).toEqual(['declaration.submit']);

    const second = await declare('ou_yz', '渝中区', 4); // 市科技局: a unit without a liaison
    expect(second.declaration.trackingNo).toBe('CQ2022-渝中区-002');
    expect(second.leads).toEqual({ contacts: [], missing: ['市科技局'] });
    const third = await declare('ou_yz', '渝中区', 2); // 市商务委: not set up at all
    expect(third.leads.missing).toEqual(['市商务委']);
  });

  it('is idempotent per form and refuses another person’s form', async () => {
    const first = await declare('ou_jb', '江北区', 1, 'samekey12345');
    const again = await declare('ou_jb', '江北区', 1, 'samekey12345');
    expect(again.created).toBe(false);
    expect(again.declaration.id).toBe(first.declaration.id);
    expect(await refusal(declare('ou_yz', '渝中区', 5, 'samekey12345'))).toBe('这张申报表已经由他人提交过。请发送“/激励申报”获取一张新的表单。');
    expect(await audits(first.declaration.id)).toHaveLength(1);
  });

  it('refuses a duplicate measure, a stranger’s unit, an ineligible unit type or measure, and a closed phase, writing nothing', async () => {
    const before = await db.select().from(submissions);
    expect(await refusal(declare('ou_yz', '渝中区', 1))).toBe('“渝中区”已经申报过第1项 扩大有效投资（编号 CQ2022-渝中区-001，待牵头单位审核），不能重复申报。');
    expect(await refusal(declare('ou_jb', '渝中区', 3))).toBe('你不是“渝中区”的联络人，不能以该单位名义申报。');
    expect(await refusal(declare('ou_fgw', '市发展改革委', 3))).toBe('只有县区、园区的联络人可以申报督查激励。你目前不是这类单位的联络人；如有误，请联系办公室管理员。');
    expect(await refusal(declare('ou_lj', '两江新区', 2))).toBe('申报内容有误：所选的激励措施不适用于本单位，请重新选择。');
    clock.set(new Date('2023-02-02T00:00:00+08:00'));
    try {
      expect(await refusal(declare('ou_lj', '两江新区', 1))).toBe('成果申报已于2023年2月1日 23:59截止，不能再提交。如有特殊情况，请联系办公室。');
    } finally {
      clock.set(open);
    }
    expect(await db.select().from(submissions)).toEqual(before);
  });

  it('shows each lead department only the measures it leads', async () => {
    const q = await reviewQueue({ ctx, campaign: cq, actorOpenId: 'ou_fgw', limit: 10 });
    expect(q.leadUnits).toEqual(['市发展改革委']);
    expect(q.measures.map((m) => m.number)).toEqual([1, 6, 12]);
    expect(q.pending.map((d) => d.trackingNo)).toEqual(['CQ2022-渝中区-001', 'CQ2022-江北区-001']);
    expect(q).toMatchObject({ pendingTotal: 2, recommended: 0, returned: 0 });
    expect((await reviewQueue({ ctx, campaign: cq, actorOpenId: 'ou_fgw', limit: 1 })).pending).toHaveLength(1);
    expect(await refusal(reviewQueue({ ctx, campaign: cq, actorOpenId: 'ou_yz', limit: 10 }))).toBe(
      '你所在的单位（渝中区）不是本次督查激励任何一项措施的牵头单位，没有需要你审核的申报。',
    );
  });

  it('lets a lead department recommend once; others and a second decision are refused without changes', async () => {
    const [d] = (await reviewQueue({ ctx, campaign: cq, actorOpenId: 'ou_fgw', limit: 10 })).pending;
    expect(await refusal(review('ou_jb', d!.id, 'recommend'))).toBe('只有第1项 扩大有效投资的牵头单位（市发展改革委、市财政局）的联络人可以推荐或退回这份申报。');
    const decision = await review('ou_fgw', d!.id, 'recommend');
    expect(decision.declaration.status).toBe('recommended');
    expect(decision.unitLiaisons).toEqual(['ou_yz']);
    // The co-lead department cannot decide it a second time, nor return it.
    expect(await refusal(review('ou_cz', d!.id, 'recommend'))).toBe('这份申报已推荐，不能重复推荐。');
    expect(await refusal(review('ou_cz', d!.id, 'return', '材料不全'))).toBe('这份申报已被牵头单位推荐，不能再退回。如需更改，请联系办公室。');
    expect(await refusal(declarationForReview({ ctx, id: d!.id, actorOpenId: 'ou_cz', move: 'return' }))).toBe('这份申报已被牵头单位推荐，不能再退回。如需更改，请联系办公室。');
    const trail = await audits(d!.id);
    expect(trail.map((a) => [a.action, a.actorOpenId, a.before, a.after])).toEqual([
      ['declaration.submit', 'ou_yz', null, expect.anything()],
      ['declaration.recommend', 'ou_fgw', { status: 'submitted' }, { status: 'recommended' }],
    ]);
  });

  it('returns only with a reason, and then neither confirms nor recommends it', async () => {
    const r = await declare('ou_lj', '两江新区', 12);
    expect(await refusal(review('ou_fgw', r.declaration.id, 'return'))).toBe('申报内容有误：退回必须填写理由。');
    const returned = await review('ou_fgw', r.declaration.id, 'return', '请补充开办企业时长数据');
    expect(returned.declaration).toMatchObject({ status: 'returned', statusReason: '请补充开办企业时长数据' });
    expect(returned.unitLiaisons).toEqual(['ou_lj']);
    expect(await refusal(confirm(r.declaration.id))).toBe('这份申报已被牵头单位退回，不能确认。如需重新申报，请申报单位重新提交。');
    expect(await refusal(review('ou_fgw', r.declaration.id, 'recommend'))).toBe('这份申报已被牵头单位退回，不能推荐。如需重新申报，请申报单位重新提交。');
    expect((await row(r.declaration.id)).status).toBe('returned');
    // A returned declaration no longer blocks declaring the measure again.
    expect((await declare('ou_lj', '两江新区', 12)).declaration.trackingNo).toBe('CQ2022-两江新区-002');
  });

  it('refuses to recommend a withdrawn declaration', async () => {
    const r = await declare('ou_jb', '江北区', 6);
    await db.update(submissions).set({ status: 'withdrawn' }).where(eq(submissions.id, r.declaration.id)); // withdrawn by the unit (the /申报 card)
    expect(await refusal(review('ou_fgw', r.declaration.id, 'recommend'))).toBe('这份申报已由申报单位撤回，不能推荐。');
    expect((await row(r.declaration.id)).status).toBe('withdrawn');
    expect(await audits(r.declaration.id)).toHaveLength(1);
  });

  it('lets the office confirm recommended declarations and see lead departments nobody can reach', async () => {
    const q = await confirmQueue({ ctx, campaign: cq, limit: 10 });
    expect(q.items.map((d) => d.trackingNo)).toEqual(['CQ2022-渝中区-001']);
    expect(q).toMatchObject({ total: 1, confirmed: 0 });
    expect(q.unrouted.sort()).toEqual(['市商务委', '市科技局']);
    const id = q.items[0]!.id;
    expect(await refusal(confirm(id, cq.id + 1000))).toBe('没有找到这份申报，可能已被撤回或删除。请重新发送命令查看最新列表。');
    const done = await confirm(id, cq.id);
    expect(done.declaration.status).toBe('confirmed');
    expect(done.unitLiaisons).toEqual(['ou_yz']);
    expect(await refusal(confirm(id))).toBe('这份申报已确认，不能重复确认。');
    expect((await audits(id)).map((a) => a.action)).toEqual(['declaration.submit', 'declaration.recommend', 'declaration.confirm']);
    expect(await confirmQueue({ ctx, campaign: cq, limit: 10 })).toMatchObject({ items: [], total: 0, confirmed: 1 });
  });

  if (dbKind === 'postgres') {
    it('takes the next sequence number when another writer took this one meanwhile (retries once)', async () => {
      // Another connection holds an uncommitted submission with the very number this declaration computes.
      const [current] = await queryRows(test.database, 'select current_database() as d');
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.pathname = `/${String(current?.['d'])}`;
      const other = postgres(url.toString(), { max: 1, onnotice: () => {} });
      const unitId = unitIds['江北区']!;
      const seq = (await db.select().from(submissions).where(eq(submissions.unitId, unitId))).reduce((m, s) => Math.max(m, s.seq), 0) + 1;
      let pending: ReturnType<typeof declare> | undefined;
      try {
        await other.begin(async (sql) => {
          await sql`insert into submissions (campaign_id, unit_id, seq, tracking_no, kind, title, fields, main_creators, form_key, submitted_by, created_at, updated_at)
                    values (${cq.id}, ${unitId}, ${seq}, ${`other-${seq}`}, 'topic', 'other writer', '{}'::jsonb, '[]'::jsonb, 'otherwriter1', 'ou_x', now(), now())`;
          pending = declare('ou_jb', '江北区', 8);
          await new Promise((resolve) => setTimeout(resolve, 300)); // the declaration now waits on that number
        });
      } finally {
        await other.end({ timeout: 5 });
      }
      const r = await pending!;
      expect(r.declaration.trackingNo).toBe(`CQ2022-江北区-${String(seq + 1).padStart(3, '0')}`);
      expect(await audits(r.declaration.id)).toHaveLength(1);
    });
  }
});
