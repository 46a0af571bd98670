// The 评审专家 table of /导入 (issue 5): names reviewers for each campaign's open round, and records the unit
// each one works in (a unit membership, which review assignment reads for conflicts of interest). All rows or
// none: every row is checked first (fields, unit exists, campaign has an open round), then written in one savepoint.
import { inArray } from 'drizzle-orm';
import { units } from '../../db/schema/index.js';
import { reviewerImportFormat, validateReviewerRows, type ReviewerImportRow } from '../domain/review/reviewer-import.js';
import { MAX_IMPORT_ROWS, matchHeader, nonBlankRows, type RowProblem } from '../domain/unit-import.js';
import { DomainError } from '../errors.js';
import { recordAudit } from './audit.js';
import type { ServiceCtx } from './context.js';
import { addRoundReviewers, openRoundOf } from './review-rounds.js';
import type { Table } from './unit-import.js';
import { addMember, type WriteMeta } from './units.js';

export interface ReviewerImportGroup {
  campaignCode: string;
  campaignName: string;
  roundId: number;
  roundLabel: string;
  /** Open ids of the reviewers newly named, in file order (for their notices). */
  addedOpenIds: string[];
  added: string[];
  already: string[];
}

export type ReviewerImportResult =
  | { kind: 'badHeader'; missing: string[]; unknown: string[]; duplicate: string[] }
  | { kind: 'empty' }
  | { kind: 'tooMany'; count: number; max: number }
  | { kind: 'rejected'; rowCount: number; problems: RowProblem[] }
  | { kind: 'done'; rowCount: number; groups: ReviewerImportGroup[]; membershipsAdded: number };

const codeOf = (row: ReviewerImportRow): string => row.campaignCode ?? '';

/** Imports a reviewers table; nothing is written unless every row is right. */
export async function importReviewers({ ctx, input, actorOpenId }: { ctx: ServiceCtx; input: { table: Table }; actorOpenId: string }): Promise<ReviewerImportResult> {
  const { table } = input;
  const match = matchHeader(table.header.cells, reviewerImportFormat);
  if (!match.ok) return { kind: 'badHeader', missing: match.missing, unknown: match.unknown, duplicate: match.duplicate };
  const dataRows = nonBlankRows(table.rows);
  if (dataRows.length === 0) return { kind: 'empty' };
  if (dataRows.length > MAX_IMPORT_ROWS) return { kind: 'tooMany', count: dataRows.length, max: MAX_IMPORT_ROWS };
  const checked = validateReviewerRows(dataRows, match.index);

  return ctx.db.transaction(async (tx) => {
    const txCtx: ServiceCtx = { ...ctx, db: tx };
    const problems = new Map<number, string[]>();
    const problem = (rowNumber: number, reason: string) => problems.set(rowNumber, [...(problems.get(rowNumber) ?? []), reason]);
    for (const p of checked.problems) problem(p.rowNumber, p.reason);

    // Units must exist: a reviewer's unit decides which items they may not review.
    const unitNames = [...new Set(checked.rows.flatMap((r) => (r.unitName ? [r.unitName] : [])))];
    const found = unitNames.length ? await tx.select({ id: units.id, name: units.name }).from(units).where(inArray(units.name, unitNames)) : [];
    const unitId = new Map(found.map((u) => [u.name, u.id]));
    for (const r of checked.rows) {
      if (r.unitName && !unitId.has(r.unitName)) problem(r.rowNumber, `所在单位“${r.unitName}”不是已有单位，请核对名称（发送“/单位 列表”查看），或留空`);
    }

    // Each campaign named (or the active one, when the cell is empty) must have an open round to name reviewers for.
    const campaignOf = new Map<string, { code: string } | undefined>();
    for (const code of new Set(checked.rows.map(codeOf))) {
      try {
        const { campaign } = await openRoundOf(txCtx, code || undefined, 'share');
        campaignOf.set(code, { code: campaign.code });
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        campaignOf.set(code, undefined);
        const why = code ? e.userMessage() : `没有填写活动代码，且${e.userMessage()}`;
        for (const r of checked.rows) if (codeOf(r) === code) problem(r.rowNumber, why);
      }
    }
    // Rows grouped by the campaign they resolve to; a person twice in one campaign is a mistake in the file.
    const groups = new Map<string, ReviewerImportRow[]>();
    for (const r of checked.rows) {
      const campaign = campaignOf.get(codeOf(r));
      if (!campaign) continue;
      const rows = groups.get(campaign.code) ?? [];
      const first = rows.find((x) => x.person.openId === r.person.openId);
      if (first && codeOf(first) !== codeOf(r)) problem(r.rowNumber, `评审专家“${r.person.openId}”与第${first.rowNumber}行重复（同一活动），每人只能写一行`);
      else if (!first) groups.set(campaign.code, [...rows, r]);
    }
    if (problems.size) {
      const list = [...problems].map(([rowNumber, reasons]) => ({ rowNumber, reason: reasons.join('；') })).sort((a, b) => a.rowNumber - b.rowNumber);
      return { kind: 'rejected' as const, rowCount: dataRows.length, problems: list };
    }

    const meta: WriteMeta = { at: ctx.clock.now(), actorOpenId };
    let membershipsAdded = 0;
    for (const r of checked.rows) {
      const id = r.unitName ? unitId.get(r.unitName) : undefined;
      if (id !== undefined && (await addMember(tx, meta, id, r.person)) === 'added') membershipsAdded++;
    }
    const done: ReviewerImportGroup[] = [];
    for (const [code, rows] of groups) {
      const result = await addRoundReviewers({ ctx: txCtx, actorOpenId, input: { campaignCode: code, people: rows.map((r) => r.person) } });
      done.push({
        campaignCode: result.campaign.code,
        campaignName: result.campaign.name,
        roundId: result.round.id,
        roundLabel: result.round.label,
        addedOpenIds: result.added.map((p) => p.openId),
        added: result.added.map((p) => p.name ?? p.openId),
        already: result.already.map((p) => p.name ?? p.openId),
      });
    }
    const summary = { rowCount: dataRows.length, groups: done.map((g) => ({ code: g.campaignCode, added: g.added.length, already: g.already.length })), membershipsAdded };
    await recordAudit(tx, { ...meta, action: 'review.reviewers.import', entityType: 'import', entityId: table.source, after: summary });
    return { kind: 'done' as const, rowCount: dataRows.length, groups: done, membershipsAdded };
  });
}
