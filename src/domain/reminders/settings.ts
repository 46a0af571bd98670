// Reminder settings of a campaign (offsets before each deadline, the send time, mandatory deadlines),
// kept in the campaign definition. Pure: parsing what an admin typed into settings or a Chinese reason.
import { z } from 'zod';

export const MAX_OFFSET_DAYS = 60;
export const MAX_OFFSETS = 10;
/** No push outside these minutes of the Beijing day (08:00–21:00). */
export const DECENT_FROM_MINUTES = 8 * 60;
export const DECENT_UNTIL_MINUTES = 21 * 60;

const HHMM = /^([01]?\d|2[0-3])[:：]([0-5]\d)$/;

/** As stored in the definition; every field optional, read through `reminderSettingsOf`. */
export const reminderSettingsSchema = z.object({
  /** Days before the deadline, 0 = on the day. */
  offsets: z
    .array(z.int('提前天数必须是整数').min(0, '提前天数不能为负数').max(MAX_OFFSET_DAYS, `提前天数最多 ${MAX_OFFSET_DAYS} 天`))
    .min(1, '至少要有一个提前天数')
    .max(MAX_OFFSETS, `最多设置 ${MAX_OFFSETS} 个提前天数`)
    .optional(),
  /** Beijing wall-clock time, HH:MM. */
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '提醒时间应写成 09:00 这样的格式').optional(),
  /** Phase keys whose reminders nobody can mute. */
  mandatory: z.array(z.string().min(1)).optional(),
});

export type StoredReminderSettings = z.infer<typeof reminderSettingsSchema>;

export interface ReminderSettings {
  /** Distinct, largest first. */
  offsets: number[];
  time: string;
  mandatory: string[];
}

export const defaultReminderSettings: ReminderSettings = { offsets: [7, 3, 1, 0], time: '09:00', mandatory: [] };

export function reminderSettingsOf(definition: { reminders?: StoredReminderSettings | undefined }): ReminderSettings {
  const r = definition.reminders ?? {};
  return {
    offsets: normalizeOffsets(r.offsets ?? defaultReminderSettings.offsets),
    time: r.time ?? defaultReminderSettings.time,
    mandatory: [...(r.mandatory ?? [])],
  };
}

export const normalizeOffsets = (offsets: readonly number[]): number[] => [...new Set(offsets)].sort((a, b) => b - a);

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** "7,3,1,0" (also with ，、 or spaces) into distinct offsets, largest first. */
export function parseOffsets(text: string): Parsed<number[]> {
  const parts = text.split(/[,，、\s]+/).filter(Boolean);
  if (parts.length === 0) return { ok: false, message: `请写提前天数，例如 7,3,1,0（0 表示截止当天，最多 ${MAX_OFFSET_DAYS} 天）。` };
  const values: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return { ok: false, message: `“${p}”不是整数天数。提前天数应写成 7,3,1,0 这样的整数，0 表示截止当天。` };
    const n = Number(p);
    if (n > MAX_OFFSET_DAYS) return { ok: false, message: `提前 ${n} 天超出范围：提前天数应在 0 到 ${MAX_OFFSET_DAYS} 之间。` };
    values.push(n);
  }
  const offsets = normalizeOffsets(values);
  if (offsets.length > MAX_OFFSETS) return { ok: false, message: `最多设置 ${MAX_OFFSETS} 个提前天数，你写了 ${offsets.length} 个。` };
  return { ok: true, value: offsets };
}

/** "9:00" / "09：00" into "09:00", inside the decent hours (08:00–21:00). */
export function parseSendTime(text: string): Parsed<string> {
  const m = HHMM.exec(text.trim());
  if (!m) return { ok: false, message: `无法识别时间“${text}”。请写成 09:00 这样的 24 小时制时间。` };
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  if (minutes < DECENT_FROM_MINUTES || minutes >= DECENT_UNTIL_MINUTES) {
    return { ok: false, message: `提醒时间 ${text} 在免打扰时段内：请选择 08:00 到 21:00 之间的时间。` };
  }
  return { ok: true, value: `${String(m[1]).padStart(2, '0')}:${m[2]}` };
}

export function timeMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** 7,3,1,0 -> "提前7天、3天、1天和截止当天". */
export function describeOffsets(offsets: readonly number[]): string {
  const words = offsets.map((o) => (o === 0 ? '截止当天' : `提前${o}天`));
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join('、')}和${words.at(-1) ?? ''}`;
}
