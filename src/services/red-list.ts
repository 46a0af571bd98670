// The red list (红榜, seed 002 measure 14): the office nominates tasks, units or people with a reason, publishes the
// list to the ledger's work group, and may withdraw an entry with a reason. Every change is audited.
import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import { ledgers, redList } from '../../db/schema/index.js';
import { DomainError } from '../errors.js';
import { recordAudit } from './audit.js';
import type { ServiceCtx } from './context.js';
import { findLedger, ledgerById, type LedgerRow } from './ledgers.js';

export type RedListRow = typeof redList.$inferSelect;
export type RedListSubject = { type: 'task'; taskId: number; ledgerId: number; name: string } | { type: 'unit'; unitId: number; name: string } | { type: 'person'; openId: string; name: string };

export const RED_LIST_REASON_MAX = 500;

function reasonOf(raw: string): string {
  const reason = raw.trim();
  if (reason === '') throw new DomainError('redList.reasonRequired');
  if ([...reason].length > RED_LIST_REASON_MAX) throw new DomainError('redList.tooLong', { max: RED_LIST_REASON_MAX });
  return reason;
}

/** Nominates a subject onto the ledger's red list (a task's own ledger; otherwise the only active one). */
export async function nominate({ ctx, input, actorOpenId }: { ctx: ServiceCtx; input: { subject: RedListSubject; reason: string; ledgerId?: number }; actorOpenId: string }): Promise<RedListRow> {
  const reason = reasonOf(input.reason);
  const { subject } = input;
  const ledger = subject.type === 'task' ? await ledgerById(ctx.db, subject.ledgerId) : input.ledgerId !== undefined ? await ledgerById(ctx.db, input.ledgerId) : await findLedger({ ctx });
  const subjectId = subject.type === 'task' ? String(subject.taskId) : subject.type === 'unit' ? String(subject.unitId) : subject.openId;
  // Serialises nominations of one ledger, so the duplicate check below holds under races.
  await ctx.db.select({ id: ledgers.id }).from(ledgers).where(eq(ledgers.id, ledger.id)).for('update');
  const [dup] = await ctx.db
    .select()
    .from(redList)
    .where(and(eq(redList.ledgerId, ledger.id), eq(redList.subjectType, subject.type), eq(redList.subjectId, subjectId), ne(redList.status, 'withdrawn')));
  if (dup) throw new DomainError('redList.duplicate', { name: dup.subjectName, id: dup.id });
  const at = ctx.clock.now();
  const [row] = await ctx.db
    .insert(redList)
    .values({ ledgerId: ledger.id, subjectType: subject.type, subjectId, subjectName: subject.name, reason, nominatedBy: actorOpenId, createdAt: at })
    .returning();
  if (!row) throw new Error('red list insert returned nothing');
  await recordAudit(ctx.db, { at, actorOpenId, action: 'redList.nominate', entityType: 'red_list', entityId: String(row.id), after: row, reason });
  return row;
}

/** The entries of a ledger: the office sees nominations and withdrawals too; everyone else the published list. */
export async function listRedList({ ctx, ledgerId, includeAll }: { ctx: ServiceCtx; ledgerId?: number; includeAll: boolean }): Promise<{ ledger: LedgerRow; entries: RedListRow[] }> {
  const ledger = ledgerId !== undefined ? await ledgerById(ctx.db, ledgerId) : await findLedger({ ctx });
  const entries = await ctx.db
    .select()
    .from(redList)
    .where(and(eq(redList.ledgerId, ledger.id), includeAll ? undefined : eq(redList.status, 'published')))
    .orderBy(asc(redList.id));
  return { ledger, entries };
}

/** Publishes every pending nomination; the caller posts the notice to the ledger's bound group (required). */
export async function publishRedList({ ctx, input, actorOpenId }: { ctx: ServiceCtx; input: { ledgerId?: number }; actorOpenId: string }): Promise<{ ledger: LedgerRow; chatId: string; published: RedListRow[]; all: RedListRow[] }> {
  const ledger = input.ledgerId !== undefined ? await ledgerById(ctx.db, input.ledgerId) : await findLedger({ ctx });
  if (!ledger.noticeChatId) throw new DomainError('redList.noGroup', { title: ledger.title });
  const pending = await ctx.db.select().from(redList).where(and(eq(redList.ledgerId, ledger.id), eq(redList.status, 'nominated'))).orderBy(asc(redList.id)).for('update');
  if (pending.length === 0) throw new DomainError('redList.nothingToPublish');
  const at = ctx.clock.now();
  const published = await ctx.db
    .update(redList)
    .set({ status: 'published', publishedAt: at })
    .where(and(inArray(redList.id, pending.map((p) => p.id)), eq(redList.status, 'nominated')))
    .returning();
  for (const row of published) {
    await recordAudit(ctx.db, { at, actorOpenId, action: 'redList.publish', entityType: 'red_list', entityId: String(row.id), before: { status: 'nominated' }, after: { status: 'published', publishedAt: at } });
  }
  const all = await ctx.db.select().from(redList).where(and(eq(redList.ledgerId, ledger.id), eq(redList.status, 'published'))).orderBy(asc(redList.id));
  return { ledger, chatId: ledger.noticeChatId, published: published.sort((a, b) => a.id - b.id), all };
}

/** Withdraws an entry (nominated or published) with a reason. */
export async function withdrawRedListEntry({ ctx, input, actorOpenId }: { ctx: ServiceCtx; input: { entryId: number; reason: string }; actorOpenId: string }): Promise<RedListRow> {
  const reason = reasonOf(input.reason);
  const [row] = await ctx.db.select().from(redList).where(eq(redList.id, input.entryId)).for('update');
  if (!row) throw new DomainError('redList.notFound', { id: input.entryId });
  if (row.status === 'withdrawn') throw new DomainError('redList.alreadyWithdrawn', { id: row.id });
  const [after] = await ctx.db.update(redList).set({ status: 'withdrawn', withdrawReason: reason }).where(eq(redList.id, row.id)).returning();
  if (!after) throw new Error(`red list entry ${row.id} vanished under a row lock`);
  await recordAudit(ctx.db, { at: ctx.clock.now(), actorOpenId, action: 'redList.withdraw', entityType: 'red_list', entityId: String(row.id), before: { status: row.status }, after: { status: 'withdrawn' }, reason });
  return after;
}
