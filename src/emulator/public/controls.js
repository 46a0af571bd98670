// The emulator's clock, shown on every page, and the admin's demo controls: move the clock forward
// ("快进到截止前 3 天" or a chosen date-time), after which the bot's tick jobs run once, and reset
// the demo data. The server refuses these for anyone but the office admin.
import { $, api, formatFull, toLocalInput, toast } from './ui.js';

export function setupControls({ me, onReset }) {
  let offsetMs = 0;
  const clock = $('clock');
  const panel = $('admin-controls');
  const at = $('travel-at');
  const now = () => new Date(Date.now() + offsetMs);

  const tick = () => {
    const ahead = now().getTime() - Date.now();
    clock.querySelector('.clock-time').textContent = formatFull(now());
    const days = ahead / 86_400_000;
    clock.querySelector('.clock-ahead').textContent = Math.abs(ahead) > 60_000 ? `（比真实时间${days >= 0 ? '快' : '慢'} ${Math.abs(days).toFixed(days >= 1 || days <= -1 ? 1 : 2)} 天）` : '';
    clock.dataset.now = now().toISOString();
  };
  setInterval(tick, 1000);

  const applyInfo = (info) => {
    if (!info?.now) return;
    offsetMs = new Date(info.now).getTime() - Date.now();
    tick();
    const d = info.deadline;
    $('deadline').textContent = d ? `下一个截止：${d.campaignName} · ${d.phaseLabel}，${d.closesAtText}` : '当前没有进行中阶段的截止时间';
    $('travel-preset').disabled = !info.adjustable || !d;
    $('travel-preset').title = d ? `拨到 ${formatFull(new Date(d.threeDaysBefore))}：截止前 3 天的提醒到点之后` : '';
    if (!at.value || new Date(`${at.value}:00+08:00`) <= now()) at.value = toLocalInput(new Date(now().getTime() + 86_400_000));
  };

  const travel = async (body) => {
    const res = await api('/emulator/api/clock', { from: me(), ...body });
    if (res.error) return toast({ type: 'error', content: res.error });
    applyInfo(res);
    toast({ type: 'success', content: `模拟时间已调到 ${formatFull(new Date(res.now))}，定时任务已运行一次` });
  };

  $('travel-go').addEventListener('click', () => {
    if (!at.value) return toast({ type: 'error', content: '请先在时间框里选一个日期和时间。' });
    travel({ to: `${at.value}:00+08:00` });
  });
  $('travel-preset').addEventListener('click', () => travel({ preset: 'deadline-3d' }));
  $('reset').addEventListener('click', async () => {
    if (!confirm('重置会清空所有消息和数据，把模拟时间拨回现在，并重新载入演示数据。继续吗？')) return;
    const res = await api('/emulator/api/reset', { from: me() });
    if (res.error) return toast({ type: 'error', content: res.error });
    onReset();
  });

  return {
    clockChanged: applyInfo,
    async refreshClock() {
      applyInfo(await api('/emulator/api/clock'));
    },
    identityChanged(person) {
      panel.hidden = person?.role !== 'admin';
    },
  };
}
