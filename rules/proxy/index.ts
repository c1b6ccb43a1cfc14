import type { Rule } from '../../src/core/rule.js';
import { apachePreserveHost } from './apache-preserve-host.js';
import { apacheProxyUwsgiModule } from './apache-proxy-uwsgi-module.js';
import { apacheProxyPassUwsgi } from './apache-proxypass-uwsgi.js';
import { apacheUrlScheme } from './apache-url-scheme.js';
import { nginxDeadTarget } from './nginx-dead-target.js';
import { nginxStaticMap } from './nginx-static-map.js';
import { nginxUpstream } from './nginx-upstream.js';
import { nginxUrlPrefix } from './nginx-url-prefix.js';
import { nginxUwsgiParam } from './nginx-uwsgi-param.js';
import { nginxUwsgiParams } from './nginx-uwsgi-params.js';
import { nginxUwsgiPass } from './nginx-uwsgi-pass.js';
import { nginxUwsgiScheme } from './nginx-uwsgi-scheme.js';
import { nginxUwsgiTuning } from './nginx-uwsgi-tuning.js';

/** The reverse-proxy rules, nginx then Apache, in the order their fixes are folded. */
export const PROXY_RULES: Rule[] = [
  nginxUwsgiPass,
  nginxUwsgiParams,
  nginxUwsgiScheme,
  nginxUrlPrefix,
  nginxUwsgiParam,
  nginxUwsgiTuning,
  nginxUpstream,
  nginxDeadTarget,
  nginxStaticMap,
  apacheProxyPassUwsgi,
  apacheProxyUwsgiModule,
  apacheUrlScheme,
  apachePreserveHost,
];
