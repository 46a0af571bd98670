// The checks Lark applies to a card JSON 2.0 before it accepts it (LARK.md §4), so a card that Lark
// would reject is flagged in the console with the reason, in Chinese.
const MAX_BYTES = 30 * 1024;
const MAX_ELEMENTS = 200;
const MAX_TABLES = 5;
const MAX_TABLE_COLUMNS = 50;
const INTERACTIVE = new Set([
  'input', 'select_static', 'multi_select_static', 'date_picker', 'picker_time', 'picker_datetime',
  'checker', 'button', 'select_person', 'multi_select_person', 'select_img', 'overflow',
]);
const NOT_IN_FORM = new Set(['form', 'table', 'chart']);

/** Components nest in `elements` (body, form, column, panel) and in a column_set's `columns`. */
function children(node) {
  const lists = [];
  if (Array.isArray(node?.elements)) lists.push(node.elements);
  if (node?.tag === 'column_set' && Array.isArray(node.columns)) lists.push(node.columns);
  return lists;
}

/** The reasons Lark would refuse this card (empty when it is fine). */
export function checkLimits(card) {
  const flags = [];
  let json = '';
  try {
    json = JSON.stringify(card) ?? '';
  } catch {
    return ['卡片不是合法的 JSON'];
  }
  const size = new TextEncoder().encode(json).length;
  if (size > MAX_BYTES) flags.push(`卡片超过 30 KB（${size} 字节）`);
  const root = card?.schema === '2.0' ? card.body : card;
  if (!root || !Array.isArray(root.elements)) return [...flags, card?.schema === '2.0' ? '2.0 卡片缺少 body.elements' : '卡片缺少 elements'];

  let count = 0;
  let tables = 0;
  const names = new Set();
  const walk = (list, where) => {
    for (const node of list) {
      count += 1;
      const tag = node?.tag;
      if (tag === 'form' && !where.atRoot) flags.push(`表单容器“${node.name ?? ''}”不在卡片根节点（body.elements）`);
      if (where.inForm && NOT_IN_FORM.has(tag)) flags.push(`表单里不能放 ${tag}`);
      if (tag === 'table') {
        tables += 1;
        if ((node.columns ?? []).length > MAX_TABLE_COLUMNS) flags.push(`表格超过 ${MAX_TABLE_COLUMNS} 列`);
      }
      const name = typeof node?.name === 'string' ? node.name : '';
      if ((tag === 'form' || (where.inForm && INTERACTIVE.has(tag))) && name === '') flags.push(`${tag} 缺少 name（错误码 200530）`);
      if (name !== '') {
        if (names.has(name)) flags.push(`组件 name “${name}” 在卡片中重复`);
        names.add(name);
      }
      const inner = { inForm: where.inForm || tag === 'form', atRoot: false };
      for (const sub of children(node)) walk(sub, inner);
    }
  };
  walk(root.elements, { inForm: false, atRoot: true });
  if (count > MAX_ELEMENTS) flags.push(`组件超过 ${MAX_ELEMENTS} 个（共 ${count} 个，错误码 11310）`);
  if (tables > MAX_TABLES) flags.push(`表格超过 ${MAX_TABLES} 个（共 ${tables} 个）`);
  return flags;
}
