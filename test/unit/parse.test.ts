import { describe, expect, it } from 'vitest';
import { parseLine, splitWords, suggest } from '../../src/router/parse.js';

const table = [
  { name: '帮助', aliases: ['help', '命令'] },
  { name: '我', aliases: ['whoami'] },
  { name: '活动', aliases: ['campaign'] },
  { name: '活动 新建', aliases: ['campaign new'] },
];

describe('splitWords', () => {
  it('splits on ASCII and full-width spaces and keeps quoted phrases', () => {
    expect(splitWords('活动　新建  liaoning-2022')).toEqual(['活动', '新建', 'liaoning-2022']);
    expect(splitWords('截止 选题申报 "2022-10-31 18:00"')).toEqual(['截止', '选题申报', '2022-10-31 18:00']);
    expect(splitWords('理由 “材料 延迟”')).toEqual(['理由', '材料 延迟']);
  });
});

describe('parseLine', () => {
  it('accepts /, full-width ／ and a bare exact command word', () => {
    for (const input of ['/帮助', '／帮助', '帮助', '  /help ', '/HELP']) {
      const r = parseLine(input, table);
      expect(r.kind, input).toBe('command');
      if (r.kind === 'command') expect(r.command.name).toBe('帮助');
    }
  });

  it('prefers the two-word entry and passes the remaining words', () => {
    const r = parseLine('/活动 新建 liaoning-2022', table);
    expect(r).toMatchObject({ kind: 'command', command: { name: '活动 新建' }, words: ['liaoning-2022'] });
    const one = parseLine('/活动 列表', table);
    expect(one).toMatchObject({ kind: 'command', command: { name: '活动' }, words: ['列表'] });
  });

  it('keeps the text after the command words with its line breaks and tabs', () => {
    const r = parseLine('/活动 新建 a b\n第一行\t甲\n第二行\t乙', table);
    expect(r).toMatchObject({ kind: 'command', rest: 'a b\n第一行\t甲\n第二行\t乙' });
    expect(parseLine('／帮助', table)).toMatchObject({ rest: '' });
    expect(parseLine('/导入x', [{ name: '导入x', aliases: [] }])).toMatchObject({ rest: '' });
  });

  it('leaves ordinary chat alone without a slash', () => {
    expect(parseLine('你好，请问怎么申报', table)).toEqual({ kind: 'not_command' });
    expect(parseLine('', table)).toEqual({ kind: 'not_command' });
  });

  it('suggests the closest command for a slashed typo', () => {
    expect(parseLine('/hlep', table)).toEqual({ kind: 'unknown', input: 'hlep', suggestion: 'help' });
    expect(parseLine('/帮', table)).toEqual({ kind: 'unknown', input: '帮', suggestion: '帮助' });
    expect(parseLine('/xyzzyplugh', table)).toEqual({ kind: 'unknown', input: 'xyzzyplugh', suggestion: undefined });
    expect(parseLine('/', table)).toEqual({ kind: 'unknown', input: '/', suggestion: undefined });
  });
});

describe('suggest', () => {
  it('returns nothing for an empty table or input', () => {
    expect(suggest('', ['help'])).toBeUndefined();
    expect(suggest('help', [])).toBeUndefined();
  });
});
