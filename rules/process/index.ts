import type { Rule } from '../../src/core/rule.js';
import { ansibleSystemdModeRule } from './ansible-systemd-mode.js';
import { gravitySettingsRule } from './gravity-settings.js';
import { handlerNamesRule } from './handler-names.js';
import { supervisorProgramsRule } from './supervisor-programs.js';
import { systemdUnitClashRule } from './systemd-unit-clash.js';
import { systemdUnitsRule } from './systemd-units.js';

/** supervisord programs and systemd units → Gravity-managed services (docs/galaxy-target.md §6). */
export const PROCESS_RULES: Rule[] = [supervisorProgramsRule, systemdUnitsRule, gravitySettingsRule, handlerNamesRule, systemdUnitClashRule, ansibleSystemdModeRule];
