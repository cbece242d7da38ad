import { strict as assert } from 'node:assert';
import { STAGES } from '../../src/engine/model';
import { READINESS_ITEMS, readinessItemsFor, STAGE_TITLES } from '../../src/engine/readiness/catalog';

describe('readiness catalogue', () => {
  it('covers every stage in roadmap order with the catalogue counts', () => {
    assert.deepEqual(
      STAGES.map((stage) => [STAGE_TITLES[stage], readinessItemsFor(stage).length]),
      [['Audit', 10], ['DNS and redirects', 7], ['Edge and SSL', 9], ['Email', 8], ['Deployment', 7],
        ['Secrets and env', 6], ['Performance and caching', 7], ['Monitoring', 8], ['Handover', 6]],
    );
  });

  it('has unique ids whose letter names the stage, and only known modes', () => {
    const letters: Record<string, string> = { audit: 'A', dns: 'D', edge: 'E', email: 'M', deploy: 'R', secrets: 'S', performance: 'P', monitoring: 'O', handover: 'H' };
    assert.equal(new Set(READINESS_ITEMS.map((i) => i.id)).size, READINESS_ITEMS.length);
    for (const item of READINESS_ITEMS) {
      assert.match(item.id, new RegExp(`^${letters[item.stage]}\\d+$`), item.id);
      assert.ok(item.modes.length > 0 && item.modes.every((m) => m === 'R' || m === 'L' || m === 'H'), item.id);
    }
  });
});
