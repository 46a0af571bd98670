import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, submissions } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { ManualClock } from '../../src/clock.js';
import type { SubmissionFormValues } from '../../src/domain/campaign/submission-form.js';
import { createCampaign } from '../../src/services/campaigns.js';
import type { ServiceCtx } from '../../src/services/context.js';
import {
  checkWithdrawal,
  createSubmission,
  listMySubmissions,
  loadSubmissionForm,
  openSubmissionEdit,
  updateSubmission,
  viewSubmission,
  withdrawSubmission,
  type CreateOutcome,
} from '../../src/services/submissions.js';
import { ensureUnit, setUnitMember, type UnitInput } from '../../src/services/units.js';
import { createTestDatabase, dbKind, type TestDatabase } from '../helpers/db.js';

const OPEN = new Date('2022-09-10T10:00:00+08:00');
const AFTER_DEADLINE = new Date('2022-10-16T00:00:00+08:00');

const topic: SubmissionFormValues = {
  kind: 'topic',
  title: '企业开办“一日办结”',
  direction: 'reform_opening',
  problem: '企业开办要跑多个部门、多次提交材料',
  innovation: '一窗受理、并联审批、证照同发',
  mainCreators: ['ou_li'],
};

describe(`submissions (${dbKind})`, () => {
  let test: TestDatabase;
  let db: Db;
  const clock = new ManualClock(OPEN);
  let keyNo = 0;
  const key = () => `key_${String(++keyNo).padStart(6, '0')}`;
  /** One transaction per call, as the router runs each update. */
  const inTx = <T>(fn: (ctx: ServiceCtx) => Promise<T>): Promise<T> => db.transaction((tx) => fn({ db: tx, clock }));

  const create = (actorOpenId: string, values: SubmissionFormValues, opts: { formKey?: string; unitId?: number } = {}) =>
    inTx((ctx) => createSubmission({ ctx, actorOpenId, input: { campaignCode: 'LN2022', formKey: opts.formKey ?? key(), unitId: opts.unitId, values } }));

  async function created(outcome: Promise<CreateOutcome>) {
    const o = await outcome;
    if (!o.ok) throw new Error(`expected a submission, got ${JSON.stringify(o.errors)}`);
    return o.submission;
  }

  async function refused(outcome: Promise<CreateOutcome>) {
    const o = await outcome;
    if (o.ok) throw new Error('expected the form to be refused');
    return o.errors;
  }

  async function unit(input: UnitInput, people: { openId: string; name: string; role: 'liaison' | 'member' }[]) {
    return inTx(async (ctx) => {
      const row = await ensureUnit({ ctx, input, actorOpenId: null });
      for (const p of people) await setUnitMember({ ctx, input: { unitId: row.id, ...p }, actorOpenId: null });
      return row;
    });
  }

  const rows = () => db.select().from(submissions);
  const audits = (action: string) => db.select().from(auditLog).where(eq(auditLog.action, action));

  let park: { id: number };
  let dept: { id: number };
  beforeAll(async () => {
    test = await createTestDatabase();
    db = test.database.db;
    await inTx((ctx) => createCampaign({ ctx, input: { templateId: 'liaoning-2022' }, actorOpenId: null }));
    park = await unit({ name: '本溪高新区', type: 'park' }, [
      { openId: 'ou_li', name: '李明', role: 'liaison' },
      { openId: 'ou_wang', name: '王芳', role: 'member' },
      { openId: 'ou_zhao', name: '赵强', role: 'member' },
      { openId: 'ou_multi', name: '孙丽', role: 'member' },
    ]);
    dept = await unit({ name: '市发展改革委', type: 'department' }, [
      { openId: 'ou_fgw', name: '周伟', role: 'liaison' },
      { openId: 'ou_multi', name: '孙丽', role: 'member' },
    ]);
    await unit({ name: '市委组织部', type: 'department', viceDepartmentLevel: true }, [{ openId: 'ou_zzb', name: '吴刚', role: 'liaison' }]);
  });
  afterAll(async () => {
    await test?.cleanup();
  });

  describe('create', () => {
    it('hands in a topic with the next tracking number, main creators by name, and an audit row', async () => {
      const s = await created(create('ou_li', { ...topic, evidence: 'https://a.example.cn/1 https://b.example.cn/2', team: '王芳、赵强' }));
      expect(s).toMatchObject({ trackingNo: 'LN2022-本溪高新区-001', status: 'submitted', version: 1, kind: 'topic', directionLabel: '突出深化改革扩大开放', unitName: '本溪高新区' });
      expect(s.mainCreators).toEqual([{ openId: 'ou_li', name: '李明' }]);
      expect(s.fields).toEqual({ problem: topic.problem, innovation: topic.innovation, team: '王芳、赵强', evidence: 'https://a.example.cn/1\nhttps://b.example.cn/2' });
      expect(s.change).toEqual({ allowed: true, closesAt: '2022年10月15日 23:59' });
      const [audit] = (await audits('submission.create')).filter((a) => a.entityId === String(s.id));
      expect(audit).toMatchObject({ actorOpenId: 'ou_li', entityType: 'submission', before: null, after: { trackingNo: s.trackingNo, title: topic.title, version: 1 } });
      const second = await created(create('ou_wang', { ...topic, mainCreators: ['ou_wang', 'ou_zhao'] }));
      expect(second.trackingNo).toBe('LN2022-本溪高新区-002');
    });

    it('an achievement inside 2021–2022 is accepted during the open phase', async () => {
      const s = await created(create('ou_li', { ...topic, kind: 'achievement', effect: '开办时间由5天压缩到1天', achievedOn: '2021-03-01 +0800' }));
      expect(s.fields.achievedOn).toBe('2021-03-01');
    });

    it('a double click (same form key) creates one submission, also when both clicks race', async () => {
      const formKey = key();
      const first = await create('ou_li', topic, { formKey });
      const again = await create('ou_li', topic, { formKey });
      expect(first.ok && again.ok && [first.created, again.created]).toEqual([true, false]);
      expect(again.ok && first.ok && again.submission.id).toBe(first.ok && first.submission.id);

      const raced = key();
      const both = await Promise.all([create('ou_li', topic, { formKey: raced }), create('ou_li', topic, { formKey: raced })]);
      expect(both.map((o) => o.ok && o.created).sort()).toEqual([false, true]);
      expect(await db.select().from(submissions).where(eq(submissions.formKey, raced))).toHaveLength(1);
    });

    it('two forms of one unit racing get different numbers', async () => {
      const before = (await rows()).filter((r) => r.unitId === dept.id).length;
      const own = { ...topic, mainCreators: ['ou_fgw'] };
      const [a, b] = await Promise.all([create('ou_fgw', own), create('ou_fgw', own)]);
      const numbers = [a, b].map((o) => (o.ok ? o.submission.trackingNo : 'refused')).sort();
      expect(numbers).toEqual([`LN2022-市发展改革委-${String(before + 1).padStart(3, '0')}`, `LN2022-市发展改革委-${String(before + 2).padStart(3, '0')}`]);
    });

    it('refuses bad input field by field and writes nothing', async () => {
      const count = (await rows()).length;
      const audited = (await audits('submission.create')).length;
      expect(await refused(create('ou_li', { ...topic, title: '' }))).toEqual({ title: '请填写标题。' });
      expect((await refused(create('ou_li', { ...topic, title: '长'.repeat(101), problem: '问'.repeat(2001) }))).title).toContain('不能超过100字');
      expect((await refused(create('ou_li', { ...topic, kind: 'achievement', effect: '有效', achievedOn: '2022-13-01' }))).achievedOn).toContain('格式不对');
      expect((await refused(create('ou_li', { ...topic, mainCreators: ['ou_li', 'ou_wang', 'ou_zhao'] }))).mainCreators).toBe(
        '主创人最多2名，目前填写了3名。请只保留2名主创人，其余人员改列为团队成员。',
      );
      expect((await refused(create('ou_li', { ...topic, mainCreators: [] }))).mainCreators).toContain('至少要填写1名主创人');
      expect((await refused(create('ou_li', { ...topic, kind: 'achievement', effect: '有效', achievedOn: '2020-12-31' }))).achievedOn).toContain('不在2021年1月1日至2022年12月31日之间');
      expect((await refused(create('ou_li', { ...topic, mainCreators: ['ou_fgw'] }))).mainCreators).toBe('主创人须是本单位人员，请从列表中选择。');
      expect((await refused(create('ou_zzb', topic))).unit).toContain('副厅级');
      expect((await rows()).length).toBe(count);
      expect((await audits('submission.create')).length).toBe(audited);
    });

    it('refuses once the phase has closed, saying when it closed', async () => {
      clock.set(AFTER_DEADLINE);
      try {
        const errors = await refused(create('ou_li', topic));
        expect(errors.form).toBe('选题申报已于2022年10月15日 23:59截止，不能再提交。如有特殊情况，请联系办公室。');
      } finally {
        clock.set(OPEN);
      }
    });

    it('someone in two units must choose one of them; a forged unit is refused', async () => {
      const form = await inTx((ctx) => loadSubmissionForm({ ctx, actorOpenId: 'ou_multi' }));
      expect(form.units.map((u) => u.name)).toEqual(['本溪高新区', '市发展改革委']);
      expect(form.creatorOptions[0]).toEqual({ openId: 'ou_multi', name: '孙丽' });
      expect(form.creatorOptions.map((o) => o.openId)).toEqual(expect.arrayContaining(['ou_li', 'ou_fgw', 'ou_wang']));
      expect((await refused(create('ou_multi', { ...topic, mainCreators: ['ou_multi'] }))).unit).toBe('请选择申报单位。');
      const organisationUnit = (await inTx((ctx) => ensureUnit({ ctx, input: { name: '市总工会', type: 'organisation' }, actorOpenId: null }))).id;
      expect((await refused(create('ou_multi', { ...topic, mainCreators: ['ou_multi'], unit: String(organisationUnit) }))).unit).toBe('请从列表中选择你所在的申报单位。');
      const s = await created(create('ou_multi', { ...topic, mainCreators: ['ou_multi'], unit: String(dept.id) }));
      expect(s.trackingNo).toMatch(/^LN2022-市发展改革委-\d{3}$/);
    });

    it('a forged unit id in the payload of a one-unit person is refused outright', async () => {
      await expect(create('ou_li', topic, { unitId: dept.id })).rejects.toMatchObject({ code: 'card.forbidden' });
    });

    it('someone in no unit cannot open the form', async () => {
      await expect(inTx((ctx) => loadSubmissionForm({ ctx, actorOpenId: 'ou_nobody' }))).rejects.toMatchObject({ code: 'submission.noUnit' });
    });
  });

  describe('edit and withdraw', () => {
    const edit = (actorOpenId: string, id: number, version: number, values: SubmissionFormValues) =>
      inTx((ctx) => updateSubmission({ ctx, actorOpenId, input: { submissionId: id, version, values } }));
    const fresh = async () => created(create('ou_wang', { ...topic, mainCreators: ['ou_wang'] }));
    const current = async (id: number) => (await db.select().from(submissions).where(eq(submissions.id, id)))[0];

    it('the liaison and a main creator may edit; each edit bumps the version and is audited with before/after', async () => {
      const s = await fresh();
      const opened = await inTx((ctx) => openSubmissionEdit({ ctx, actorOpenId: 'ou_li', input: { submissionId: s.id, version: 1 } }));
      expect(opened.kind === 'form' && opened.values).toMatchObject({ kind: 'topic', title: topic.title, direction: 'reform_opening', mainCreators: ['ou_wang'] });
      const byLiaison = await edit('ou_li', s.id, 1, { ...topic, title: '企业开办“半日办结”', mainCreators: ['ou_wang'] });
      expect(byLiaison.kind === 'done' && byLiaison.submission).toMatchObject({ title: '企业开办“半日办结”', version: 2, trackingNo: s.trackingNo });
      const byCreator = await edit('ou_wang', s.id, 2, { ...topic, title: '第三版', mainCreators: ['ou_wang', 'ou_li'] });
      expect(byCreator.kind === 'done' && byCreator.submission.mainCreators).toEqual([{ openId: 'ou_wang', name: '王芳' }, { openId: 'ou_li', name: '李明' }]);
      const trail = (await audits('submission.update')).filter((a) => a.entityId === String(s.id));
      expect(trail.map((a) => [(a.before as { title: string }).title, (a.after as { title: string }).title])).toEqual([
        [topic.title, '企业开办“半日办结”'],
        ['企业开办“半日办结”', '第三版'],
      ]);
    });

    it('others may not edit or withdraw: a plain member, another unit\'s liaison', async () => {
      const s = await fresh();
      await expect(edit('ou_zhao', s.id, 1, topic)).rejects.toMatchObject({ code: 'submission.forbidden' });
      await expect(edit('ou_fgw', s.id, 1, topic)).rejects.toMatchObject({ code: 'submission.forbidden' });
      await expect(inTx((ctx) => withdrawSubmission({ ctx, actorOpenId: 'ou_fgw', input: { submissionId: s.id, version: 1 } }))).rejects.toMatchObject({ code: 'submission.forbidden' });
      expect((await current(s.id))?.version).toBe(1);
    });

    it('a forged payload (unknown id, tampered version) changes nothing', async () => {
      const s = await fresh();
      await expect(edit('ou_li', 999_999, 1, topic)).rejects.toMatchObject({ code: 'submission.gone' });
      await expect(edit('ou_li', s.id, 7, { ...topic, title: '篡改' })).rejects.toMatchObject({ code: 'submission.conflict' });
      expect((await current(s.id))?.title).toBe(topic.title);
    });

    it('an edit from an old version is refused with 该申报已被他人修改', async () => {
      const s = await fresh();
      await edit('ou_li', s.id, 1, { ...topic, title: '新标题', mainCreators: ['ou_wang'] });
      const stale = edit('ou_wang', s.id, 1, { ...topic, title: '旧卡片上的修改', mainCreators: ['ou_wang'] });
      await expect(stale).rejects.toThrow('submission.conflict');
      await expect(stale.catch((e: { userMessage(): string }) => e.userMessage())).resolves.toBe('该申报已被他人修改，请刷新后重试。');
      expect((await current(s.id))?.title).toBe('新标题');
    });

    it('two concurrent edits of the same version: exactly one wins', async () => {
      const s = await fresh();
      const results = await Promise.allSettled([
        edit('ou_li', s.id, 1, { ...topic, title: '甲的修改', mainCreators: ['ou_wang'] }),
        edit('ou_wang', s.id, 1, { ...topic, title: '乙的修改', mainCreators: ['ou_wang'] }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected');
      expect(lost?.status === 'rejected' && lost.reason).toMatchObject({ code: 'submission.conflict' });
      const row = await current(s.id);
      expect(row?.version).toBe(2);
      expect(['甲的修改', '乙的修改']).toContain(row?.title);
      expect((await audits('submission.update')).filter((a) => a.entityId === String(s.id))).toHaveLength(1);
    });

    it('an invalid edit comes back with field errors and changes nothing', async () => {
      const s = await fresh();
      const outcome = await edit('ou_li', s.id, 1, { ...topic, title: '', mainCreators: ['ou_wang', 'ou_li', 'ou_zhao'] });
      expect(outcome.kind === 'invalid' && outcome.errors).toEqual({
        title: '请填写标题。',
        mainCreators: '主创人最多2名，目前填写了3名。请只保留2名主创人，其余人员改列为团队成员。',
      });
      const outsider = await edit('ou_li', s.id, 1, { ...topic, mainCreators: ['ou_fgw'] });
      expect(outsider.kind === 'invalid' && outsider.errors).toEqual({ mainCreators: '主创人须是本单位人员，请从列表中选择。' });
      expect(await current(s.id)).toMatchObject({ version: 1, title: topic.title });
    });

    it('withdraws after confirmation; a withdrawn submission cannot be edited', async () => {
      const s = await fresh();
      const asked = await inTx((ctx) => checkWithdrawal({ ctx, actorOpenId: 'ou_li', input: { submissionId: s.id, version: 1 } }));
      expect(asked.kind).toBe('done');
      expect((await current(s.id))?.status).toBe('submitted');
      const done = await inTx((ctx) => withdrawSubmission({ ctx, actorOpenId: 'ou_li', input: { submissionId: s.id, version: 1 } }));
      expect(done.kind === 'done' && done.submission).toMatchObject({ status: 'withdrawn', version: 2, change: { allowed: false, reason: 'status' } });
      const [audit] = (await audits('submission.withdraw')).filter((a) => a.entityId === String(s.id));
      expect(audit).toMatchObject({ before: { status: 'submitted' }, after: { status: 'withdrawn' } });
      await expect(edit('ou_li', s.id, 2, topic)).rejects.toMatchObject({ code: 'submission.notChangeable' });
    });

    it('after the deadline: edit and withdraw answer "closed" and change nothing', async () => {
      const s = await fresh();
      clock.set(AFTER_DEADLINE);
      try {
        const opened = await inTx((ctx) => openSubmissionEdit({ ctx, actorOpenId: 'ou_li', input: { submissionId: s.id, version: 1 } }));
        expect(opened.kind === 'closed' && opened.submission.change).toEqual({ allowed: false, reason: 'closed' });
        expect((await edit('ou_li', s.id, 1, { ...topic, title: '晚了' })).kind).toBe('closed');
        const withdrawn = await inTx((ctx) => withdrawSubmission({ ctx, actorOpenId: 'ou_li', input: { submissionId: s.id, version: 1 } }));
        expect(withdrawn.kind).toBe('closed');
        expect(await current(s.id)).toMatchObject({ status: 'submitted', version: 1, title: topic.title });
      } finally {
        clock.set(OPEN);
      }
    });
  });

  describe('reading', () => {
    it('finds a submission by a loosely typed tracking number, for the unit, its creators and admins only', async () => {
      const s = await created(create('ou_li', topic));
      const typed = s.trackingNo.toLowerCase().replace(/-/g, '－').replace(/-0+(\d+)$/, '-$1');
      const seen = await inTx((ctx) => viewSubmission({ ctx, viewer: { openId: 'ou_zhao', roles: ['member'] }, trackingNo: ` ${typed} ` }));
      expect(seen).toMatchObject({ id: s.id, change: { allowed: false, reason: 'not_yours' } });
      const admin = await inTx((ctx) => viewSubmission({ ctx, viewer: { openId: 'ou_admin', roles: ['admin'] }, trackingNo: s.trackingNo }));
      expect(admin.id).toBe(s.id);
      await expect(inTx((ctx) => viewSubmission({ ctx, viewer: { openId: 'ou_fgw', roles: ['liaison'] }, trackingNo: s.trackingNo }))).rejects.toMatchObject({ code: 'submission.viewForbidden' });
      await expect(inTx((ctx) => viewSubmission({ ctx, viewer: { openId: 'ou_li', roles: ['liaison'] }, trackingNo: 'LN2022-本溪高新区-999' }))).rejects.toMatchObject({ code: 'submission.notFound' });
      await expect(inTx((ctx) => viewSubmission({ ctx, viewer: { openId: 'ou_li', roles: ['liaison'] }, trackingNo: '第一条' }))).rejects.toMatchObject({ code: 'submission.badTrackingNo' });
    });

    it('/我的 lists the person\'s units\' submissions only, newest first', async () => {
      const mine = await inTx((ctx) => listMySubmissions({ ctx, actorOpenId: 'ou_fgw' }));
      expect(mine.units).toEqual(['市发展改革委']);
      const expected = await db.select().from(submissions).where(and(eq(submissions.unitId, dept.id), like(submissions.trackingNo, 'LN2022-%')));
      expect(mine.items).toHaveLength(expected.length);
      expect(mine.items.every((i) => i.unitName === '市发展改革委' && i.campaignCode === 'LN2022')).toBe(true);
      const park1 = await inTx((ctx) => listMySubmissions({ ctx, actorOpenId: 'ou_zhao' }));
      expect(park1.items.some((i) => i.trackingNo === 'LN2022-本溪高新区-001')).toBe(true);
      expect(park1.items.every((i) => i.unitName === '本溪高新区')).toBe(true);
      await expect(inTx((ctx) => listMySubmissions({ ctx, actorOpenId: 'ou_nobody' }))).rejects.toMatchObject({ code: 'submission.noUnit' });
      expect(park.id).toBeGreaterThan(0);
    });
  });
});
