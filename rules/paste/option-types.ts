/**
 * Galaxy's option types for the values a galaxy.ini holds as text (docs/galaxy-target.md §5.1: the
 * schema `type` decides how `config_manage.py convert` writes a value). Options not listed here are
 * `str`, `any`, `seq` or `map` in the schema, or not in it at all, and stay strings.
 *
 * Source: galaxyproject/galaxy `lib/galaxy/config/schemas/config_schema.yml` (the `galaxy:` mapping),
 * read at commit 003dbdbd51f24e8879f8f3d9973e0e6ea3a89af1; every `type: bool`, `type: int` and
 * `type: float` option is listed.
 */
export type OptionType = 'bool' | 'int' | 'float';

const BOOL = `
database_engine_option_server_side_cursors database_query_profiling_proxy database_log_query_counts
enable_per_request_sql_debugging database_auto_migrate database_wait conda_debug conda_use_local
conda_auto_install conda_auto_init conda_copy_dependencies use_cached_dependency_manager
precache_dependencies enable_mulled_containers involucro_auto_init enable_tool_shed_check
sniff_compressed_dynamic_datatypes_default datatypes_disable_auto check_job_script_integrity
biotools_use_api object_store_always_respect_user_selection smtp_ssl user_activation_on
enable_account_interface enable_old_display_applications aws_estimate carbon_emission_estimates
interactivetools_enable interactivetools_upstream_proxy retry_interactivetool_metadata_internally
visualizations_visible message_box_visible display_galaxy_brand static_enabled apache_xsendfile
upstream_gzip upstream_mod_zip dynamic_proxy_manage dynamic_proxy_debug dynamic_proxy_external_proxy
auto_configure_logging database_engine_option_echo database_engine_option_echo_pool log_events
log_actions fluent_log sanitize_all_html serve_xss_vulnerable_mimetypes trust_jupyter_notebook_conversion
debug use_access_logging_middleware use_lint use_profile use_printdebug use_heartbeat statsd_influxdb
statsd_mock_calls user_library_import_dir_auto_creation user_library_import_check_permissions
allow_path_paste tool_enable_ngram_search use_remote_user normalize_remote_user_email require_login
show_welcome_with_login prefer_custos_login allow_user_creation allow_user_deletion
allow_user_impersonation show_user_prepopulate_form allow_user_dataset_purge
new_user_dataset_access_role_default_private expose_user_name expose_user_email enable_beta_gdpr
enable_beta_workflow_modules parallelize_workflow_scheduling_within_histories
history_local_serial_workflow_scheduling enable_oidc enable_tool_tags enable_unique_workflow_defaults
ftp_upload_purge enable_quotas expose_dataset_path enable_tool_source_display
expose_potentially_sensitive_job_metrics enable_legacy_sample_tracking_api enable_data_manager_user_view
track_jobs_in_database use_tasked_jobs retry_metadata_internally outputs_to_working_directory
enable_beta_markdown_export workflow_scheduling_separate_materialization_iteration cache_user_job_count
toolbox_auto_sort enable_celery_tasks use_pbkdf2 enable_tool_recommendations
overwrite_model_recommendations display_builtin_converters enable_beacon_integration
tool_training_recommendations enable_notification_system enable_help_forum_tool_panel_integration
file_source_webdav_use_temp_files install_tool_dependencies install_repository_dependencies
install_resolver_dependencies enable_failed_jobs_working_directory_cleanup
`;

