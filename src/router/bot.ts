// The transport-neutral entry point: webhooks, the long connection, the emulator and tests all
// feed Bot.handle(inbound). It decides and records; it never talks to Lark. The caller performs
// the returned outcome (sends the reply, answers the callback).
import type { Db } from '../../db/types.js';
import type { ActionResult, CardActionHandler, Command, CommandInfo, DownloadLinks, HandlerContext, Notification, Reply } from '../../commands/types.js';
import { decodeAction } from '../../cards/codec.js';
import type { Clock } from '../clock.js';
import { isAllowed, roleLabels, type Actor, type Role } from '../domain/roles.js';
import { DomainError, userMessageFor } from '../errors.js';
import { formatMessage } from '../i18n/messages.js';
import type { Logger } from '../log.js';
import { claimInbound } from '../services/inbound-events.js';
import { enqueueOutbox } from '../services/outbox.js';
import { resolveActor, upsertUser } from '../services/actors.js';
import type { Inbound, InboundCardAction, InboundMessage } from './inbound.js';
import { parseLine } from './parse.js';

export type Outcome =
  | { kind: 'ignored'; reason: string }
  | { kind: 'duplicate' }
  | { kind: 'reply'; toMessageId: string; reply: Exclude<Reply, { kind: 'none' }>; notified: number }
  | { kind: 'card'; response: ActionResult; notified: number }
  | { kind: 'notified'; notified: number };

/** Where file messages are fetched from (implemented over the Lark resource endpoint). */
export interface FileSource {
  downloadFile(messageId: string, fileKey: string): Promise<Uint8Array>;
}

/** Files larger than this are refused before anything is parsed. */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
const IMPORT_COMMAND = '导入';

export interface BotDeps {
  files: FileSource;
  db: Db;
  clock: Clock;
  log: Logger;
  adminOpenIds: readonly string[];
  commands: readonly Command[];
  actions: readonly CardActionHandler[];
  /** Signs the download links commands hand out. */
  links: DownloadLinks;
}

const text = (t: string): Reply => ({ kind: 'text', text: t });

function parseFileContent(content: string): { fileKey: string; fileName: string } | undefined {
  try {
    const parsed: unknown = JSON.parse(content);
    if (parsed && typeof parsed === 'object' && 'file_key' in parsed && typeof parsed.file_key === 'string') {
      const name = 'file_name' in parsed && typeof parsed.file_name === 'string' ? parsed.file_name : 'upload';
      return { fileKey: parsed.file_key, fileName: name };
    }
  } catch {
    // not JSON: treated as an unsupported message below
  }
  return undefined;
}

