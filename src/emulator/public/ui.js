// Small helpers for the console page (not the card renderer).
export { el } from './card-dom.js';

export const $ = (id) => document.getElementById(id);

export async function api(path, body) {
  const res = await fetch(path, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {});
  try {
    return await res.json();
  } catch {
    return { error: `模拟器没有正常响应（HTTP ${res.status}）。` };
  }
}

/** Lark's toast: one line at the top, coloured by type, gone after a few seconds. */
export function toast(t) {
  const box = $('toast');
  box.textContent = t.content;
  box.className = `toast ${t.type ?? 'info'}`;
  box.dataset.type = t.type ?? 'info';
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (box.hidden = true), 4000);
}

const beijing = (opts) => new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, ...opts });
const stamp = beijing({ month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
const full = beijing({ year: 'numeric', month: 'long', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' });

export const formatTime = (iso) => stamp.format(new Date(iso));
export const formatFull = (date) => full.format(date);

/** "YYYY-MM-DDTHH:mm" in Beijing time, for a datetime-local field. */
export function toLocalInput(date) {
  const parts = Object.fromEntries(
    beijing({ year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour === '24' ? '00' : parts.hour}:${parts.minute}`;
}
