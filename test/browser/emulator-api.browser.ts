// The console's server side without a browser, on PGlite or TEST_DATABASE_URL: the composed app in
// emulator mode, driven through the same HTTP endpoints the page calls. Time travel, reset, file
// messages downloaded through the resource endpoint, the "/" menu read from the command table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandTable } from '../../commands/table.js';
import { startApp, type RunningApp } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { parseConfig } from '../../src/config.js';
import { isAllowed } from '../../src/domain/roles.js';
import { typedMentions } from '../../src/emulator/chat-routes.js';
import { demoPeople } from '../../src/emulator/demo-people.js';
import { resetDemoData, schemaTableNames } from '../../src/emulator/reset.js';
import { upsertUser } from '../../src/services/actors.js';
import type { FakeLark } from '../../src/fake-lark/index.js';
import { messageText } from '../fakes/index.js';
import { createTestDatabase, dbKind, queryRows, silentLog, type TestDatabase } from '../helpers/db.js';

const ADMIN = 'ou_demo_admin';
const LIAISON = 'ou_demo_liaison_ps';

let test: TestDatabase;
let app: RunningApp;
let fake: FakeLark;
const clock = new ManualClock();

beforeAll(async () => {
  test = await createTestDatabase({ migrate: false });
  app = await startApp({ config: parseConfig({ PORT: '0' }), clock, database: test.database, log: silentLog, tick: false });
  if (!app.fake) throw new Error('emulator mode expected: no Lark credentials were given');
  fake = app.fake;
});
afterAll(async () => {
  await app?.close();
  await test?.cleanup();
});

const post = async (path: string, body: unknown) => {
  const res = await fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const get = async (path: string) => (await (await fetch(`${app.url}${path}`)).json()) as Record<string, unknown>;
const settle = async () => {
  await app.pipeline.drain();
  await app.sender.kick();
};
const count = async (table: string) => Number((await queryRows(test.database, `select count(*)::int as n from ${table}`))[0]?.n);

describe(`emulator console API (${dbKind})`, () => {
  it('serves the "/" menu from the command table, only what the person may run', async () => {
    const liaison = (await get(`/emulator/api/commands?as=${LIAISON}`)).commands as { name: string; summary: string }[];
    const expected = commandTable.filter((c) => isAllowed({ roles: ['public', 'liaison'] }, c.roles));
    expect(liaison).toEqual(expected.map(({ name, aliases, summary, usage }) => ({ name, aliases: [...aliases], summary, usage })));
    const admin = (await get(`/emulator/api/commands?as=${ADMIN}`)).commands as unknown[];
    expect(admin.length).toBeGreaterThan(liaison.length);
  });

  it('turns a typed @姓名 into a Lark mention', () => {
    expect(typedMentions('/单位 联络人 平山区 @赵芳', 1)).toEqual({
      text: '/单位 联络人 平山区 @_user_1',
      mentions: [{ key: '@_user_1', openId: LIAISON, name: '赵芳' }],
    });
    expect(typedMentions('没有提及', 2)).toEqual({ text: '没有提及', mentions: [] });
  });

  it('sends a file message the bot downloads through the OpenAPI resource endpoint', async () => {
    const data = Buffer.from('单位名称,单位类型\n明山区,县区\n').toString('base64');
    const sent = await post('/emulator/api/send-file', { from: ADMIN, fileName: '单位.csv', data });
    expect(sent.status).toBe(200);
    await settle();
    expect(fake.callsTo('/resources/', 'GET').map((c) => c.status)).toEqual([200]);
    const reply = fake.lastMessageTo(ADMIN);
    expect(reply?.parent_id).toBe(sent.body.messageId);
    expect(messageText(reply!)).not.toContain('下载失败');
    expect((await post('/emulator/api/send-file', { from: ADMIN, fileName: '空.csv', data: '' })).body.error).toBe('文件是空的，请检查后重新发送。');
  });

  it('lets only the admin move the clock, only forward, and runs the reminder jobs at once', async () => {
    const info = await get('/emulator/api/clock');
    expect(info.adjustable).toBe(true);
    const deadline = info.deadline as { phaseLabel: string; closesAt: string; threeDaysBefore: string };
    expect(deadline.phaseLabel).toBe('选题申报');

    const denied = await post('/emulator/api/clock', { from: LIAISON, preset: 'deadline-3d' });
    expect([denied.status, denied.body.error]).toEqual([403, '只有办公室管理员（王主任）可以使用这个演示控制。']);
    const past = await post('/emulator/api/clock', { from: ADMIN, to: '2020-01-01T09:00:00+08:00' });
    expect(past.status).toBe(400);
    expect(past.body.error).toContain('只能往后拨');
    expect((await post('/emulator/api/clock', { from: ADMIN, to: '下周一' })).status).toBe(400);
    expect(fake.messagesTo(LIAISON)).toHaveLength(0);

    const moved = await post('/emulator/api/clock', { from: ADMIN, preset: 'deadline-3d' });
    expect(moved.status).toBe(200);
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(Date.parse(deadline.threeDaysBefore));
    expect(Date.parse(deadline.closesAt) - clock.now().getTime()).toBeLessThan(4 * 86_400_000);
    const reminder = fake.lastMessageTo(LIAISON);
    expect(reminder?.card?.header?.title.content).toContain('截止提醒');
    expect(messageText(reminder!)).toContain('平山区');
    // Already within three days: the preset refuses rather than move nowhere.
    const again = await post('/emulator/api/clock', { from: ADMIN, preset: 'deadline-3d' });
    expect([again.status, String(again.body.error)]).toEqual([400, expect.stringContaining('不足 3 天')]);
  });

  it('reset: only the admin; wipes every table, reloads the demo data, empties the chats, clock back to now', async () => {
    await post('/emulator/api/send', { from: LIAISON, text: '/我' });
    await settle();
    expect(await count('outbox')).toBeGreaterThan(0);
    expect((await post('/emulator/api/reset', { from: LIAISON })).status).toBe(403);

    const res = await post('/emulator/api/reset', { from: ADMIN });
    expect(res.status).toBe(200);
    expect(fake.messages).toHaveLength(0);
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(5_000);
    // The outbox holds only what the demo seed planned: the demo 提醒函's card to its recipient.
    expect(await queryRows(test.database, 'select kind from outbox')).toEqual([{ kind: 'ledger.letter' }]);
    expect(await count('inbound_events')).toBe(0);
    expect(await count('users')).toBe(demoPeople.length);
    expect(await count('campaigns')).toBe(1);
    expect(await count('submissions')).toBe(1); // the demo topic of 市发展改革委
    // The group is back, so the bot can post to it again.
    const sent = await post('/emulator/api/send', { from: ADMIN, chatId: 'oc_demo_work_group', text: '/帮助' });
    expect(sent.status).toBe(200);
    await settle();
    expect(fake.messagesTo('oc_demo_work_group')).toHaveLength(1);
  });

  it('truncates exactly the tables the schema declares, and a reset drops what was not demo data', async () => {
    const rows = await queryRows(test.database, "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'");
    expect(schemaTableNames()).toEqual(rows.map((r) => String(r.table_name)).sort());
    await upsertUser(test.database.db, { openId: 'ou_stranger', name: '路人', at: clock.now() });
    await resetDemoData(test.database.db, clock);
    expect((await queryRows(test.database, "select open_id from users where open_id = 'ou_stranger'")).length).toBe(0);
    expect(await count('users')).toBe(demoPeople.length);
  });
});