const INT = `
database_engine_option_pool_size database_engine_option_max_overflow database_engine_option_pool_recycle
database_wait_attempts history_audit_table_prune_interval maximum_upload_file_size
short_term_storage_default_duration short_term_storage_maximum_duration
short_term_storage_cleanup_interval hours_between_check check_job_script_integrity_count
mulled_resolution_cache_expire object_store_cache_monitor_interval object_store_cache_size
activation_grace_period password_expiration_period session_duration galaxy_infrastructure_web_port
static_cache_time display_chunk_size chunk_upload_size dynamic_proxy_bind_port
dynamic_proxy_golang_noaccess dynamic_proxy_golang_clean_interval log_rotate_count fluent_port
monitor_thread_join_timeout heartbeat_interval statsd_port tool_search_limit tool_ngram_minsize
tool_ngram_maxsize maximum_workflow_invocation_duration maximum_workflow_jobs_per_scheduling_iteration
flush_per_n_datasets max_discovered_files local_task_queue_workers max_metadata_value_size
retry_job_output_collection select_type_workflow_threshold topk_recommendations
expired_notifications_cleanup_interval dispatch_notifications_interval file_source_listings_expiry_time
failed_jobs_working_directory_cleanup_days failed_jobs_working_directory_cleanup_interval
`;

const FLOAT = `
slow_query_log_threshold database_wait_sleep check_job_script_integrity_sleep power_usage_effectiveness
sentry_traces_sample_rate tool_name_boost tool_name_exact_multiplier tool_id_boost tool_section_boost
tool_description_boost tool_label_boost tool_stub_boost tool_help_boost tool_help_bm25f_k1
tool_ngram_factor job_handler_monitor_sleep job_runner_monitor_sleep workflow_monitor_sleep
celery_user_rate_limit
`;

/**
 * Options of the schema that are strings (a selection: the ones Paste-era galaxy.ini files set
 * most), so that they are not reported as unknown. Same source as above.
 */
const STR = `
config_dir managed_config_dir data_dir templates_dir cache_dir database_connection database_template
install_database_connection file_path new_file_path tool_config_file shed_tool_config_file
migrated_tools_config integrated_tool_panel_config tool_path tool_dependency_dir
dependency_resolvers_config_file conda_prefix conda_exec conda_ensure_channels tool_sheds_config_file
watch_tools watch_job_rules watch_core_config watch_tours tool_data_table_config_path
shed_tool_data_table_config tool_data_path shed_tool_data_path watch_tool_data_dir
build_sites_config_file builds_file_path len_file_path datatypes_config_file
visualization_plugins_directory tour_config_dir webhooks_dir job_working_directory template_cache_path
default_job_shell citation_cache_type citation_cache_data_dir citation_cache_lock_dir
object_store_config_file object_store_store_by smtp_server smtp_username smtp_password
mailing_join_addr error_email_to email_from instance_resource_url email_domain_blocklist_file
registration_warning_message ga_code display_servers interactivetools_map interactivetools_prefix
message_box_content message_box_class brand pretty_datetime_format user_preferences_extra_conf_path
default_locale galaxy_url_prefix galaxy_infrastructure_url welcome_url logo_url logo_src helpsite_url
wiki_url support_url citation_url terms_url static_dir static_images_dir static_favicon_dir
static_scripts_dir static_style_dir static_robots_txt nginx_x_accel_redirect_base x_frame_options
nginx_upload_store nginx_upload_path nginx_upload_job_files_store nginx_upload_job_files_path
tus_upload_store dynamic_proxy dynamic_proxy_session_map dynamic_proxy_bind_ip dynamic_proxy_prefix
log_destination log_rotate_size log_level sanitize_allowlist_file allowed_origin_hostnames sentry_dsn
statsd_host statsd_prefix library_import_dir user_library_import_dir user_library_import_symlink_allowlist
disable_library_comptypes tool_test_data_directories id_secret remote_user_maildomain remote_user_header
remote_user_secret remote_user_logout_href post_user_logout_href single_user admin_users
fetch_url_allowlist auth_config_file api_allow_run_as bootstrap_admin_api_key organization_name
organization_url ftp_upload_site ftp_upload_dir ftp_upload_dir_identifier ftp_upload_dir_template
job_metrics_config_file data_manager_config_file shed_data_manager_config_file
galaxy_data_manager_data_path job_config_file default_job_resubmission_condition metadata_strategy
cleanup_job drmaa_external_runjob_script drmaa_external_killjob_script external_chown_script
real_system_username environment_setup_file job_resource_params_file workflow_resource_params_file
workflow_resource_params_mapper workflow_schedulers_config_file tool_filters tool_label_filters
tool_section_filters user_tool_filters user_tool_section_filters user_tool_label_filters
amqp_internal_connection cookie_domain tool_destinations_config_file vault_config_file
oidc_config_file oidc_backends_config_file containers_resolvers_config_file
container_resolvers_config_file preserve_python_environment heartbeat_log sentry_event_level
`;

