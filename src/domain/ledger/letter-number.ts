// Letter numbers (文号) for 提醒函 and 督办函: 提醒〔2026〕第7号, 督办〔2026〕第3号. One sequence per kind and year,
// allocated by the database (letter_counters); this file only writes and reads the text.
import { fail, ok, type Result } from '../campaign/result.js';

export const letterKinds = ['reminder', 'supervision'] as const;
export type LetterKind = (typeof letterKinds)[number];

/** 提醒函 / 督办函, for titles and lists. */
export const letterKindLabels: Record<LetterKind, string> = { reminder: '提醒函', supervision: '督办函' };
/** The word that opens the number. */
export const letterPrefixes: Record<LetterKind, string> = { reminder: '提醒', supervision: '督办' };

export interface LetterNumber {
  kind: LetterKind;
  year: number;
  seq: number;
}

/** 提醒〔2026〕第7号. Throws a RangeError on a year outside 2000–2999 or a sequence that is not a positive integer. */
export function formatLetterNumber(kind: LetterKind, year: number, seq: number): string {
  if (!Number.isInteger(year) || year < 2000 || year > 2999) throw new RangeError(`letter year out of range: ${year}`);
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`letter sequence must be a positive integer: ${seq}`);
  return `${letterPrefixes[kind]}〔${year}〕第${seq}号`;
}

const example = '提醒〔2026〕第7号';
const pattern = /^(提醒|督办)函?([〔[【［(（]?)(\d{4})([〕\]】］)）]?)(第?)(\d+)号?$/;

/**
 * Reads a letter number as a user may type it: the brackets 〔〕 [] 【】 ［］ () （）or none, an optional 函 after the
 * kind, optional 第 and 号, spaces anywhere. Without brackets 第 is needed, or 20267 would be ambiguous.
 */
export function parseLetterNumber(input: string): Result<LetterNumber, 'invalid_letter_number'> {
  const text = input.replace(/\s+/g, '');
  const m = pattern.exec(text);
  const invalid = fail('invalid_letter_number', `文号“${input.trim()}”格式不对，应类似 ${example} 或 督办〔2026〕第3号。`);
  if (!m) return invalid;
  const [, word, open, yearText, close, di, seqText] = m;
  if (Boolean(open) !== Boolean(close) || (!open && !di)) return invalid;
  const kind: LetterKind = word === '提醒' ? 'reminder' : 'supervision';
  const year = Number(yearText);
  const seq = Number(seqText);
  if (year < 2000 || year > 2999 || !Number.isSafeInteger(seq) || seq < 1) return invalid;
  return ok({ kind, year, seq });
}
