// The deferred renderers the outbox sender needs for reminders, keyed by the rows' renderer name.
import type { GroupRenderer, OutboxRenderer } from '../outbox-sender.js';
import { adminDigestRenderer } from './admin-digest.js';
import { deadlineReminderRenderer } from './deadline-reminder.js';
import { groupProgressRenderer } from './group-progress.js';
import type { RendererOptions } from './shared.js';

export function reminderRenderers(opts: RendererOptions = {}): {
  renderers: Record<string, OutboxRenderer>;
  groupRenderers: Record<string, GroupRenderer>;
} {
  return {
    renderers: { 'deadline.progress': groupProgressRenderer(opts) },
    groupRenderers: { 'deadline.reminder': deadlineReminderRenderer(opts), 'deadline.digest': adminDigestRenderer(opts) },
  };
}
