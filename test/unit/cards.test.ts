import { describe, expect, it } from 'vitest';
import { helpListCard, helpUsageCard } from '../../cards/help.js';
import { whoamiCard } from '../../cards/whoami.js';
import { decodeAction } from '../../cards/codec.js';
import type { Card, CardElement } from '../../cards/types.js';

const entries = [
  { name: '帮助', aliases: ['help'], summary: '列出命令', usage: '/帮助 [命令名]' },
  { name: '我', aliases: ['whoami'], summary: '查看身份', usage: '/我' },
];

function buttons(card: Card): CardElement[] {
  return card.body.elements.filter((e) => e.tag === 'button');
}

describe('card builders', () => {
  it('help list', () => {
    const card = helpListCard(entries);
    expect(card).toMatchSnapshot();
    // Every button carries a payload the codec accepts, and names are unique on the card.
    const bs = buttons(card);
    expect(bs).toHaveLength(2);
    for (const b of bs) if (b.tag === 'button') expect(decodeAction(b.behaviors?.[0]?.value)).toBeDefined();
    expect(new Set(bs.map((b) => (b.tag === 'button' ? b.name : ''))).size).toBe(bs.length);
  });

  it('help list with nothing allowed says so', () => {
    expect(JSON.stringify(helpListCard([]))).toContain('没有可用的命令');
  });

  it('help usage', () => {
    expect(helpUsageCard(entries[0]!)).toMatchSnapshot();
  });

  it('whoami, escaping user-provided markdown', () => {
    const card = whoamiCard({ openId: 'ou_1', name: '张*三*', roleLabels: ['公众'], units: [{ name: '本溪高新区', roleLabel: '单位联络人' }] });
    expect(card).toMatchSnapshot();
    expect(JSON.stringify(card)).toContain('张\\\\*三\\\\*');
  });
});
