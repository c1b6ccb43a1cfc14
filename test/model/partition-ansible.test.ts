import { describe, expect, it } from 'vitest';
import { makeDocument, type FileKind } from '../../src/core/document.js';
import { partitionDocuments } from '../../src/model/partition.js';

const doc = (path: string, kind: FileKind) => makeDocument({ path, text: '', bom: false }, kind, undefined);
const paths = (groups: ReturnType<typeof partitionDocuments>) => groups.map((g) => g.map((d) => d.file.path).sort());

describe('partitionDocuments: an ansible playbook is one deployment', () => {
  // group_vars/ and host_vars/ beside templates/ and files/ that hold two Galaxy configurations
  // (a galaxy.yml template and a uWSGI file): without the playbook rule they were split three ways.
  const playbook = [
    doc('site/group_vars/galaxyservers.yml', 'ansible-vars'),
    doc('site/host_vars/web1.example.org.yml', 'ansible-vars'),
    doc('site/host_vars/web2/main.yml', 'ansible-vars'),
    doc('site/templates/galaxy/config/galaxy.yml.j2', 'galaxy-yml'),
    doc('site/files/galaxy/uwsgi.ini', 'uwsgi-ini'),
    doc('site/templates/nginx/galaxy.j2', 'nginx'),
  ];

  it('keeps group_vars, host_vars, templates and files of one playbook together', () => {
    expect(paths(partitionDocuments(playbook))).toEqual([playbook.map((d) => d.file.path).sort()]);
  });

  it('still splits two playbooks that each hold their own Galaxy configuration', () => {
    const other = playbook.map((d) => doc(d.file.path.replace(/^site\//, 'staging/'), d.kind));
    const groups = paths(partitionDocuments([...playbook, ...other]));
    expect(groups).toEqual([playbook.map((d) => d.file.path).sort(), other.map((d) => d.file.path).sort()]);
  });

  it('a tree without group_vars/host_vars is split as before', () => {
    const docs = [doc('site/templates/galaxy.yml.j2', 'galaxy-yml'), doc('site/files/uwsgi.ini', 'uwsgi-ini')];
    expect(partitionDocuments(docs)).toHaveLength(2);
  });
});
