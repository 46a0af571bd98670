// /台账 设置's card: the main leader (or that none is set), the thresholds and the work group, with the commands
// that change them; user text is escaped.
import { describe, expect, it } from 'vitest';
import { ledgerSettingsCard, type LedgerSettingsView } from '../../cards/ledger-settings.js';
import { parseContent } from '../../src/fake-lark/content-rules.js';

const view: LedgerSettingsView = {
  title: '2026年全面深化改革任务',
  policy: { reminderAfterWorkdays: 3, supervisionAfterWorkdays: 5, rectifyWithinWorkdays: 5 },
  mainLeader: { openId: 'ou_mayor', name: '王市长', isLeader: true },
  bound: true,
};
const text = (v: LedgerSettingsView) => JSON.stringify(ledgerSettingsCard(v));

describe('ledger settings card', () => {
  it('matches the snapshot and is a card Lark accepts', () => {
    const card = ledgerSettingsCard(view);
    expect(card).toMatchSnapshot();
    expect(() => parseContent('interactive', JSON.stringify(card))).not.toThrow();
  });

  it('says what is missing: no main leader, a main leader without the leader role, no work group', () => {
    expect(text({ ...view, mainLeader: null })).toContain('未指定（每月调度不会发出）');
    expect(text({ ...view, mainLeader: { openId: 'ou_x', name: null, isLeader: false } })).toContain('ou_x（尚无“领导”角色');
    expect(text({ ...view, bound: false })).toContain('未绑定');
  });

  it('escapes the leader’s name in markdown (the title sits in the plain-text header)', () => {
    const t = text({ ...view, mainLeader: { openId: 'ou_x', name: '张*三*<at id=all></at>', isLeader: true } });
    expect(t).toContain('张\\\\*三\\\\*\\\\<at id=all\\\\>');
    expect(t).not.toContain('<at id=all>');
  });
});
