// Tracking numbers shown on confirmation cards: LN2022-本溪高新区-003 (campaign code, unit name, sequence).
import { fail, ok, type Result } from './result.js';

export interface TrackingNumber {
  campaignCode: string;
  unitName: string;
  seq: number;
}

const codePattern = /^[A-Z][A-Z0-9]{1,15}$/;
const example = 'LN2022-本溪高新区-003';

/** The sequence is padded to three digits and grows past 999. Unit-name whitespace is dropped. */
export function formatTrackingNumber(campaignCode: string, unitName: string, seq: number): string {
  const name = unitName.replace(/\s+/g, '');
  if (!codePattern.test(campaignCode)) throw new RangeError(`campaign code must be upper-case letters and digits: ${campaignCode}`);
  if (name === '') throw new RangeError('unit name must not be empty');
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`sequence must be a positive integer: ${seq}`);
  return `${campaignCode}-${name}-${String(seq).padStart(3, '0')}`;
}

/**
 * Reads a tracking number as a user may type it: surrounding spaces, a lower-case code and full-width or
 * dash-like separators are accepted. The unit name is everything between the first and the last separator.
 */
export function parseTrackingNumber(input: string): Result<TrackingNumber, 'invalid_tracking_number'> {
  const text = input.trim().replace(/\s+/g, '').replace(/[－—–]/g, '-');
  const first = text.indexOf('-');
  const last = text.lastIndexOf('-');
  const invalid = fail('invalid_tracking_number', `编号“${input.trim()}”格式不对，应类似 ${example}（活动代码-单位名称-序号）。`);
  if (first <= 0 || last <= first + 1) return invalid;
  const campaignCode = text.slice(0, first).toUpperCase();
  const unitName = text.slice(first + 1, last);
  const digits = text.slice(last + 1);
  if (!codePattern.test(campaignCode) || !/^\d+$/.test(digits)) return invalid;
  const seq = Number(digits);
  if (seq < 1 || !Number.isSafeInteger(seq)) return invalid;
  return ok({ campaignCode, unitName, seq });
}
