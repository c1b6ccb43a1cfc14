/**
 * Galaxy options removed, renamed or unsafe around 22.01–23.0, as `config_manage.py` lists them
 * (docs/galaxy-target.md §5.2 `OPTION_ACTIONS`, GX-CM-2205 and GX-CM-NEW) and the release notes
 * (§5.3, GX-REL-2201/2205/2300).
 */
export interface RemovedOption {
  readonly release: string;
  readonly source: string;
}

const DROPPED_2205 = `use_beaker_session use_interactive session_type session_data_dir session_key session_secret
external_service_type_config_file external_service_type_path enable_sequencer_communication
run_workflow_toolform_upgrade enable_lucene_library_search fulltext_max_size fulltext_noindex_filetypes
fulltext_url enable_beta_job_managers enable_new_user_preferences force_beta_workflow_scheduled_for_collections
force_beta_workflow_scheduled_min_steps enable_beta_tool_command_isolation enable_beta_ts_api_install
tool_submission_burst_threads tool_submission_burst_at toolform_upgrade enable_beta_mulled_containers
enable_communication_server communication_server_host communication_server_port persistent_communication_rooms
legacy_eager_objectstore_initialization enable_openid openid_consumer_cache_path`;

const REMOVED_2201 = 'check_migrate_tools enable_openid force_beta_workflow_scheduled_for_collections force_beta_workflow_scheduled_min_steps openid_consumer_cache_path';
const REMOVED_2205 = 'containers_config_file enable_beta_containers_interface interactive_environment_plugins_directory mailing_lists_url qa_url search_url';

export const REMOVED: ReadonlyMap<string, RemovedOption> = (() => {
  const m = new Map<string, RemovedOption>();
  for (const k of DROPPED_2205.split(/\s+/)) m.set(k, { release: '22.05', source: 'GX-CM-2205 OPTION_ACTIONS (deprecated and dropped)' });
  for (const k of REMOVED_2201.split(/\s+/)) m.set(k, { release: '22.01', source: 'GX-REL-2201 (removed options)' });
  for (const k of REMOVED_2205.split(/\s+/)) m.set(k, { release: '22.05', source: 'GX-REL-2205 (removed options)' });
  return m;
})();

export const RENAMED: ReadonlyMap<string, { readonly to: string; readonly source: string }> = new Map([
  ['allow_library_path_paste', { to: 'allow_path_paste', source: 'GX-CM-2205 OPTION_ACTIONS (renamed)' }],
  ['trust_ipython_notebook_conversion', { to: 'trust_jupyter_notebook_conversion', source: 'GX-CM-2205 OPTION_ACTIONS (renamed)' }],
  ['master_api_key', { to: 'bootstrap_admin_api_key', source: 'GX-CM-NEW OPTION_ACTIONS (renamed; master_api_key is a deprecated alias)' }],
  ['ga4gh_service_organization_name', { to: 'organization_name', source: 'GX-CM-NEW OPTION_ACTIONS (renamed)' }],
  ['ga4gh_service_organization_url', { to: 'organization_url', source: 'GX-CM-NEW OPTION_ACTIONS (renamed)' }],
]);

/** Values `config_manage.py lint` calls unsafe for production (GX-CM-2205 OPTION_ACTIONS). */
export function unsafeValue(key: string, value: string, isTrue: (v: string) => boolean): string | undefined {
  switch (key) {
    case 'debug':
    case 'use_printdebug':
      return isTrue(value) ? `\`${key}: true\` is unsafe in production (it exposes debugging output)` : undefined;
    case 'serve_xss_vulnerable_mimetypes':
      return isTrue(value) ? '`serve_xss_vulnerable_mimetypes: true` lets datasets run JavaScript in users\' browsers' : undefined;
    case 'single_user':
      return value.trim() !== '' ? '`single_user` logs everyone in as one user: never on a shared server' : undefined;
    case 'id_secret':
      return value.trim() === 'USING THE DEFAULT IS NOT SECURE!' ? '`id_secret` is the default value: set a random one' : undefined;
    case 'master_api_key':
    case 'bootstrap_admin_api_key':
      return value.trim() === 'changethis' ? `\`${key}\` is the sample value \`changethis\`` : undefined;
    case 'history_local_serial_workflow_scheduling':
      return isTrue(value) ? '`history_local_serial_workflow_scheduling: true` serialises workflow scheduling (slow on busy servers)' : undefined;
    default:
      return undefined;
  }
}

export const LINT_DEPRECATED: ReadonlyMap<string, string> = new Map([
  ['enable_legacy_sample_tracking_api', 'deprecated (GX-CM-2205 OPTION_ACTIONS)'],
  ['track_jobs_in_database', 'deprecated: use `handling.assign: [mem-self]` in the job conf for in-memory handling (GX-HANDLERS-NEW)'],
  ['cookie_path', 'undocumented since 19.05; Galaxy sets the cookie path from galaxy_url_prefix'],
]);
