// The emulator console: pick a demo user (or open several tabs with ?as=open_id), chat with the bot,
// click its cards. Everything goes through the emulated Lark: typed text and clicks become signed
// events, and what the bot sends arrives here live (SSE); updated cards are replaced in place.
import { renderCard } from './card-render.js';
import { drawChart } from './chart.js';
import { setupComposer } from './composer.js';
import { setupControls } from './controls.js';
import { $, api, el, formatTime, toast } from './ui.js';

const state = { people: [], groups: [], names: {}, me: undefined, chat: undefined, messages: new Map(), unread: new Map(), commands: [], pending: undefined };
const BOT = '改革创新助手';

const person = (id) => state.people.find((p) => p.openId === id);
const chatKey = (m) => (m.chatType === 'p2p' ? `p2p:${m.peer}` : m.chatId);

function chatList() {
  const groups = state.groups.filter((g) => g.members.includes(state.me)).map((g) => ({ id: g.chatId, kind: 'group', title: g.name, sub: `${g.members.length} 人 · 含机器人` }));
  const p2p = state.people.map((p) => ({ id: `p2p:${p.openId}`, kind: 'p2p', peer: p.openId, title: `${BOT} · ${p.name}`, sub: p.title }));
  return [...groups, ...p2p];
}

function renderChats() {
  const nav = $('chats');
  nav.replaceChildren(el('div', { class: 'nav-section', text: '群聊' }));
  const list = chatList();
  for (const c of list) {
    if (c.kind === 'p2p' && !nav.querySelector('.nav-section.p2p')) nav.append(el('div', { class: 'nav-section p2p', text: '与机器人的私聊（点选即切换身份）' }));
    const unread = state.unread.get(c.id) ?? 0;
    const b = el('button', { type: 'button', class: `chat-item${c.id === state.chat?.id ? ' active' : ''}`, 'data-chat': c.id, 'data-testid': 'chat-item' }, [
      el('span', { class: 'avatar', text: c.kind === 'group' ? '群' : [...(person(c.peer)?.name ?? '?')][0] }),
      el('span', { class: 'chat-names' }, [el('span', { class: 'chat-title', text: c.title }), el('span', { class: 'chat-sub', text: c.sub })]),
      unread ? el('span', { class: 'badge', 'data-testid': 'unread', text: String(unread) }) : undefined,
    ]);
    b.addEventListener('click', () => {
      if (c.kind === 'p2p' && c.peer !== state.me) switchTo(c.peer, c.id);
      else selectChat(c);
    });
    nav.append(b);
  }
}

function inChat(m) {
  return state.chat !== undefined && chatKey(m) === state.chat.id;
}

function messageNode(m) {
  const mine = m.sender === state.me;
  const bot = m.sender === 'bot';
  const who = bot ? BOT : person(m.sender)?.name ?? m.sender;
  const wrap = el('div', { class: `msg${mine ? ' mine' : ''}${bot ? ' bot' : ''}`, 'data-message-id': m.messageId, 'data-testid': 'message', 'data-sender': m.sender });
  wrap.append(el('span', { class: `avatar${bot ? ' bot' : ''}`, text: bot ? '助' : [...who][0] }));
  const body = el('div', { class: 'msg-body' }, [el('div', { class: 'from' }, [el('span', { text: who }), el('span', { class: 'time', text: formatTime(m.createdAt) })])]);
  body.append(content(m));
  wrap.append(body);
  return wrap;
}

function content(m) {
  if (m.card) {
    return renderCard(m.card, {
      names: state.names,
      drawChart,
      onAction: (action) => click(m.messageId, action),
    });
  }
  if (m.msgType === 'file') return el('div', { class: 'bubble file', 'data-testid': 'file-message', text: `[文件] ${m.fileName ?? '文件'}` });
  return el('div', { class: 'bubble', text: m.text ?? `[${m.msgType} 消息]` });
}

function renderMessages() {
  const box = $('messages');
  const list = [...state.messages.values()].filter(inChat).sort((a, b) => a.seq - b.seq);
  box.replaceChildren(...list.map(messageNode));
  if (!list.length) box.append(el('div', { class: 'empty-chat', text: '还没有消息。输入 / 查看可用命令，例如 /帮助。' }));
  box.scrollTop = box.scrollHeight;
}

