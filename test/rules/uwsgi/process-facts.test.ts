import { describe, expect, it } from 'vitest';
import type { MigrationDecisions } from '../../../src/core/model.js';
import { GravityDraft } from '../../../rules/uwsgi/draft.js';
import { addProcessFacts } from '../../../rules/uwsgi/process-facts.js';

/** decisions.processes as the process-manager family gives it (built by hand here). */
const decisions = {
  forwardedAllowAll: false,
  legacyListeners: [],
  handlers: [],
  processes: {
    manager: 'supervisor',
    top: [
      { key: 'process_manager', value: 'supervisor' },
      { key: 'umask', value: '022' },
      { key: 'virtualenv', value: '/srv/galaxy/venv' },
      { key: 'galaxy_root', value: '/srv/galaxy/server' },
    ],
    gunicorn: [{ key: 'stop_timeout', value: 65 }, { key: 'workers', value: 3 }],
    environment: [{ key: 'TMPDIR', value: '/tmp/galaxy' }, { key: 'LANG', value: 'C' }],
    handlers: [],
    staticHandlers: [],
  },
} as unknown as MigrationDecisions; // only the fields addProcessFacts reads

describe('settings of the legacy process manager in the gravity: section', () => {
  it('fill what the uWSGI configuration left open; uWSGI wins where both say something', () => {
    const d = new GravityDraft();
    d.top.set('umask', '027');
    d.gunicorn.set('workers', 4);
    d.environment.set('LANG', 'C.UTF-8');
    const notes = addProcessFacts(d, decisions, { galaxy: '23.0' });
    expect([...d.top]).toEqual([['umask', '027'], ['process_manager', 'supervisor'], ['virtualenv', '/srv/galaxy/venv'], ['galaxy_root', '/srv/galaxy/server']]);
    expect([...d.gunicorn]).toEqual([['workers', 4], ['stop_timeout', 65]]);
    expect([...d.environment]).toEqual([['LANG', 'C.UTF-8'], ['TMPDIR', '/tmp/galaxy']]);
    expect(notes).toHaveLength(1);
  });

  it('leave out Gravity 1.0 keys for a 22.05 target, and say so', () => {
    const d = new GravityDraft();
    const notes = addProcessFacts(d, decisions, { galaxy: '22.05' });
    expect([...d.top.keys()]).toEqual(['virtualenv', 'galaxy_root']);
    expect([...d.gunicorn.keys()]).toEqual(['workers']);
    expect(notes[1]).toMatch(/`process_manager`, `umask`, `stop_timeout`/);
  });

  it('do nothing without process-manager facts', () => {
    expect(addProcessFacts(new GravityDraft(), { forwardedAllowAll: false, legacyListeners: [], handlers: [] }, { galaxy: '23.0' })).toEqual([]);
  });
});
