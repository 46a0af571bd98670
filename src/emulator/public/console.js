// The emulator console: pick a demo user, chat with the bot, click its cards. Everything goes
// through the emulated Lark OpenAPI (signed events in, recorded API calls out).
import { renderCard } from './card-render.js';

const $ = (id) => document.getElementById(id);
const state = { people: [], groups: [], names: {}, me: undefined, chat: undefined, messages: new Map() };

async function api(path, body) {
  const res = await fetch(path, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {});
  return res.json();
}

function toast(t) {
  const box = $('toast');
  box.textContent = t.content;
  box.className = t.type ?? 'info';
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (box.hidden = true), 3000);
}

function chatsFor(me) {
  return [{ id: `p2p:${me}`, title: '改革创新助手（私聊）', kind: 'p2p' }, ...state.groups.filter((g) => g.members.includes(me)).map((g) => ({ id: g.chatId, title: g.name, kind: 'group' }))];
}

function renderChats() {
  const nav = $('chats');
  nav.innerHTML = '';
  for (const c of chatsFor(state.me)) {
    const b = document.createElement('button');
    b.textContent = c.title;
    b.className = c.id === state.chat?.id ? 'active' : '';
    b.onclick = () => selectChat(c);
    nav.append(b);
  }
}

function inChat(m) {
  if (!state.chat) return false;
  if (state.chat.kind === 'p2p') return m.chatType === 'p2p' && m.peer === state.me;
  return m.chatId === state.chat.id;
}

function renderMessages() {
  const box = $('messages');
  box.innerHTML = '';
  const list = [...state.messages.values()].filter(inChat).sort((a, b) => a.seq - b.seq);
  for (const m of list) {
    const mine = m.sender === state.me;
    const wrap = document.createElement('div');
    wrap.className = `msg${mine ? ' mine' : ''}`;
    wrap.dataset.messageId = m.messageId;
    const from = document.createElement('div');
    from.className = 'from';
    from.textContent = m.sender === 'bot' ? '改革创新助手' : state.names[m.sender] ?? m.sender;
    wrap.append(from);
    if (m.card) {
      wrap.append(renderCard(m.card, { names: state.names, onAction: (value, formValue, name) => click(m.messageId, value, formValue, name) }));
    } else {
      const b = document.createElement('div');
      b.className = 'bubble';
      b.textContent = m.text ?? '';
      wrap.append(b);
    }
    box.append(wrap);
  }
  box.scrollTop = box.scrollHeight;
}

async function click(messageId, value, formValue, name) {
  const res = await api('/emulator/api/click', { from: state.me, messageId, value, formValue, name });
  if (res.toast) toast(res.toast);
  if (res.error) toast({ type: 'error', content: res.error });
}

function selectChat(c) {
  state.chat = c;
  $('chat-title').textContent = c.title;
  renderChats();
  renderMessages();
}

async function main() {
  const boot = await api('/emulator/api/bootstrap');
  state.people = boot.people;
  state.groups = boot.groups;
  for (const p of boot.people) state.names[p.openId] = p.name;
  for (const m of boot.messages) state.messages.set(m.messageId, m);
  const who = $('who');
  for (const p of state.people) {
    const o = document.createElement('option');
    o.value = p.openId;
    o.textContent = `${p.name}（${p.title}）`;
    who.append(o);
  }
  const fromUrl = new URLSearchParams(location.search).get('as');
  state.me = state.people.some((p) => p.openId === fromUrl) ? fromUrl : state.people[0].openId;
  who.value = state.me;
  who.onchange = () => {
    state.me = who.value;
    selectChat(chatsFor(state.me)[0]);
  };
  selectChat(chatsFor(state.me)[0]);

  $('composer').onsubmit = async (ev) => {
    ev.preventDefault();
    const text = $('text').value.trim();
    if (!text) return;
    $('text').value = '';
    const res = await api('/emulator/api/send', { from: state.me, chatId: state.chat.kind === 'group' ? state.chat.id : undefined, text });
    if (res.error) toast({ type: 'error', content: res.error });
  };

  const es = new EventSource('/emulator/api/stream');
  es.onmessage = (ev) => {
    const m = JSON.parse(ev.data);
    state.messages.set(m.messageId, m);
    if (inChat(m)) renderMessages();
  };
}

main();
