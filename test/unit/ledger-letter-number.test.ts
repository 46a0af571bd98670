import { describe, expect, it } from 'vitest';
import { formatLetterNumber, parseLetterNumber, type LetterKind } from '../../src/domain/ledger/letter-number.js';

describe('letter numbers', () => {
  it.each<[LetterKind, number, number, string]>([
    ['reminder', 2026, 7, '提醒〔2026〕第7号'],
    ['supervision', 2026, 3, '督办〔2026〕第3号'],
    ['reminder', 2027, 1, '提醒〔2027〕第1号'],
    ['supervision', 2026, 1024, '督办〔2026〕第1024号'],
  ])('%s %i #%i -> %s and back', (kind, year, seq, text) => {
    expect(formatLetterNumber(kind, year, seq)).toBe(text);
    expect(parseLetterNumber(text)).toEqual({ ok: true, value: { kind, year, seq } });
  });

  it.each<[string, LetterKind, number, number]>([
    [' 提醒 〔2026〕 第 7 号 ', 'reminder', 2026, 7],
    ['提醒函〔2026〕第7号', 'reminder', 2026, 7],
    ['督办[2026]3号', 'supervision', 2026, 3],
    ['督办【2026】第3号', 'supervision', 2026, 3],
    ['督办（2026）第03号', 'supervision', 2026, 3],
    ['督办(2026)3', 'supervision', 2026, 3],
    ['提醒2026第12号', 'reminder', 2026, 12],
  ])('reads %j as a user may type it', (text, kind, year, seq) => {
    expect(parseLetterNumber(text)).toEqual({ ok: true, value: { kind, year, seq } });
  });

  it.each(['', '提醒', '通报〔2026〕第7号', '提醒〔26〕第7号', '提醒〔2026〕第0号', '提醒20267号', '提醒〔2026第7号', '督办〔1999〕第1号', '提醒〔2026〕第七号'])(
    'rejects %j with a Chinese hint',
    (text) => {
      const result = parseLetterNumber(text);
      expect(result).toMatchObject({ ok: false, code: 'invalid_letter_number' });
      expect(result.ok ? '' : result.message).toContain('应类似 提醒〔2026〕第7号 或 督办〔2026〕第3号');
    },
  );

  it.each<[LetterKind, number, number]>([
    ['reminder', 1999, 1],
    ['reminder', 2026, 0],
    ['supervision', 2026, 2.5],
    ['supervision', 2026.5, 1],
  ])('refuses to format %s %j #%j', (kind, year, seq) => {
    expect(() => formatLetterNumber(kind, year, seq)).toThrow(RangeError);
  });
});