/** A new or updated message: appended, or its card replaced in place (no other message is redrawn). */
function onMessage(m) {
  if (state.pending) return void state.pending.push(m);
  const known = state.messages.get(m.messageId);
  if (known && known.updateCount > m.updateCount) return;
  state.messages.set(m.messageId, m);
  if (!inChat(m)) {
    if (!known && m.sender !== state.me) {
      const key = chatKey(m);
      state.unread.set(key, (state.unread.get(key) ?? 0) + 1);
      renderChats();
    }
    return;
  }
  const box = $('messages');
  const existing = box.querySelector(`[data-message-id="${CSS.escape(m.messageId)}"]`);
  if (existing) {
    const fresh = messageNode(m);
    existing.replaceWith(fresh);
    fresh.classList.add('updated');
    setTimeout(() => fresh.classList.remove('updated'), 1200);
    return;
  }
  box.querySelector('.empty-chat')?.remove();
  const nearBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 120;
  box.append(messageNode(m));
  if (nearBottom || m.sender === state.me || m.sender === 'bot') box.scrollTop = box.scrollHeight;
}

async function click(messageId, action) {
  const res = await api('/emulator/api/click', {
    from: state.me,
    messageId,
    value: action.value,
    formValue: action.form_value,
    name: action.name,
    tag: action.tag,
    option: action.option,
    options: action.options,
    inputValue: action.input_value,
    checked: action.checked,
  });
  if (res.toast) toast(res.toast);
  else if (res.error) toast({ type: 'error', content: res.error });
}

function selectChat(c) {
  state.chat = c;
  state.unread.delete(c.id);
  $('chat-title').textContent = c.title;
  $('chat-title').dataset.chat = c.id;
  renderChats();
  renderMessages();
  composer.chatChanged(c);
}

async function switchTo(openId, chatId) {
  state.me = openId;
  $('who').value = openId;
  const url = new URL(location.href);
  url.searchParams.set('as', openId);
  history.replaceState(null, '', url);
  document.title = `${person(openId)?.name ?? ''} · 改革创新助手 · 本地模拟器`;
  const list = chatList();
  selectChat(list.find((c) => c.id === chatId) ?? list.find((c) => c.id === `p2p:${openId}`) ?? list[0]);
  controls.identityChanged(person(openId));
  state.commands = (await api(`/emulator/api/commands?as=${encodeURIComponent(openId)}`)).commands ?? [];
}

const composer = setupComposer({
  me: () => state.me,
  chat: () => state.chat,
  commands: () => state.commands,
  people: () => state.people,
});
const controls = setupControls({ me: () => state.me, onReset: () => load() });

/**
 * (Re)loads everything; live events that arrive meanwhile are applied after, so none is lost.
 * Loads run one after another (a reset both answers the click and arrives as an event).
 */
let loading = Promise.resolve();
function load() {
  loading = loading.then(async () => {
    state.pending = [];
    try {
      await bootstrap();
    } catch (err) {
      toast({ type: 'error', content: `模拟器数据没有加载成功：${err?.message ?? err}` });
    } finally {
      const pending = state.pending ?? [];
      state.pending = undefined;
      for (const m of pending) onMessage(m);
    }
  });
  return loading;
}

async function bootstrap() {
  const fromUrl = new URLSearchParams(location.search).get('as');
  const boot = await api(`/emulator/api/bootstrap?as=${encodeURIComponent(fromUrl ?? '')}`);
  state.people = boot.people;
  state.groups = boot.groups;
  state.commands = boot.commands;
  state.names = Object.fromEntries(boot.people.map((p) => [p.openId, p.name]));
  state.messages = new Map(boot.messages.map((m) => [m.messageId, m]));
  state.unread = new Map();
  controls.clockChanged(boot.clock);
  const who = $('who');
  who.replaceChildren(...state.people.map((p) => el('option', { value: p.openId, text: `${p.name}（${p.title}）` })));
  who.onchange = () => switchTo(who.value);
  const me = state.people.some((p) => p.openId === (state.me ?? fromUrl)) ? state.me ?? fromUrl : state.people[0].openId;
  await switchTo(me, state.chat?.id);
}

function listen() {
  const es = new EventSource('/emulator/api/stream');
  es.addEventListener('message', (ev) => onMessage(JSON.parse(ev.data)));
  es.addEventListener('clock', () => controls.refreshClock());
  es.addEventListener('reset', () => {
    toast({ type: 'info', content: '演示数据已重置' });
    load();
  });
  // Every (re)connection starts with "hello": load then, so nothing sent while offline is missed.
  es.addEventListener('hello', () => {
    document.body.classList.add('live');
    load();
  });
  es.onerror = () => document.body.classList.remove('live');
}

listen();
