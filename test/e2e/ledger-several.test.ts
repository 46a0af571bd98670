// Two ledgers active at once (this year's and next year's): the commands that pick "the" ledger take its title, as
// their "several ledgers" answer tells the user to do. /问题 登记 <台账> registers into that ledger even though the
// card is submitted later, /红榜 提名 <台账> <单位> puts a unit on that ledger's list, and /红榜 发布 <台账> publishes
// that ledger's list to its own group.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { problems } from '../../db/schema/index.js';
import type { TaskDraft } from '../../src/domain/ledger/task-import.js';
import { createTask } from '../../src/services/ledger-tasks.js';
import { createLedger } from '../../src/services/ledgers.js';
import { ensureUnit, setUnitMember } from '../../src/services/units.js';
import { messageText } from '../fakes/index.js';
import { buttonValue, chatWith } from './chat.js';
import { ADMIN, startTestBot, type TestBot } from './harness.js';

const THIS_YEAR = '2026年全面深化改革任务';
const NEXT_YEAR = '2027年改革任务';
let t: TestBot;
const ledgerIds: Record<string, number> = {};

const { signed, send } = chatWith(() => t);

beforeAll(async () => {
  t = await startTestBot({ now: new Date('2026-11-26T10:00:00+08:00') });
  await t.app.database.db.transaction(async (tx) => {
    const ctx = { db: tx, clock: t.clock };
    const unit = await ensureUnit({ ctx, input: { name: '本溪高新区', type: 'park' }, actorOpenId: null });
    await setUnitMember({ ctx, input: { unitId: unit.id, openId: 'ou_li', name: '李明', role: 'liaison' }, actorOpenId: null });
    for (const title of [THIS_YEAR, NEXT_YEAR]) {
      const ledger = await createLedger({ ctx, input: { title }, actorOpenId: null });
      ledgerIds[title] = ledger.id;
      const draft: TaskDraft = {
        title: `${title}的任务`,
        measure: undefined,
        leadUnitId: unit.id,
        cooperatingUnitIds: [],
        responsibleLeaderOpenId: undefined,
        ownerOpenId: 'ou_li',
        milestones: [],
        cadences: ['monthly'],
        expectedResult: undefined,
      };
      await createTask({ ctx, input: { ledgerId: ledger.id, draft }, actorOpenId: null });
    }
  });
});
afterAll(async () => {
  await t.stop();
});
afterEach(() => {
  t.fake.assertNoUnmodeled();
});

describe('commands that pick a ledger, with two ledgers active', () => {
  it('/问题 登记 asks which ledger, then registers into the one named', async () => {
    expect(messageText(await send('ou_li', '/问题 登记'))).toContain(`现在有多个进行中的台账（${THIS_YEAR}、${NEXT_YEAR}），请在命令后写明台账名称`);
    expect(messageText(await send('ou_li', '/问题 登记 2030年台账'))).toContain('没有找到台账“2030年台账”');

    const form = await send('ou_li', `/问题 登记 ${NEXT_YEAR}`);
    expect(messageText(form)).toContain(NEXT_YEAR);
    expect(messageText(form)).toContain(`${NEXT_YEAR}的任务`);
    expect(messageText(form)).not.toContain(`${THIS_YEAR}的任务`);
    const registered = await t.fake.clickCard(t.app.webhookUrl, { operator: 'ou_li', messageId: form.message_id, value: buttonValue(form.card, 'submit'), formValue: { description: '发票申领仍需线下办理' } }, signed());
    expect(registered.toast).toEqual({ type: 'success', content: '问题已挂号，编号 #1。' });
    const rows = await t.app.database.db.select().from(problems);
    expect(rows.map((r) => r.ledgerId)).toEqual([ledgerIds[NEXT_YEAR]]);
  });

  it('/红榜 and /红榜 发布 take the ledger\'s title and publish to that ledger\'s group', async () => {
    t.fake.addGroup('oc_next_year', '2027年改革工作群', [ADMIN, 'ou_li']);
    expect(messageText(await send(ADMIN, `/台账 绑定群 ${NEXT_YEAR}`, 'oc_next_year'))).toContain(`已将本群设为台账“${NEXT_YEAR}”的工作群`);
    expect(messageText(await send(ADMIN, '/红榜 提名 RW2027-001 按时汇报、进展扎实'))).toContain('已提名“RW2027-001');
    // A unit belongs to no ledger: with two active, the title goes in front of it.
    expect(messageText(await send(ADMIN, '/红榜 提名 本溪高新区 改革专员履职突出'))).toContain('现在有多个进行中的台账');
    expect(messageText(await send(ADMIN, `/红榜 提名 ${THIS_YEAR} RW2027-001 按时汇报`))).toBe(`任务“RW2027-001 ${NEXT_YEAR}的任务”不在台账“${THIS_YEAR}”中：提名任务时可以不写台账名称。`);
    expect(messageText(await send(ADMIN, `/红榜 提名 ${NEXT_YEAR} 本溪高新区 改革专员履职突出`))).toContain('已提名“本溪高新区”上红榜');

    expect(messageText(await send(ADMIN, '/红榜 发布'))).toContain('现在有多个进行中的台账');
    expect(messageText(await send(ADMIN, `/红榜 发布 ${THIS_YEAR}`))).toContain(`台账“${THIS_YEAR}”还没有绑定工作群`);
    expect(messageText(await send(ADMIN, `/红榜 发布 ${NEXT_YEAR}`))).toBe('已在工作群通报红榜，新上榜 2 项。');
    await t.app.sender.kick();
    const notice = t.fake.lastMessageTo('oc_next_year');
    expect(messageText(notice!)).toContain('改革“红榜”通报');
    expect(messageText(notice!)).toContain('RW2027-001');
    expect(messageText(notice!)).toContain('【单位】本溪高新区：改革专员履职突出');

    expect(messageText(await send('ou_li', `/红榜 ${NEXT_YEAR}`))).toContain('RW2027-001');
    expect(messageText(await send('ou_li', `/红榜 ${THIS_YEAR}`))).toContain('红榜上还没有内容');
  });
});
