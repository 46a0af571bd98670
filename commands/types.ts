// The shape of a command spec and of what handlers return. Handlers never call Lark:
// they return a Reply (a message) or an ActionResult (a card callback answer).
import type { z } from 'zod';
import type { Card } from '../cards/types.js';
import type { CardAction, CardActionName } from '../cards/codec.js';
import type { Actor, Role } from '../src/domain/roles.js';
import type { Mention, Toast } from '../src/router/inbound.js';
import type { ServiceCtx } from '../src/services/context.js';
import { DomainError } from '../src/errors.js';

/**
 * A message the bot sends on its own to someone other than the asker (a notice, a decision). It is
 * planned in the outbox in the same transaction as the change; `key` makes it idempotent.
 */
export interface Notification {
  key: string;
  kind: string;
  to: { openId: string } | { chatId: string };
  message: { kind: 'text'; text: string } | { kind: 'card'; card: Card };
}

export type Reply = ({ kind: 'text'; text: string } | { kind: 'card'; card: Card } | { kind: 'none' }) & { notify?: Notification[] };

export interface ActionResult {
  toast?: Toast;
  card?: Card;
  notify?: Notification[];
}

/** What a command listing looks like to /帮助 and "did you mean". */
export interface CommandInfo {
  name: string;
  aliases: readonly string[];
  summary: string;
  usage: string;
  roles: readonly Role[];
}

/** A file the bot hands out behind a signed link (src/http/download-links.ts). */
export type Download = { kind: 'ledger'; ledgerId: number } | { kind: 'round'; campaignCode: string; roundId: number };

export interface DownloadLinks {
  /** A link for `openId` to `download`, valid for its kind's TTL from `now`. */
  link(download: Download, openId: string, now: Date): { url: string; expiresAt: Date };
}

export interface HandlerContext {
  actor: Actor;
  chat: { id: string; type: 'p2p' | 'group' | 'unknown' };
  now: Date;
  /** Database (inside this update's transaction) and clock, for service calls. */
  svc: ServiceCtx;
  /** The whole command table, for help. */
  catalog: readonly CommandInfo[];
  /** Signs download links (exports). */
  links: DownloadLinks;
  /** Admins named in configuration (ADMIN_OPEN_IDS); admins granted in the database are read through services. */
  configuredAdmins: readonly string[];
}

export interface CommandContext extends HandlerContext {
  mentions: Mention[];
  /** The message after the command words, line breaks and tabs kept (pasted rows); absent when a card re-runs a command. */
  text?: string;
  /** A file the user sent (CSV/XLSX), already downloaded; file messages run the 导入 command. */
  attachment?: { fileName: string; bytes: Uint8Array };
}

export interface CommandSpec<A> extends CommandInfo {
  /** Parses the words after the command name. Messages must be Chinese: they reach the user. */
  args: z.ZodType<A, string[]>;
  run(ctx: CommandContext, args: A): Promise<Reply>;
}

export interface Command extends CommandInfo {
  invoke(ctx: CommandContext, words: string[]): Promise<Reply>;
}

/** Erases the argument type so commands of different shapes sit in one table. */
export function defineCommand<A>(spec: CommandSpec<A>): Command {
  const { args, run, ...info } = spec;
  return {
    ...info,
    async invoke(ctx, words) {
      const parsed = args.safeParse(words);
      if (!parsed.success) {
        const detail = parsed.error.issues[0]?.message ?? '格式不对';
        throw new DomainError('command.badArgs', { command: info.name, detail, usage: info.usage });
      }
      return run(ctx, parsed.data);
    },
  };
}

export interface ActionSpec<N extends CardActionName> {
  action: N;
  roles: readonly Role[];
  run(ctx: HandlerContext, payload: Extract<CardAction, { a: N }>, form: Record<string, unknown> | undefined): Promise<ActionResult>;
}

export interface CardActionHandler {
  action: CardActionName;
  roles: readonly Role[];
  handle(ctx: HandlerContext, payload: CardAction, form: Record<string, unknown> | undefined): Promise<ActionResult>;
}

export function defineAction<N extends CardActionName>(spec: ActionSpec<N>): CardActionHandler {
  return {
    action: spec.action,
    roles: spec.roles,
    handle(ctx, payload, form) {
      // The table is keyed by `a`, so a payload routed here always has this shape.
      if (payload.a !== spec.action) throw new DomainError('card.stale');
      return spec.run(ctx, payload as Extract<CardAction, { a: N }>, form);
    },
  };
}
