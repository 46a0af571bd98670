import { pgEnum, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** A person as Lark knows them; open_id is stable per app, so it is the key. */
export const users = pgTable('users', {
  openId: text('open_id').primaryKey(),
  name: text('name'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Roles that are not tied to a unit. Unit roles (liaison, member) live in unit_members. */
export const globalRole = pgEnum('global_role', ['admin', 'reviewer', 'leader']);

export const userRoles = pgTable(
  'user_roles',
  {
    userOpenId: text('user_open_id')
      .notNull()
      .references(() => users.openId),
    role: globalRole('role').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userOpenId, t.role] })],
);
