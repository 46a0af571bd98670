// Loads the demo cast into the database through the services (idempotent: safe on every start).
import type { Db } from '../../db/types.js';
import type { Clock } from '../clock.js';
import { grantRole, upsertUser } from '../services/actors.js';
import { ensureUnit, setUnitMember } from '../services/units.js';
import { demoPeople } from './demo-people.js';

export { demoAdminOpenIds } from './demo-people.js';

export async function seedDemo(db: Db, clock: Clock): Promise<void> {
  await db.transaction(async (tx) => {
    const ctx = { db: tx, clock };
    const at = clock.now();
    for (const p of demoPeople) {
      await upsertUser(tx, { openId: p.openId, name: p.name, at });
      if (p.role === 'admin' || p.role === 'reviewer' || p.role === 'leader') {
        await grantRole(tx, { openId: p.openId, role: p.role, at, actorOpenId: null });
      }
      if (p.unit) {
        const unit = await ensureUnit({ ctx, input: p.unit, actorOpenId: null });
        await setUnitMember({ ctx, input: { unitId: unit.id, openId: p.openId, role: 'liaison' }, actorOpenId: null });
      }
    }
  });
}
