import { type AnyPgColumn, boolean, integer, pgEnum, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './users.js';

/** 县区, 园区 (a park sits under its district), 市直部门, 人民团体 (seed 000 §四). */
export const unitType = pgEnum('unit_type', ['county', 'park', 'department', 'organisation']);

export const units = pgTable('units', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  type: unitType('type').notNull(),
  parentId: integer('parent_id').references((): AnyPgColumn => units.id),
  /** Seed 000 §五: vice-department-level-or-above units may not apply. */
  viceDepartmentLevel: boolean('vice_department_level').notNull().default(false),
  /** Seed 000 §五: party committees and governments at county level or above may not apply. */
  countyPartyOrGovernment: boolean('county_party_or_government').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const unitRole = pgEnum('unit_role', ['liaison', 'member']);

export const unitMembers = pgTable(
  'unit_members',
  {
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    userOpenId: text('user_open_id')
      .notNull()
      .references(() => users.openId),
    role: unitRole('role').notNull(),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.userOpenId] })],
);
