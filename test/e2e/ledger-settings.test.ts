// /台账 设置 · 主要领导 · 督办规则 end to end: the office sees and changes a ledger's main leader (who gets the
// monthly digest) and its escalation thresholds; bad input changes nothing; the new threshold drives the letters.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, ledgers, letters } from '../../db/schema/index.js';
import type { TaskDraft } from '../../src/domain/ledger/task-import.js';
import { grantRole, upsertUser } from '../../src/services/actors.js';
import { createTask } from '../../src/services/ledger-tasks.js';
import { createLedger } from '../../src/services/ledgers.js';
import { ensureUnit, setUnitMember } from '../../src/services/units.js';
import { messageText } from '../fakes/index.js';
import { chatWith } from './chat.js';
import { ADMIN, startTestBot, type TestBot } from './harness.js';

const TITLE = '2026年全面深化改革任务';
const OWNER = 'ou_li';
let t: TestBot;
let ledgerId = 0;
const { send, signed, repliesTo } = chatWith(() => t);

const ledgerRow = async () => (await t.app.database.db.select().from(ledgers).where(eq(ledgers.id, ledgerId)))[0];
const settingsAudits = async () => (await t.app.database.db.select().from(auditLog).where(eq(auditLog.action, 'ledger.settings'))).length;
const say = async (from: string, text: string) => messageText(await send(from, text));

beforeAll(async () => {
  // Wednesday 4 March 2026; the task's milestone was due on Tuesday 3 March.
  t = await startTestBot({ now: new Date('2026-03-04T10:00:00+08:00') });
  await t.app.database.db.transaction(async (tx) => {
    const ctx = { db: tx, clock: t.clock };
    const unit = await ensureUnit({ ctx, input: { name: '市发展改革委', type: 'department' }, actorOpenId: null });
    await setUnitMember({ ctx, input: { unitId: unit.id, openId: OWNER, name: '李明', role: 'liaison' }, actorOpenId: null });
    await upsertUser(tx, { openId: 'ou_secretary', name: '张书记', at: t.clock.now() });
    await upsertUser(tx, { openId: 'ou_mayor', name: '王市长', at: t.clock.now() });
    await grantRole(tx, { openId: 'ou_mayor', role: 'leader', at: t.clock.now(), actorOpenId: null });
    const ledger = await createLedger({ ctx, input: { title: TITLE }, actorOpenId: ADMIN });
    ledgerId = ledger.id;
    const draft: TaskDraft = {
      title: '推行企业开办“一日办结”',
      measure: undefined,
      leadUnitId: unit.id,
      cooperatingUnitIds: [],
      responsibleLeaderOpenId: undefined,
      ownerOpenId: OWNER,
      milestones: [{ dueOn: '2026-03-03', title: '出台实施方案' }],
      cadences: ['monthly'],
      expectedResult: undefined,
    };
    await createTask({ ctx, input: { ledgerId, draft }, actorOpenId: ADMIN });
  });
});
afterAll(async () => {
  await t.stop();
});
afterEach(() => {
  t.fake.assertNoUnmodeled();
});

describe('ledger settings', () => {
  it('shows the defaults to the office and refuses everyone else', async () => {
    expect(await say(OWNER, '/台账 设置')).toContain('你没有权限');
    const text = await say(ADMIN, '/台账 设置');
    expect(text).toContain(`台账设置 · ${TITLE}`);
    expect(text).toContain('未指定（每月调度不会发出）');
    expect(text).toMatch(/逾期 \*\*3\*\* 天发提醒函.*\*\*5\*\* 天后仍未整改发督办函.*整改期限 \*\*5\*\* 天/);
  });

  it('names the main leader by @mention, and says when that person lacks the leader role', async () => {
    await t.fake.sendText(t.app.webhookUrl, { from: ADMIN, text: '/台账 主要领导 @_user_1', mentions: [{ key: '@_user_1', openId: 'ou_secretary', name: '张书记' }] }, signed());
    await t.app.pipeline.drain();
    const text = messageText(repliesTo(ADMIN).at(-1)!);
    expect(text).toContain('张书记（尚无“领导”角色');
    expect((await ledgerRow())?.mainLeaderOpenId).toBe('ou_secretary');
    await t.fake.sendText(t.app.webhookUrl, { from: ADMIN, text: `/台账 主要领导 @_user_1 ${TITLE}`, mentions: [{ key: '@_user_1', openId: 'ou_mayor', name: '王市长' }] }, signed());
    await t.app.pipeline.drain();
    expect(messageText(repliesTo(ADMIN).at(-1)!)).toMatch(/主要领导\*\*（[^）]+）：王市长\n/);
    expect((await ledgerRow())?.mainLeaderOpenId).toBe('ou_mayor');
    expect(await settingsAudits()).toBe(2);
  });

  it('refuses a leader command without exactly one person, and bad thresholds, changing nothing', async () => {
    const before = await ledgerRow();
    expect(await say(ADMIN, '/台账 主要领导')).toContain('请 @ 一位主要领导');
    expect(await say(ADMIN, '/台账 督办规则 3 5')).toContain('请写三个工作日数');
    expect(await say(ADMIN, '/台账 督办规则 0 5 5')).toContain('“逾期多少个工作日发提醒函”应为 1 到 30 之间的整数，当前为“0”。没有修改督办规则。');
    expect(await say(ADMIN, '/台账 督办规则 3 五 5')).toContain('当前为“五”');
    expect(await say(ADMIN, '/台账 督办规则 3 5 5 不存在的台账')).toContain('没有找到台账“不存在的台账”');
    expect(await ledgerRow()).toEqual(before);
    expect(await settingsAudits()).toBe(2);
  });

  it('a changed threshold drives the escalation: one working day overdue now draws a 提醒函', async () => {
    await t.app.ledgerEscalation.run();
    expect(await t.app.database.db.select().from(letters)).toHaveLength(0); // 1 working day overdue, threshold 3
    const text = await say(ADMIN, '/台账 督办规则 1 4 2');
    expect(text).toMatch(/逾期 \*\*1\*\* 天发提醒函.*\*\*4\*\* 天后.*整改期限 \*\*2\*\* 天/);
    expect((await ledgerRow())?.policy).toEqual({ reminderAfterWorkdays: 1, supervisionAfterWorkdays: 4, rectifyWithinWorkdays: 2 });
    expect(await say(ADMIN, '/台账 督办规则 1 4 2')).toContain('逾期 **1** 天');
    expect(await settingsAudits()).toBe(3); // the same values again change nothing
    await t.app.ledgerEscalation.run();
    const issued = await t.app.database.db.select().from(letters);
    expect(issued).toMatchObject([{ kind: 'reminder', number: 1, recipients: [OWNER] }]);
  });
});
