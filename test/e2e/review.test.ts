// Review end to end through the fake Lark: open → name reviewers → assign → review card (refused, given, changed)
// → progress → close → rank → cut → next round → publish → export → leader approval. Units and submissions are
// seeded in the database; everything under test goes in as signed messages and card clicks.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Card } from '../../cards/types.js';
import { auditLog, reviewRounds } from '../../db/schema/index.js';
import { messageText, type FakeMessage } from '../fakes/index.js';
import { REVIEWERS, reviewerNames, reviewWorld, type ReviewWorld } from '../helpers/review-fixtures.js';
import { chatWith } from './chat.js';
import { ADMIN, startTestBot, type TestBot } from './harness.js';

const [, , C, D, E] = REVIEWERS;
const GROUP = 'oc_review_notice';
const LEADER = 'ou_leader_liu';

let t: TestBot;
let world: ReviewWorld;
/** The message reviewer C gave a review on (the assignment notice, replaced in place by the review card). */
let reviewedOn: string;
beforeAll(async () => {
  t = await startTestBot({ now: new Date('2023-03-05T10:00:00+08:00') });
  world = await reviewWorld(t.app.database.db, t.clock);
});
afterAll(async () => {
  await t.stop();
});
afterEach(() => {
  t.fake.assertNoUnmodeled();
});

const { signed, repliesTo: inbox, flush } = chatWith(() => t);
async function say(from: string, text: string, mentions: { openId: string; name: string }[] = []): Promise<FakeMessage> {
  const before = inbox(from).length;
  await t.fake.sendText(t.app.webhookUrl, { from, text, mentions }, signed());
  await flush();
  expect(inbox(from).length).toBeGreaterThan(before);
  return inbox(from).at(-1)!;
}
const click = async (operator: string, messageId: string, value: Record<string, unknown>, formValue?: Record<string, unknown>) => {
  const r = await t.fake.clickCard(t.app.webhookUrl, { operator, messageId, value, ...(formValue ? { formValue } : {}) }, signed());
  expect(r.answeredInTime).toBe(true);
  await flush();
  return r;
};
/** Every callback value on a card, in order. */
function values(card: Card | undefined): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.tag === 'button' && Array.isArray(o.behaviors)) out.push((o.behaviors[0] as { value: Record<string, unknown> }).value);
      Object.values(o).forEach(walk);
    }
  };
  walk(card?.body.elements);
  return out;
}
const sheet = (s: number | string, vote = 'recommend', comment = '') => ({ s_solves_real_problems: String(s), s_withstands_practice: String(s), s_public_gain: String(s), s_replicable: String(s), vote, comment });

/** A reviewer submits a sheet on every review the /评审 list opens; returns how many were new. */
async function reviewAll(openId: string, score: number): Promise<number> {
  const list = await say(openId, '/评审');
  const pending = values(list.card).filter((v) => v.a === 'review.open' && String(v.o) === openId);
  let given = 0;
  for (const v of pending) {
    const r = await click(openId, list.message_id, { ...v, a: 'review.submit' }, sheet(score, 'recommend', `${reviewerNames[openId]}的评语`));
    if (r.toast?.content === '评审已提交。在本轮关闭前可以修改。') given += 1;
  }
  return given;
}

