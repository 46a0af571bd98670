export * from './users.js';
export * from './units.js';
export * from './inbound-events.js';
export * from './audit-log.js';
export * from './campaigns.js';
export * from './outbox.js';
export * from './reminders.js';
