// User-facing texts of units, people, roles and the bulk import.
export const unitMessages = {
  'unit.notFound': '没有找到单位“{name}”。{hint}',
  'unit.exists': '单位“{name}”已经存在，无需新建。要修改它的类型或标记，请用“/导入”发送包含它的表格。',
  'unit.invalid': '{detail}',
  'unit.notMember': '{person}不是“{unit}”的成员，无需移除。',
  'people.none': '请指定人员：在群里 @ 他（输入 @ 后从列表中选择），或直接写他的 open_id（ou_ 开头）。',
  'people.badMention': '“{word}”没有被识别为 @提及。请输入 @ 后从弹出的列表中选择此人，或直接写他的 open_id（ou_ 开头）。',
  'people.onlyOne': '这里只能指定一个人，你指定了 {count} 个。',
  'people.extraWords': '无法理解“{words}”。{usage}',
  'role.unknown': '没有角色“{role}”。可选的角色：评审、领导、管理员。',
  'role.selfRevoke': '不能撤销你自己的管理员角色，请让另一位管理员操作。',
  'import.unsupportedFile': '暂不支持“{file}”这种文件。请发送 .xlsx 或 .csv 文件（旧版 .xls 请先在 Excel 中另存为 .xlsx）。',
  'import.unreadable': '无法读取“{file}”：文件可能已损坏，或不是它的扩展名所示的格式。请在 Excel 中另存为 .xlsx 后重新发送。',
  'import.badPaste': '无法读取粘贴的内容：引号没有配对。请去掉单元格里的英文引号后重新发送，或直接发送 Excel/CSV 文件。',
  'import.noHeader': '“{file}”里没有内容。请在第一行写表头，下面每行写一个单位。',
  'import.noRows': '“{file}”只有表头，没有数据行。请在表头下面每行填写一个单位。',
  'import.tooManyRows': '一次最多导入 {max} 行，“{file}”有 {count} 行。请拆分后分批发送。',
} as const;
