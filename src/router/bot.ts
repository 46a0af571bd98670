// The transport-neutral entry point: webhooks, the long connection, the emulator and tests all
// feed Bot.handle(inbound). It decides and records; it never talks to Lark. The caller performs
// the returned outcome (sends the reply, answers the callback).
import type { Db } from '../../db/types.js';
import type { ActionResult, CardActionHandler, Command, CommandInfo, HandlerContext, Reply } from '../../commands/types.js';
import { decodeAction } from '../../cards/codec.js';
import type { Clock } from '../clock.js';
import { isAllowed, roleLabels, type Actor, type Role } from '../domain/roles.js';
import { DomainError, userMessageFor } from '../errors.js';
import { formatMessage } from '../i18n/messages.js';
import type { Logger } from '../log.js';
import { claimInbound } from '../services/inbound-events.js';
import { resolveActor, upsertUser } from '../services/actors.js';
import type { Inbound, InboundCardAction, InboundMessage } from './inbound.js';
import { parseLine } from './parse.js';

export type Outcome =
  | { kind: 'ignored'; reason: string }
  | { kind: 'duplicate' }
  | { kind: 'reply'; toMessageId: string; reply: Exclude<Reply, { kind: 'none' }> }
  | { kind: 'card'; response: ActionResult };

export interface BotDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  adminOpenIds: readonly string[];
  commands: readonly Command[];
  actions: readonly CardActionHandler[];
}

const text = (t: string): Reply => ({ kind: 'text', text: t });

function forbidden(command: string, allowed: readonly Role[]): DomainError {
  return new DomainError('auth.forbidden', { command, hint: `需要以下角色之一：${allowed.map((r) => roleLabels[r]).join('、')}。` });
}

export class Bot {
  private readonly catalog: readonly CommandInfo[];
  private readonly actionsByName: Map<string, CardActionHandler>;

  constructor(private readonly deps: BotDeps) {
    this.catalog = deps.commands.map(({ name, aliases, summary, usage, roles }) => ({ name, aliases, summary, usage, roles }));
    this.actionsByName = new Map(deps.actions.map((a) => [a.action, a]));
  }

  async handle(inbound: Inbound): Promise<Outcome> {
    switch (inbound.kind) {
      case 'message':
        return this.onMessage(inbound);
      case 'card_action':
        return this.onCardAction(inbound);
      default:
        return { kind: 'ignored', reason: `event ${inbound.eventType} not handled` };
    }
  }

  private async onMessage(m: InboundMessage): Promise<Outcome> {
    // In a group the bot only hears what is addressed to it.
    if (m.chatType === 'group' && !m.mentionsBot) return { kind: 'ignored', reason: 'group message without @bot' };
    const log = this.deps.log.child({ eventId: m.eventId, messageId: m.messageId, chat: m.chatId, user: m.senderOpenId });
    const now = this.deps.clock.now();

    const reply = await this.deps.db.transaction(async (tx) => {
      if (!(await claimInbound(tx, { dedupeKey: `msg:${m.messageId}`, eventId: m.eventId, kind: 'message', at: now }))) return undefined;
      await upsertUser(tx, { openId: m.senderOpenId, at: now });
      const actor = await resolveActor(tx, m.senderOpenId, this.deps.adminOpenIds);
      if (m.messageType !== 'text') return text(formatMessage('message.unsupported'));

      const parsed = parseLine(m.text, this.deps.commands);
      if (parsed.kind === 'not_command') return text(formatMessage('hint.notCommand'));
      if (parsed.kind === 'unknown') {
        return text(
          parsed.suggestion
            ? formatMessage('command.unknownWithSuggestion', { input: parsed.input, suggestion: `/${parsed.suggestion}` })
            : `${formatMessage('command.unknown', { input: parsed.input })}${formatMessage('hint.notCommand')}`,
        );
      }
      const { command, words } = parsed;
      const clog = log.child({ command: command.name });
      // A savepoint: a failed command undoes its own writes but the event stays recorded as handled.
      return this.guard(clog, () =>
        tx.transaction(async (sp) => {
          if (!isAllowed(actor, command.roles)) throw forbidden(command.name, command.roles);
          const ctx = { ...this.context(sp, actor, m.chatId, m.chatType, now), mentions: m.mentions };
          return command.invoke(ctx, words);
        }),
        text,
      );
    });

    if (reply === undefined) {
      log.info('duplicate message ignored');
      return { kind: 'duplicate' };
    }
    if (reply.kind === 'none') return { kind: 'ignored', reason: 'command returned nothing' };
    return { kind: 'reply', toMessageId: m.messageId, reply };
  }

  private async onCardAction(a: InboundCardAction): Promise<Outcome> {
    const log = this.deps.log.child({ eventId: a.eventId, messageId: a.openMessageId, chat: a.chatId, user: a.operatorOpenId });
    const now = this.deps.clock.now();
    const response = await this.deps.db.transaction(async (tx): Promise<ActionResult | undefined> => {
      if (!(await claimInbound(tx, { dedupeKey: `evt:${a.eventId}`, eventId: a.eventId, kind: 'card_action', at: now }))) return undefined;
      await upsertUser(tx, { openId: a.operatorOpenId, at: now });
      const payload = decodeAction(a.value);
      const handler = payload && this.actionsByName.get(payload.a);
      if (!payload || !handler) {
        log.warn({ value: a.value }, 'card payload rejected');
        return { toast: { type: 'error', content: formatMessage('card.stale') } };
      }
      const actor = await resolveActor(tx, a.operatorOpenId, this.deps.adminOpenIds);
      const alog = log.child({ action: payload.a });
      return this.guard(alog, () =>
        tx.transaction(async (sp) => {
          if (!isAllowed(actor, handler.roles)) throw new DomainError('card.forbidden');
          return handler.handle(this.context(sp, actor, a.chatId, 'unknown', now), payload, a.formValue);
        }),
        (message): ActionResult => ({ toast: { type: 'error', content: message } }),
      );
    });
    if (response === undefined) return { kind: 'duplicate' };
    return { kind: 'card', response };
  }

  private context(db: Db, actor: Actor, chatId: string, chatType: HandlerContext['chat']['type'], now: Date): HandlerContext {
    return { actor, chat: { id: chatId, type: chatType }, now, svc: { db, clock: this.deps.clock }, catalog: this.catalog };
  }

  /**
   * Errors are mapped here, once: a DomainError becomes its Chinese text, anything else a generic
   * apology plus one error log with the stack. `onError` shapes the text for the channel.
   */
  private async guard<T>(log: Logger, fn: () => Promise<T>, onError: (message: string) => T): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const { text: message, expected } = userMessageFor(err);
      if (expected && err instanceof DomainError) log.info({ code: err.code }, 'request refused');
      else log.error({ err }, 'handler failed');
      return onError(message);
    }
  }
}
