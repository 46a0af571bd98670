// A small XLSX writer for big plain tables: one worksheet per table, inline strings, numbers as numbers, the header
// row frozen, column widths; zipped with Node's own deflate and CRC-32. It writes in a fraction of the time (and
// garbage) a general-purpose library needs for a hundred thousand rows, which is what the year-end export is.
// Reading XLSX (imports) stays with exceljs.
import { crc32, deflateRawSync } from 'node:zlib';

export type Cell = string | number | null | undefined;

export interface SheetSpec {
  /** Up to 31 characters, none of : \ / ? * [ ]. */
  name: string;
  columns: readonly { header: string; width: number }[];
  rows: Iterable<readonly Cell[]>;
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

// Characters XML 1.0 does not allow (C0 controls other than tab, line feed and carriage return; U+FFFE, U+FFFF)
// are dropped; the three that matter in text are escaped.
// eslint-disable-next-line no-control-regex -- finding control characters is the point of this pattern
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
// eslint-disable-next-line no-control-regex -- as above, plus the three characters that need escaping
const NEEDS_WORK = /[&<>\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
function xmlText(s: string): string {
  if (!NEEDS_WORK.test(s)) return s;
  return s
    .replace(FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
const xmlAttr = (s: string): string => xmlText(s).replace(/"/g, '&quot;');

/** A, B, … Z, AA, AB … */
function columnName(i: number): string {
  let n = i + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** Collects text in ~64 KB buffers: no array of a hundred thousand row strings, no 40 MB string. */
class Chunks {
  private readonly done: Buffer[] = [];
  private open = '';
  push(s: string): void {
    this.open += s;
    if (this.open.length > 32_768) {
      this.done.push(Buffer.from(this.open, 'utf8'));
      this.open = '';
    }
  }
  buffer(): Buffer {
    if (this.open) this.done.push(Buffer.from(this.open, 'utf8'));
    this.open = '';
    return Buffer.concat(this.done);
  }
}

function sheetXml(sheet: SheetSpec): Buffer {
  const letters = sheet.columns.map((_, i) => columnName(i));
  const parts = new Chunks();
  parts.push(
    `${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">` +
      '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>' +
      `<cols>${sheet.columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"/>`).join('')}</cols>` +
      '<sheetData>',
  );
  const row = (r: number, cells: readonly Cell[]): string => {
    let xml = `<row r="${r}">`;
    cells.forEach((v, i) => {
      if (v === null || v === undefined || v === '') return;
      const ref = `${letters[i] ?? columnName(i)}${r}`;
      xml += typeof v === 'number' && Number.isFinite(v) ? `<c r="${ref}"><v>${v}</v></c>` : `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlText(String(v))}</t></is></c>`;
    });
    return `${xml}</row>`;
  };
  parts.push(row(1, sheet.columns.map((c) => c.header)));
  let r = 1;
  for (const cells of sheet.rows) parts.push(row((r += 1), cells));
  parts.push('</sheetData></worksheet>');
  return parts.buffer();
}

interface Entry {
  name: string;
  data: Buffer;
}

/** A zip archive (deflate, no zip64: every part stays well under 4 GB). */
function zip(entries: readonly Entry[]): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    // Level 1: most of the size win for a fraction of the time on repetitive XML.
    const packed = deflateRawSync(e.data, { level: 1 });
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0x00210000, 10); // 1980-01-01 00:00 (DOS time, date)
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt32LE(0x00210000, 12);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(packed.length, 20);
    dir.writeUInt32LE(e.data.length, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    chunks.push(local, name, packed);
    central.push(dir, name);
    offset += local.length + name.length + packed.length;
  }
  const dirSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, ...central, end]);
}

/** The workbook as XLSX bytes. */
export function writeXlsx(sheets: readonly SheetSpec[], meta: { creator: string; created: Date }): Buffer {
  if (sheets.length === 0) throw new RangeError('a workbook needs at least one sheet');
  const ids = sheets.map((_, i) => i + 1);
  const text = (s: string): Buffer => Buffer.from(s, 'utf8');
  const entries: Entry[] = [
    {
      name: '[Content_Types].xml',
      data: text(
        `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
          ids.map((i) => `<Override PartName="/xl/worksheets/sheet${i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('') +
          '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>',
      ),
    },
    {
      name: '_rels/.rels',
      data: text(
        `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
          `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/>` +
          '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>',
      ),
    },
    {
      name: 'docProps/core.xml',
      data: text(
        `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
          `<dc:creator>${xmlText(meta.creator)}</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">${meta.created.toISOString().replace(/\.\d{3}Z$/, 'Z')}</dcterms:created></cp:coreProperties>`,
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: text(`${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets>${sheets.map((s, i) => `<sheet name="${xmlAttr(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: text(
        `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
          ids.map((i) => `<Relationship Id="rId${i}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i}.xml"/>`).join('') +
          '</Relationships>',
      ),
    },
    ...sheets.map((s, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: sheetXml(s) })),
  ];
  return zip(entries);
}
