import type { Rule } from '../../src/core/rule.js';
import { galaxyIniToYmlRule, iniKeptRule } from './galaxy-ini-to-yml.js';
import { iniReferencesRule } from './ini-references.js';
import { boolValueRule, interpolationRule, legacyPathRule, optionTypeRule, removedOptionRule, renamedOptionRule, unsafeValueRule } from './options.js';
import { gzipFilterRule, otherSectionsRule, serverSectionRule, unknownFactoryRule, urlPrefixRule } from './sections.js';

/** Paste-era galaxy.ini → galaxy.yml (docs/galaxy-target.md §2.8, §5). */
export const PASTE_RULES: Rule[] = [
  galaxyIniToYmlRule(),
  iniKeptRule,
  iniReferencesRule,
  urlPrefixRule,
  gzipFilterRule,
  serverSectionRule,
  unknownFactoryRule,
  otherSectionsRule,
  boolValueRule,
  optionTypeRule,
  removedOptionRule,
  renamedOptionRule,
  unsafeValueRule,
  legacyPathRule,
  interpolationRule,
];
