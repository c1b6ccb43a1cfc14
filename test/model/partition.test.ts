import { describe, expect, it } from 'vitest';
import { makeDocument, type FileKind } from '../../src/core/document.js';
import { partitionDocuments } from '../../src/model/partition.js';

const doc = (path: string, kind: FileKind) => makeDocument({ path, text: '', bom: false }, kind, undefined);
const paths = (groups: ReturnType<typeof partitionDocuments>) => groups.map((g) => g.map((d) => d.file.path).sort());

describe('partitionDocuments', () => {
  it('keeps one server whole: galaxy.yml, its job conf, proxy and supervisord', () => {
    const docs = [
      doc('srv/config/galaxy.yml', 'galaxy-yml'),
      doc('srv/config/job_conf.xml', 'job-conf-xml'),
      doc('srv/nginx/galaxy.conf', 'nginx'),
      doc('srv/supervisor/galaxy.conf', 'supervisor'),
    ];
    expect(paths(partitionDocuments(docs))).toEqual([docs.map((d) => d.file.path).sort()]);
  });

  it('keeps configurations of one directory together (galaxy.yml beside reports.yml)', () => {
    const docs = [doc('config/galaxy.yml', 'galaxy-yml'), doc('config/reports.yml', 'galaxy-yml'), doc('nginx/g.conf', 'nginx')];
    expect(partitionDocuments(docs)).toHaveLength(1);
  });

  it('splits an inventory of servers, each with its own files', () => {
    const docs = [
      doc('hosts/a/config/galaxy.yml', 'galaxy-yml'),
      doc('hosts/a/nginx/galaxy.conf', 'nginx'),
      doc('hosts/b/galaxy.ini', 'galaxy-ini'),
      doc('hosts/b/job_conf.xml', 'job-conf-xml'),
      doc('proxy-only/site.conf', 'nginx'),
    ];
    expect(paths(partitionDocuments(docs))).toEqual([
      ['hosts/a/config/galaxy.yml', 'hosts/a/nginx/galaxy.conf'],
      ['hosts/b/galaxy.ini', 'hosts/b/job_conf.xml'],
      ['proxy-only/site.conf'],
    ]);
  });

  it('does not split when a Galaxy configuration sits at the top of the tree', () => {
    const docs = [doc('galaxy.yml', 'galaxy-yml'), doc('a/galaxy.yml', 'galaxy-yml'), doc('b/uwsgi.ini', 'uwsgi-ini')];
    expect(partitionDocuments(docs)).toHaveLength(1);
  });
});
