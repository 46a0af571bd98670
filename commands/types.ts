// The shape of a command spec and of what handlers return. Handlers never call Lark:
// they return a Reply (a message) or an ActionResult (a card callback answer).
import type { z } from 'zod';
import type { Card } from '../cards/types.js';
import type { CardAction, CardActionName } from '../cards/codec.js';
import type { Actor, Role } from '../src/domain/roles.js';
import type { Mention, Toast } from '../src/router/inbound.js';
import type { ServiceCtx } from '../src/services/context.js';
import { DomainError } from '../src/errors.js';

export type Reply = { kind: 'text'; text: string } | { kind: 'card'; card: Card } | { kind: 'none' };

export interface ActionResult {
  toast?: Toast;
  card?: Card;
}

/** What a command listing looks like to /帮助 and "did you mean". */
export interface CommandInfo {
  name: string;
  aliases: readonly string[];
  summary: string;
  usage: string;
  roles: readonly Role[];
}

export interface HandlerContext {
  actor: Actor;
  chat: { id: string; type: 'p2p' | 'group' | 'unknown' };
  now: Date;
  /** Database (inside this update's transaction) and clock, for service calls. */
  svc: ServiceCtx;
  /** The whole command table, for help. */
  catalog: readonly CommandInfo[];
}

export interface CommandContext extends HandlerContext {
  mentions: Mention[];
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
