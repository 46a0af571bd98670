// The message box: Enter sends; "/" opens the command menu (from the bot's command table, with
// summaries); the 菜单 button is the bot menu (each item sends its command, like Lark's
// "send message" menu items); 📎 sends a CSV/XLSX file to the bot as a file message.
import { $, api, el, toast } from './ui.js';

export function setupComposer({ me, chat, commands }) {
  const input = $('text');
  const menu = $('command-menu');
  const botMenu = $('bot-menu');
  const fileInput = $('file-input');
  const fileButton = $('file-button');
  let items = [];
  let active = -1;

  const send = async (text) => {
    const c = chat();
    const res = await api('/emulator/api/send', { from: me(), chatId: c.kind === 'group' ? c.id : undefined, text });
    if (res.error) toast({ type: 'error', content: res.error });
  };

  const closeMenu = () => {
    menu.hidden = true;
    items = [];
    active = -1;
  };

  const pick = (cmd) => {
    input.value = `/${cmd.name} `;
    closeMenu();
    input.focus();
  };

  const drawMenu = () => {
    // Up to the first word after a command name ("/活动 新" still offers "/活动 新建").
    const m = /^[/／](\S*(?: \S*)?)$/.exec(input.value);
    if (!m) return closeMenu();
    const word = m[1].toLowerCase();
    items = commands().filter((c) => [c.name, ...c.aliases].some((n) => n.toLowerCase().startsWith(word)));
    if (!items.length) return closeMenu();
    active = Math.min(active, items.length - 1);
    menu.replaceChildren(
      ...items.map((c, i) => {
        const row = el('button', { type: 'button', class: `menu-item${i === active ? ' active' : ''}`, 'data-command': c.name, 'data-testid': 'command-item' }, [
          el('span', { class: 'menu-name', text: `/${c.name}` }),
          el('span', { class: 'menu-aliases', text: c.aliases.length ? c.aliases.map((a) => `/${a}`).join(' ') : '' }),
          el('span', { class: 'menu-summary', text: c.summary }),
        ]);
        row.addEventListener('mousedown', (ev) => {
          ev.preventDefault();
          pick(c);
        });
        return row;
      }),
    );
    menu.hidden = false;
  };

  input.addEventListener('input', drawMenu);
  input.addEventListener('blur', () => setTimeout(closeMenu, 100));
  input.addEventListener('keydown', (ev) => {
    if (menu.hidden) return;
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      active = (active + (ev.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
      drawMenu();
    } else if ((ev.key === 'Enter' || ev.key === 'Tab') && active >= 0 && items[active]) {
      ev.preventDefault();
      pick(items[active]);
    } else if (ev.key === 'Escape') closeMenu();
  });

  $('composer').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    closeMenu();
    await send(text);
  });

  $('bot-menu-button').addEventListener('click', () => {
    if (!botMenu.hidden) return void (botMenu.hidden = true);
    botMenu.replaceChildren(
      ...commands().map((c) => {
        const b = el('button', { type: 'button', class: 'menu-item', 'data-testid': 'bot-menu-item', title: c.summary }, [el('span', { class: 'menu-name', text: c.name })]);
        b.addEventListener('click', () => {
          botMenu.hidden = true;
          send(`/${c.name}`);
        });
        return b;
      }),
    );
    botMenu.hidden = false;
  });

  fileButton.addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', async () => {
    const file = fileInput.files?.[0];
    fileInput.value = '';
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    const res = await api('/emulator/api/send-file', { from: me(), fileName: file.name, data: btoa(binary) });
    if (res.error) toast({ type: 'error', content: res.error });
  });

  return {
    chatChanged(c) {
      const group = c.kind === 'group';
      fileButton.disabled = group;
      fileButton.title = group ? '群聊里的文件不会发给机器人：请在与机器人的私聊中发送 CSV/XLSX 文件' : '发送 CSV/XLSX 文件给机器人（例如导入单位名单）';
      input.placeholder = group ? '在群里发言会自动 @机器人；输入 / 查看命令，@姓名 可提及他人' : '输入消息；输入 / 查看命令，例如 /帮助；@姓名 可提及他人';
      botMenu.hidden = true;
    },
  };
}
