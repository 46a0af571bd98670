// Lark card markdown (the subset cards use) to DOM nodes, never to an HTML string: what a user typed
// and the bot echoed can never become markup here. Supported, as Lark draws it: **bold**, *italic*,
// ~~strike~~, `code`, [links](https://…), <at id=…></at> (shown as the person's name), <font color=…>,
// <text_tag color=…>, <br>, headings, "- " and "1. " lists, "> " quotes, and backslash escapes.

/** Lark's named colours, as the client draws them. */
export const markdownColors = {
  red: '#f54a45', green: '#34c724', blue: '#3370ff', grey: '#8f959e', gray: '#8f959e', orange: '#ff8800',
  yellow: '#dc9b04', purple: '#7f3bf5', violet: '#9f6fff', carmine: '#cc2a57', turquoise: '#14c0bd',
  wathet: '#5b8ff9', indigo: '#4954e6', default: '#1f2329', neutral: '#646a73',
};

const ESCAPABLE = /\\([\\*_~`[\]<>#|()!+\-.{}=])/g;
const PUA = 0xe000;

/** Escaped characters become private-use placeholders, so no pattern below can see them. */
function protect(src) {
  const saved = [];
  const text = src.replace(ESCAPABLE, (_, c) => {
    saved.push(c);
    return String.fromCharCode(PUA + saved.length - 1);
  });
  return { text, restore: (s) => s.replace(/[\ue000-\uf8ff]/g, (ch) => saved[ch.charCodeAt(0) - PUA] ?? ch) };
}

const inlineRules = [
  { kind: 'br', re: /<br\s*\/?>/ },
  { kind: 'at', re: /<at\s+(?:id|open_id|user_id|email)\s*=\s*["']?([^"'>\s]+)["']?\s*>([^<]*)<\/at>/ },
  { kind: 'font', re: /<font\s+color\s*=\s*["']?([#\w-]+)["']?\s*>([\s\S]*?)<\/font>/ },
  { kind: 'tag', re: /<text_tag(?:\s+color\s*=\s*["']?([\w-]+)["']?)?\s*>([\s\S]*?)<\/text_tag>/ },
  { kind: 'link', re: /\[([^\]]+)\]\(((?:https?:|lark:|mailto:)[^)\s]*)\)/ },
  { kind: 'code', re: /`([^`]+)`/ },
  { kind: 'bold', re: /\*\*([\s\S]+?)\*\*/ },
  { kind: 'strike', re: /~~([\s\S]+?)~~/ },
  { kind: 'italic', re: /\*([^*\s](?:[^*]*[^*\s])?)\*/ },
];

function inline(doc, src, opts, restore) {
  const out = [];
  let rest = src;
  while (rest) {
    let best;
    for (const rule of inlineRules) {
      const m = rule.re.exec(rest);
      if (m && (!best || m.index < best.m.index)) best = { rule, m };
    }
    if (!best) {
      out.push(doc.createTextNode(restore(rest)));
      break;
    }
    const { rule, m } = best;
    if (m.index > 0) out.push(doc.createTextNode(restore(rest.slice(0, m.index))));
    out.push(inlineNode(doc, rule.kind, m, opts, restore));
    rest = rest.slice(m.index + m[0].length);
  }
  return out;
}

function wrap(doc, tag, cls, children) {
  const node = doc.createElement(tag);
  if (cls) node.className = cls;
  node.append(...children);
  return node;
}

function inlineNode(doc, kind, m, opts, restore) {
  switch (kind) {
    case 'br':
      return doc.createElement('br');
    case 'at': {
      const id = restore(m[1]);
      const span = wrap(doc, 'span', 'md-at', []);
      span.dataset.openId = id;
      span.textContent = `@${id === 'all' ? '所有人' : opts.names?.[id] ?? (restore(m[2]) || id)}`;
      return span;
    }
    case 'font':
    case 'tag': {
      const span = wrap(doc, 'span', kind === 'tag' ? 'md-text-tag' : 'md-font', inline(doc, m[2], opts, restore));
      const color = m[1] ? markdownColors[m[1]] ?? (m[1].startsWith('#') ? m[1] : undefined) : undefined;
      if (color) span.style.color = color;
      if (m[1]) span.dataset.color = m[1];
      return span;
    }
    case 'link': {
      const a = wrap(doc, 'a', 'md-link', inline(doc, m[1], opts, restore));
      a.href = restore(m[2]);
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      return a;
    }
    case 'code': {
      const code = doc.createElement('code');
      code.textContent = restore(m[1]);
      return code;
    }
    case 'bold':
      return wrap(doc, 'strong', '', inline(doc, m[1], opts, restore));
    case 'strike':
      return wrap(doc, 's', '', inline(doc, m[1], opts, restore));
    default:
      return wrap(doc, 'em', '', inline(doc, m[1], opts, restore));
  }
}

const blockRules = [
  { kind: 'ul', re: /^\s*[-*+]\s+(.*)$/ },
  { kind: 'ol', re: /^\s*\d+[.)]\s+(.*)$/ },
  { kind: 'quote', re: /^\s*>\s?(.*)$/ },
  { kind: 'heading', re: /^(#{1,6})\s+(.*)$/ },
  { kind: 'hr', re: /^\s*(?:---+|\*\*\*+)\s*$/ },
];

/** Markdown source to a fragment of block nodes. `opts.names` maps open_id → display name. */
export function renderMarkdown(src, opts = {}, doc = globalThis.document) {
  const { text, restore } = protect(String(src ?? ''));
  const frag = doc.createDocumentFragment();
  let list;
  let para;
  const closeList = () => (list = undefined);
  const closePara = () => (para = undefined);
  for (const line of text.split('\n')) {
    const rule = blockRules.find((r) => r.re.test(line));
    const m = rule?.re.exec(line);
    if (rule && m && (rule.kind === 'ul' || rule.kind === 'ol')) {
      closePara();
      if (!list || list.tagName.toLowerCase() !== rule.kind) {
        list = wrap(doc, rule.kind, 'md-list', []);
        frag.append(list);
      }
      list.append(wrap(doc, 'li', '', inline(doc, m[1], opts, restore)));
      continue;
    }
    closeList();
    if (rule && m && rule.kind === 'heading') {
      closePara();
      frag.append(wrap(doc, `h${Math.min(m[1].length + 2, 6)}`, 'md-heading', inline(doc, m[2], opts, restore)));
    } else if (rule && m && rule.kind === 'quote') {
      closePara();
      frag.append(wrap(doc, 'blockquote', 'md-quote', inline(doc, m[1], opts, restore)));
    } else if (rule && rule.kind === 'hr') {
      closePara();
      frag.append(wrap(doc, 'hr', 'md-hr', []));
    } else if (line.trim() === '') {
      // A blank line ends the paragraph; two in a row leave a visible gap, as in Lark.
      if (!para) frag.append(wrap(doc, 'div', 'md-gap', []));
      closePara();
    } else {
      if (para) para.append(doc.createElement('br'));
      else {
        para = wrap(doc, 'p', 'md-p', []);
        frag.append(para);
      }
      para.append(...inline(doc, line, opts, restore));
    }
  }
  return frag;
}

/** The plain text a markdown source shows (for list previews and tests). */
export function markdownText(src, opts = {}, doc = globalThis.document) {
  const box = doc.createElement('div');
  box.append(renderMarkdown(src, opts, doc));
  return box.textContent ?? '';
}
