// The long connection (default transport): outbound-only, no public URL needed. Events and card
// callbacks arrive through the SDK's EventDispatcher and go into the same pipeline as webhooks.
import * as lark from '@larksuiteoapi/node-sdk';
import type { LarkConfig } from '../config.js';
import type { Logger } from '../log.js';
import { LarkEventShapeError } from './normalize.js';
import type { InboundPipeline } from './pipeline.js';

export interface LongConnection {
  close(): void;
}

export async function startLongConnection(cfg: LarkConfig, pipeline: InboundPipeline, log: Logger): Promise<LongConnection> {
  const handle = (eventType: string) => async (data: unknown) => {
    try {
      return await pipeline.handleFlat(eventType, data);
    } catch (err) {
      // A malformed event will not improve on redelivery: log it once and acknowledge.
      if (err instanceof LarkEventShapeError) {
        log.warn({ eventType, reason: err.reason }, 'malformed long-connection event dropped');
        return {};
      }
      // Anything else: throwing makes Lark redeliver later, and dedupe makes that safe.
      log.error({ err, eventType }, 'long-connection event failed');
      throw err;
    }
  };
  const dispatcher = new lark.EventDispatcher({ encryptKey: cfg.encryptKey, verificationToken: cfg.verificationToken }).register({
    'im.message.receive_v1': handle('im.message.receive_v1'),
    'card.action.trigger': handle('card.action.trigger'),
  });
  let ready!: () => void;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));
  const ws = new lark.WSClient({
    appId: cfg.appId,
    appSecret: cfg.appSecret,
    domain: cfg.domain,
    loggerLevel: lark.LoggerLevel.warn,
    onReady: () => ready(),
  });
  if (!/^cli_[0-9a-fA-F]{16}$/.test(cfg.appId)) {
    // WSClient.start() silently does nothing for other ids (LARK.md §8): say so instead.
    throw new Error(`LARK_APP_ID "${cfg.appId}" does not look like cli_ + 16 hex digits; the long connection cannot start`);
  }
  await ws.start({ eventDispatcher: dispatcher });
  await readyPromise;
  log.info('long connection to Lark is ready');
  return { close: () => ws.close({ force: true }) };
}
