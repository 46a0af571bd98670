// Inbound Lark traffic (webhook envelopes or the long connection's flattened events) →
// normalized Inbound → Bot → Lark's answer. Replies are sent after the answer, in the
// background, so Lark gets its 200 well within 3 s; drain() waits for them (SIGTERM, tests).
import type { Bot, Outcome } from '../router/bot.js';
import type { Inbound } from '../router/inbound.js';
import type { Logger } from '../log.js';
import type { ActionResult, Reply } from '../../commands/types.js';
import type { LarkEnvelope } from './envelope.js';
import { LarkApiError, type Messenger, type OutboundMessage } from './messenger.js';
import { normalizeEnvelope, normalizeFlatEvent } from './normalize.js';
import { larkUuid } from './sdk-messenger.js';

/** The body Lark expects in answer to a card callback. */
export interface CardCallbackAnswer {
  toast?: ActionResult['toast'];
  card?: { type: 'raw'; data: unknown };
}

export function toOutbound(reply: Exclude<Reply, { kind: 'none' }>): OutboundMessage {
  return reply.kind === 'text' ? { kind: 'text', text: reply.text } : { kind: 'card', card: reply.card };
}

export class InboundPipeline {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly deps: {
      bot: Bot;
      messenger: Messenger;
      log: Logger;
      botOpenId: () => string | undefined;
      /** Called after a handler planned notifications (the outbox sender's kick). */
      onNotified: () => Promise<void>;
    },
  ) {}

  handleEnvelope(env: LarkEnvelope): Promise<CardCallbackAnswer | Record<string, never>> {
    return this.handleInbound(normalizeEnvelope(env, this.deps.botOpenId()));
  }

  /** The WSClient path: the SDK's EventDispatcher flattens {...header, ...event}. */
  handleFlat(eventType: string, data: unknown): Promise<CardCallbackAnswer | Record<string, never>> {
    return this.handleInbound(normalizeFlatEvent(eventType, data, this.deps.botOpenId()));
  }

  async handleInbound(inbound: Inbound): Promise<CardCallbackAnswer | Record<string, never>> {
    const outcome = await this.deps.bot.handle(inbound);
    return this.perform(outcome);
  }

  /** Waits until every reply started so far has been sent or has failed for good. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private perform(outcome: Outcome): CardCallbackAnswer | Record<string, never> {
    if ('notified' in outcome && outcome.notified > 0) this.track(this.deps.onNotified());
    switch (outcome.kind) {
      case 'reply': {
        this.track(this.sendReply(outcome.toMessageId, toOutbound(outcome.reply)));
        return {};
      }
      case 'card': {
        const { toast, card } = outcome.response;
        const answer: CardCallbackAnswer = {};
        if (toast) answer.toast = toast;
        if (card) answer.card = { type: 'raw', data: card };
        return answer;
      }
      default:
        return {};
    }
  }

  private async sendReply(messageId: string, message: OutboundMessage): Promise<void> {
    try {
      // The uuid comes from the message being answered, so a retried reply is delivered once.
      await this.deps.messenger.reply(messageId, message, larkUuid(`reply:${messageId}`));
    } catch (err) {
      if (err instanceof LarkApiError) {
        this.deps.log.error({ messageId, httpStatus: err.httpStatus, larkCode: err.larkCode, larkMsg: err.larkMsg }, 'reply failed');
      } else {
        this.deps.log.error({ err, messageId }, 'reply failed');
      }
    }
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }
}
