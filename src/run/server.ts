import { makeDocument, type Document } from '../core/document.js';
import { runRules, type EngineOptions, type EngineResult } from '../core/engine.js';
import type { ReadHost } from '../core/host.js';
import type { ReadBack, ReadCreated } from '../core/read-back.js';
import type { Deployment } from '../core/model.js';
import type { Rule } from '../core/rule.js';
import { detectKind } from '../formats/detect.js';
import { parseAs } from '../formats/parsers.js';
import { buildDeployment } from '../model/build.js';
import { decideMigration, UWSGI_EXTRACTORS } from '../model/wiring.js';
import type { WalkedFile } from './walk.js';

/** One server's files parsed, modelled and checked. */
export interface ServerRun {
  readonly deployment: Deployment;
  readonly result: EngineResult;
}

/** Parses one server's files in walk order and builds its model (the readers read includes through `readers`). */
export function loadServer(files: readonly WalkedFile[], readers: ReadHost): Deployment {
  return buildDeployment(
    files.map((f) => parseAs(f.kind, f.file, readers)),
    UWSGI_EXTRACTORS,
    decideMigration,
  );
}

/** Reads a document again from new text with its own reader, through the same confined host. */
export function readBackThrough(readers: ReadHost): ReadBack {
  return (doc, text) => parseAs(doc.kind, { ...doc.file, text }, readers);
}

/** Reads a file a plan creates with the reader the next plan's walk would pick (detectKind). */
export function readCreatedThrough(readers: ReadHost): ReadCreated {
  return (path, text) => {
    const kind = detectKind(path, text);
    return kind && parseAs(kind, { path, text, bom: text.charCodeAt(0) === 0xfeff }, readers);
  };
}

/**
 * One server from files to findings, keeping afterwards only what reports read (texts, kinds,
 * parse issues, the model's decisions and secrets): the parsed trees go as soon as the rules have
 * run, so a whole inventory is never held parsed at once (memory, and the garbage collector's
 * time, stay in proportion to one server).
 */
export function runServer(files: readonly WalkedFile[], readers: ReadHost, rules: readonly Rule[], opts: EngineOptions): ServerRun {
  const deployment = loadServer(files, readers);
  const result = runRules(deployment, rules, opts);
  return {
    deployment: {
      ...deployment,
      documents: deployment.documents.map(husk),
      // New objects for the uWSGI sections: rules cache per section (weakly) what points back at
      // the parsed deployment, and the old keys must die with it.
      uwsgi: deployment.uwsgi.map((c) => ({ ...c })),
    },
    result,
  };
}

/** A document without its tree: what a report lists (path, kind) and the issues it was read with. */
export function husk(doc: Document): Document {
  return makeDocument(doc.file, doc.kind, undefined, doc.errors);
}