describe('review in message cards', () => {
  it('opens 初评, names reviewers (who are told), and assigns k per item (each reviewer gets a card)', async () => {
    expect(messageText(await say(C, '/评审 开启 成果'))).toContain('你没有权限执行“评审 开启”');
    expect(messageText(await say(ADMIN, '/评审 开启 成果'))).toContain('已开启“辽宁省2022年制度性创新成果评价奖励（本溪市）”的“初评”，共8项');
    const panel = await say(ADMIN, '/评审 专家', [C, D, E].map((openId) => ({ openId, name: reviewerNames[openId]! })));
    expect(messageText(panel)).toBe('已指定曹评审、丁评审、鄂评审为“初评”的评审专家。发送“/评审 分配 [每项人数]”分配评审任务（默认每项5人）。');
    expect(messageText(inbox(C).at(-1)!)).toContain('你被指定为');
    expect(messageText(await say(ADMIN, '/评审 分配 5'))).toContain('以下8项没有足够的可分配专家');
    const assigned = messageText(await say(ADMIN, '/评审 分配 2'));
    expect(assigned).toContain('每项2位评审专家，共3位专家');
    const notice = inbox(D).at(-1)!;
    expect(messageText(notice)).toContain('你被分配了以下');
    expect(values(notice.card)).toEqual([{ v: 1, a: 'review.list' }]);
  });

  it('gives a review in the card: a bad sheet comes back marked, a good one updates the card in place, 修改 changes it', async () => {
    const notice = inbox(C).at(-1)!;
    reviewedOn = notice.message_id;
    const list = await click(C, notice.message_id, { v: 1, a: 'review.list' });
    const first = values(list.card).find((v) => v.a === 'review.open')!;
    const form = await click(C, notice.message_id, first);
    expect(form.card?.body.elements.some((e) => e.tag === 'form')).toBe(true);
    const submit = values(form.card).find((v) => v.a === 'review.submit')!;

    const bad = await click(C, notice.message_id, submit, sheet(12, ''));
    expect(bad.toast).toEqual({ type: 'error', content: '有5处需要修改，请按卡片上的红字提示修改后重新提交。' });
    expect(messageText(t.fake.findMessage(notice.message_id)!)).toContain('“真正解决实际问题”的评分应在0到10分之间，现在是12分。');
    expect(JSON.stringify(bad.card)).toContain('"default_value":"12"');

    const good = await click(C, notice.message_id, submit, sheet(8, 'recommend', '扎实'));
    expect(good.toast).toEqual({ type: 'success', content: '评审已提交。在本轮关闭前可以修改。' });
    const shown = messageText(t.fake.findMessage(notice.message_id)!);
    expect(shown).toContain('真正解决实际问题：8分');
    expect(shown).toContain('扎实');
    const edit = values(good.card).find((v) => v.a === 'review.edit')!;
    const again = await click(C, notice.message_id, edit);
    expect(JSON.stringify(again.card)).toContain('"initial_option":"recommend"');
    const changed = await click(C, notice.message_id, submit, sheet(7, 'abstain', '修改后'));
    expect(changed.toast?.content).toBe('评审已修改。');
    expect(messageText(t.fake.findMessage(notice.message_id)!)).toContain('第2版');
  });

  it('refuses someone else on a reviewer’s card, and a non-reviewer outright; nothing changes', async () => {
    const card = t.fake.findMessage(reviewedOn)!;
    const submit = values(card.card).find((v) => v.a === 'review.edit')!;
    const other = await click(D, card.message_id, { ...submit, a: 'review.submit' }, sheet(1));
    expect(other.toast).toEqual({ type: 'error', content: '这张评审卡片属于另一位评审专家，你不能在上面操作。请发送“/评审”查看分配给你的评审。' });
    const stranger = await click('ou_stranger', card.message_id, { ...submit, a: 'review.submit' }, sheet(1));
    expect(stranger.toast).toEqual({ type: 'error', content: '你不能操作这张卡片。' });
    expect(messageText(t.fake.findMessage(card.message_id)!)).toContain('修改后');
  });

  it('shows the office who has finished, never a score, and keeps the ranking sealed until close', async () => {
    const progress = messageText(await say(ADMIN, '/评审 进度'));
    expect(progress).toContain('曹评审：已完成 1/');
    expect(progress).not.toContain('修改后');
    expect(messageText(await say(ADMIN, '/排名'))).toBe('“初评”还在进行中，评分和投票在关闭前对所有人保密。请先发送“/评审 关闭”关闭本轮。');
    expect(messageText(await say(ADMIN, '/评审 关闭'))).toMatch(/^“初评”还有\d+项未达到每项2份评审的要求/);
  });

  it('closes once everyone has reviewed; old cards turn read-only', async () => {
    // 8 items × 2 reviewers, one review already given above.
    expect((await reviewAll(C, 7)) + (await reviewAll(D, 6)) + (await reviewAll(E, 3))).toBe(15);
    expect(messageText(await say(ADMIN, '/评审 关闭'))).toBe('已关闭“初评”（共8项）。评分和投票现已可见，发送“/排名”查看排名。');
    const card = t.fake.findMessage(reviewedOn)!;
    const edit = values(t.fake.findMessage(card.message_id)!.card).find((v) => v.a === 'review.edit')!;
    const late = await click(C, card.message_id, edit);
    expect(late.toast?.type).toBe('error');
    expect(late.toast?.content).toMatch(/^“初评”已于.+关闭，评分和投票不能再修改。$/);
    expect(messageText(t.fake.findMessage(card.message_id)!)).toContain('本卡片已只读');
  });

  it('ranks with a chart, cuts the shortlist and opens 复评 with the survivors', async () => {
    const ranking = await say(ADMIN, '/排名');
    expect(ranking.card?.body.elements.some((e) => e.tag === 'chart')).toBe(true);
    expect(messageText(ranking)).toContain('排序规则');
    const cut = await say(ADMIN, '/排名 入围 3');
    expect(messageText(cut)).toContain('已开启“复评”');
    const rounds = await t.app.database.db.select().from(reviewRounds);
    expect(rounds.map((r) => [r.label, r.state])).toEqual([['初评', 'closed'], ['复评', 'open']]);
    expect(messageText(await say(ADMIN, '/评审 分配 2'))).toContain('已为“复评”分配评审');
    expect(messageText(inbox(E).at(-1)!)).toContain('评审任务 · 复评');
  });

  it('publishes the result to the notice group and tells each unit its outcome', async () => {
    t.fake.addGroup(GROUP, '评审通知群', [ADMIN]);
    await t.fake.sendText(t.app.webhookUrl, { from: ADMIN, chatType: 'group', chatId: GROUP, text: '/活动 绑定群', mentionBot: true }, signed());
    await flush();
    expect(messageText(await say(ADMIN, '/发布'))).toContain('通知群收到结果卡片，8项成果的单位联络人收到了本单位的结果');
    const posted = t.fake.botMessages().filter((m) => m.chat_id === GROUP).at(-1)!;
    expect(messageText(posted)).toContain('以下3项进入“复评”');
    const told = inbox(`ou_liaison_org_LN2022`).map(messageText);
    expect(told.some((x) => /在“初评”中(入围，进入“复评”|未入围)/.test(x))).toBe(true);
    const audit = await t.app.database.db.select().from(auditLog).where(eq(auditLog.action, 'review.publish'));
    expect(audit).toHaveLength(1);
  });

  it('exports the closed round behind a signed link', async () => {
    const card = messageText(await say(ADMIN, '/导出'));
    const url = /\((http:\/\/127\.0\.0\.1:\d+\/downloads\/[^)]+)\)/.exec(card)?.[1];
    expect(url).toMatch(/\/downloads\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const file = await fetch(url!);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toContain(encodeURIComponent('LN2022-初评-评分明细.xlsx'));
    expect((await fetch(`${url!.slice(0, -2)}xx`)).status).toBe(403);
  });

  it('sends the shortlist to the leader, whose approval reaches the office', async () => {
    await say(ADMIN, '/角色 授予 领导', [{ openId: LEADER, name: '刘书记' }]);
    expect(messageText(await say(ADMIN, '/排名 报送'))).toContain('报送1位领导审批');
    const approval = inbox(LEADER).find((m) => values(m.card).some((v) => v.a === 'leader.approve'))!;
    const approve = values(approval.card).find((v) => v.a === 'leader.approve')!;
    const denied = await click(C, approval.message_id, approve);
    expect(denied.toast?.content).toBe('你不能操作这张卡片。');
    const done = await click(LEADER, approval.message_id, approve);
    expect(done.toast?.content).toBe('已批准，办公室会收到通知。');
    expect(messageText(t.fake.findMessage(approval.message_id)!)).toContain('已批准');
    expect(inbox(ADMIN).map(messageText).some((x) => x.includes('刘书记已批准“初评”入围名单（3项）'))).toBe(true);
    expect(world.achievements).toHaveLength(8);
  });
});