const words = (s: string): string[] => s.split(/\s+/).filter((w) => w !== '');

export const OPTION_TYPES: ReadonlyMap<string, OptionType> = new Map<string, OptionType>([
  ...words(BOOL).map((k) => [k, 'bool'] as const),
  ...words(INT).map((k) => [k, 'int'] as const),
  ...words(FLOAT).map((k) => [k, 'float'] as const),
]);

export const KNOWN_STRINGS: ReadonlySet<string> = new Set(words(STR));

/**
 * Galaxy's own reading of a boolean under Paste (`galaxy.util.string_as_bool`): true for `true`,
 * `yes`, `on` and `1`, in any case; false for anything else.
 */
export function stringAsBool(v: string): boolean {
  return ['true', 'yes', 'on', '1'].includes(v.trim().toLowerCase());
}

/** `config_manage.py convert` (`_parse_option_value`): only `true`, in any case, is true. */
export function convertBool(v: string): boolean {
  return v.trim().toLowerCase() === 'true';
}

/**
 * Options whose relative paths Galaxy resolves against `config_dir` or `data_dir` (the schema's
 * `path_resolves_to`, same source). Galaxy strips a leading `config/` or `database/` from them
 * with a warning (`GalaxyAppConfiguration.deprecated_dirs`, lib/galaxy/config/__init__.py
 * `strip_deprecated_dir`): Paste-era values such as `job_config_file = config/job_conf.xml` meant the
 * file in the config directory.
 */
export const RESOLVES_TO: ReadonlyMap<string, 'config_dir' | 'data_dir'> = new Map<string, 'config_dir' | 'data_dir'>([
  ...words(`templates_dir tool_config_file dependency_resolvers_config_file local_conda_mapping_file
    modules_mapping_files tool_sheds_config_file file_sources_config_file object_store_templates_config_file
    file_source_templates_config_file tool_data_table_config_path build_sites_config_file datatypes_config_file
    object_store_config_file email_ban_file trs_servers_config_file user_preferences_extra_conf_path
    oidc_config_file oidc_backends_config_file auth_config_file job_metrics_config_file data_manager_config_file
    job_config_file markdown_export_css markdown_export_css_pages markdown_export_css_invocation_reports
    job_resource_params_file workflow_resource_params_file workflow_schedulers_config_file
    admin_tool_recommendations_path error_report_file tool_destinations_config_file vault_config_file
    themes_config_file`).map((k) => [k, 'config_dir'] as const),
  ...words('cache_dir file_path new_file_path tool_dependency_dir tool_search_index_dir edam_toolbox_ontology_path interactivetools_map dynamic_proxy_session_map').map(
    (k) => [k, 'data_dir'] as const,
  ),
]);

export const DEPRECATED_DIRS: Readonly<Record<'config_dir' | 'data_dir', string>> = { config_dir: 'config', data_dir: 'database' };

/** The value Galaxy uses after `strip_deprecated_dir` (comma lists item by item), or undefined if unchanged. */
export function stripDeprecatedDir(key: string, value: string): string | undefined {
  const to = RESOLVES_TO.get(key);
  if (!to) return undefined;
  const dir = `${DEPRECATED_DIRS[to]}/`;
  const items = value.split(',').map((s) => s.trim());
  if (!items.some((p) => p.startsWith(dir))) return undefined;
  return items.map((p) => (p.startsWith(dir) ? p.slice(dir.length) : p)).join(',');
}
