// The cards pushed to deciders: a close request (申请销号) to the office, with the task card's own 确认销号 / 退回
// payloads, and a problem put to a leader (提请研究) with the line saying why they receive it.
import { describe, expect, it } from 'vitest';
import { decodeAction } from '../../cards/codec.js';
import { taskCard, type TaskCardView } from '../../cards/ledger-task.js';
import { problemCard } from '../../cards/problem.js';
import { closeRequestCard, type CloseRequestCardView } from '../../cards/task-close-request.js';
import type { Card } from '../../cards/types.js';
import { parseContent } from '../../src/fake-lark/content-rules.js';

const at = new Date('2026-03-04T10:00:00+08:00');
const request: CloseRequestCardView = {
  id: 7,
  code: 'RW2026-007',
  version: 3,
  title: '推行企业开办“一日办结”',
  ledger: { title: '2026年全面深化改革任务' },
  leadUnit: { name: '市营商环境建设局' },
  owner: { openId: 'ou_wang', name: '王刚' },
  requestedBy: { openId: 'ou_wang', name: '王刚' },
  requestedAt: at,
  expectedResult: '企业开办1个工作日办结',
  actualResult: '全市推开，平均*0.8*个工作日',
};

const buttons = (c: Card) => c.body.elements.flatMap((e) => (e.tag === 'button' ? [{ name: e.name, value: e.behaviors?.[0]?.value }] : []));

describe('close request card', () => {
  it('matches the snapshot and is a card Lark accepts', () => {
    const card = closeRequestCard(request);
    expect(card).toMatchSnapshot();
    expect(() => parseContent('interactive', JSON.stringify(card))).not.toThrow();
  });

  it('offers exactly the 确认销号 / 退回 payloads of the task card an admin sees, for this version', () => {
    const view: TaskCardView = {
      ...request,
      state: 'close_requested',
      measure: null,
      stateReason: null,
      nextReviewOn: null,
      cooperatingUnits: [],
      leader: undefined,
      cadences: ['monthly'],
      milestones: [],
      source: undefined,
      lastReport: undefined,
      allowed: ['confirm_close', 'reject_close'],
    };
    const pushed = buttons(closeRequestCard(request));
    const onTask = buttons(taskCard(view, at)).filter((b) => b.name?.startsWith('ev_'));
    expect(pushed.slice(0, 2)).toEqual(onTask);
    expect(pushed.map((b) => decodeAction(b.value))).toEqual([
      { v: 1, a: 'task.event', id: 7, ver: 3, e: 'confirm_close' },
      { v: 1, a: 'task.eventForm', id: 7, ver: 3, e: 'reject_close' },
      { v: 1, a: 'task.view', id: 7 },
    ]);
  });

  it('names the liaison who asked when it is not the owner, and escapes what people typed', () => {
    const text = JSON.stringify(closeRequestCard({ ...request, requestedBy: { openId: 'ou_li', name: '李明' }, leadUnit: undefined, actualResult: null }));
    expect(text).toContain('**申请人**：李明（牵头单位联络人）');
    expect(text).toContain('**牵头单位**：未指定');
    expect(text).toContain('**完成情况**（实际结果）\\n未填写');
    expect(JSON.stringify(closeRequestCard(request))).toContain('平均\\\\*0.8\\\\*个工作日');
  });
});

describe('problem card pushed to a leader', () => {
  it('opens with why they receive it and offers no moves', () => {
    const card = problemCard({
      id: 4,
      ledgerTitle: '2026年全面深化改革任务',
      description: '跨部门数据不共享',
      state: 'escalated',
      task: undefined,
      unit: undefined,
      resolution: null,
      escalationReason: '涉及多个部门，需市政府协调',
      registeredBy: { openId: 'ou_li', name: '李明' },
      createdAt: at,
      allowed: [],
      note: '改革办提请您研究以下问题',
    });
    expect(card.body.elements[0]).toEqual({ tag: 'markdown', content: '**改革办提请您研究以下问题**' });
    expect(buttons(card)).toEqual([]);
  });
});