/** A handler's result and how many notifications it planned in the outbox. */
interface Handled<T> {
  result: T;
  notified: number;
}
const handled = <T>(result: T, notified = 0): Handled<T> => ({ result, notified });

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

    // A file is fetched before the transaction opens, so no transaction waits on the network.
    const attachment = m.messageType === 'file' ? await this.fetchAttachment(m, log) : undefined;

    const done = await this.deps.db.transaction(async (tx): Promise<Handled<Reply> | undefined> => {
      if (!(await claimInbound(tx, { dedupeKey: `msg:${m.messageId}`, eventId: m.eventId, kind: 'message', at: now }))) return undefined;
      await upsertUser(tx, { openId: m.senderOpenId, at: now });
      const actor = await resolveActor(tx, m.senderOpenId, this.deps.adminOpenIds);
      if (attachment && 'error' in attachment) return handled(text(attachment.error));
      if (m.messageType !== 'text' && !attachment) return handled(text(formatMessage('message.unsupported')));

      const parsed = attachment ? parseLine(`/${IMPORT_COMMAND}`, this.deps.commands) : parseLine(m.text, this.deps.commands);
      if (attachment && parsed.kind !== 'command') return handled(text(formatMessage('message.unsupported')));
      if (parsed.kind === 'not_command') return handled(text(formatMessage('hint.notCommand')));
      if (parsed.kind === 'unknown') {
        return handled(
          text(
            parsed.suggestion
              ? formatMessage('command.unknownWithSuggestion', { input: parsed.input, suggestion: `/${parsed.suggestion}` })
              : `${formatMessage('command.unknown', { input: parsed.input })}${formatMessage('hint.notCommand')}`,
          ),
        );
      }
      const { command, words, rest } = parsed;
      // A savepoint: a failed command undoes its own writes but the event stays recorded as handled.
      return this.guard(
        log.child({ command: command.name }),
        () =>
          tx.transaction(async (sp) => {
            if (!isAllowed(actor, command.roles)) throw forbidden(command.name, command.roles);
            const ctx = { ...this.context(sp, actor, m.chatId, m.chatType, now), mentions: m.mentions, text: rest, ...(attachment ? { attachment } : {}) };
            const result = await command.invoke(ctx, words);
            return handled(result, await this.plan(sp, result.notify, now));
          }),
        (message) => handled(text(message)),
      );
    });

    if (done === undefined) {
      log.info('duplicate message ignored');
      return { kind: 'duplicate' };
    }
    const { result: reply, notified } = done;
    if (reply.kind === 'none') return notified ? { kind: 'notified', notified } : { kind: 'ignored', reason: 'command returned nothing' };
    return { kind: 'reply', toMessageId: m.messageId, reply, notified };
  }

  private async onCardAction(a: InboundCardAction): Promise<Outcome> {
    const log = this.deps.log.child({ eventId: a.eventId, messageId: a.openMessageId, chat: a.chatId, user: a.operatorOpenId });
    const now = this.deps.clock.now();
    const done = await this.deps.db.transaction(async (tx): Promise<Handled<ActionResult> | undefined> => {
      if (!(await claimInbound(tx, { dedupeKey: `evt:${a.eventId}`, eventId: a.eventId, kind: 'card_action', at: now }))) return undefined;
      await upsertUser(tx, { openId: a.operatorOpenId, at: now });
      const payload = decodeAction(a.value);
      const handler = payload && this.actionsByName.get(payload.a);
      if (!payload || !handler) {
        log.warn({ value: a.value }, 'card payload rejected');
        return handled({ toast: { type: 'error', content: formatMessage('card.stale') } });
      }
      const actor = await resolveActor(tx, a.operatorOpenId, this.deps.adminOpenIds);
      return this.guard(
        log.child({ action: payload.a }),
        () =>
          tx.transaction(async (sp) => {
            if (!isAllowed(actor, handler.roles)) throw new DomainError('card.forbidden');
            const result = await handler.handle(this.context(sp, actor, a.chatId, 'unknown', now), payload, a.formValue);
            return handled(result, await this.plan(sp, result.notify, now));
          }),
        (message) => handled<ActionResult>({ toast: { type: 'error', content: message } }),
      );
    });
    if (done === undefined) return { kind: 'duplicate' };
    const { notify: _planned, ...response } = done.result;
    return { kind: 'card', response, notified: done.notified };
  }

  private async fetchAttachment(m: InboundMessage, log: Logger): Promise<{ fileName: string; bytes: Uint8Array } | { error: string }> {
    const file = parseFileContent(m.content);
    if (!file) return { error: formatMessage('message.unsupported') };
    try {
      const bytes = await this.deps.files.downloadFile(m.messageId, file.fileKey);
      if (bytes.byteLength > MAX_ATTACHMENT_BYTES) return { error: formatMessage('file.tooLarge', { max: '5 MB' }) };
      return { fileName: file.fileName, bytes };
    } catch (err) {
      log.error({ err }, 'file download failed');
      return { error: formatMessage('file.downloadFailed') };
    }
  }

  /** Plans a handler's notifications in the outbox, inside the handler's own savepoint. */
  private async plan(db: Db, notify: Notification[] | undefined, now: Date): Promise<number> {
    if (!notify?.length) return 0;
    return enqueueOutbox(
      db,
      notify.map((n) => ({ key: n.key, kind: n.kind, to: n.to, payload: n.message, dueAt: now })),
      now,
    );
  }

  private context(db: Db, actor: Actor, chatId: string, chatType: HandlerContext['chat']['type'], now: Date): HandlerContext {
    return { actor, chat: { id: chatId, type: chatType }, now, svc: { db, clock: this.deps.clock }, catalog: this.catalog, links: this.deps.links, configuredAdmins: this.deps.adminOpenIds };
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
