// Tiny DOM helpers shared by the card renderer's modules. Text always goes in as text nodes.

/** el('div', { class: 'x', text: 'hi', disabled: true }, [children]) */
export function el(tag, attrs = {}, children = []) {
  const node = globalThis.document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false || v === null) continue;
    if (k === 'text') node.textContent = String(v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== undefined && c !== null) node.append(c);
  return node;
}

/** The string of a plain_text / lark_md object, or of a bare string. */
export const txt = (t) => (t && typeof t === 'object' ? String(t.content ?? '') : t === undefined || t === null ? '' : String(t));
