/**
 * Which environment variables a `system.run` child may receive: the node's own environment
 * minus loader/interpreter hooks and clawgate/OpenClaw secrets, plus the request's `env`
 * overrides, of which PATH, loader/interpreter hooks and redirections (HOME, proxies, package
 * indexes, credentials, …) are refused.
 *
 * The key lists are OpenClaw's host exec env policy (`src/infra/host-env-security-policy.json`
 * in openclaw/openclaw, as shipped in openclaw@2026.9.6); names compare case-insensitively.
 * @module
 */

/** Never passed to a child, inherited or requested (interpreter and loader hooks). */
// deno-fmt-ignore
const BLOCKED_KEYS: readonly string[] = [
  "NODE_OPTIONS", "NODE_PATH", "NODE_REDIRECT_WARNINGS", "NODE_REPL_EXTERNAL_MODULE",
  "NODE_REPL_HISTORY", "NODE_V8_COVERAGE", "PYTHONHOME", "PYTHONPATH", "PERL5LIB", "PERL5OPT",
  "RUBYLIB", "RUBYOPT", "BASHOPTS", "BASH_ENV", "ENV", "KSH_ENV", "BROWSER", "GIT_ALLOW_PROTOCOL",
  "GIT_EDITOR", "GIT_EXTERNAL_DIFF", "GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR",
  "GIT_EXEC_PATH", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
  "GIT_NAMESPACE", "GIT_PROTOCOL_FROM_USER", "GIT_SEQUENCE_EDITOR", "GIT_TEMPLATE_DIR",
  "GIT_SSL_NO_VERIFY", "GIT_SSL_CAINFO", "GIT_SSL_CAPATH", "CC", "CPP", "CXX", "CXXCPP",
  "CARGO_BUILD_RUSTC", "CARGO_BUILD_RUSTC_WRAPPER", "CARGO_BUILD_RUSTC_WORKSPACE_WRAPPER",
  "CARGO_BUILD_RUSTDOC", "RUSTC", "RUSTC_WRAPPER", "RUSTC_WORKSPACE_WRAPPER", "RUSTDOC",
  "CMAKE_C_COMPILER", "CMAKE_CXX_COMPILER", "SHELL", "SHELLOPTS", "PS4", "GCONV_PATH", "IFS",
  "SSLKEYLOGFILE", "JAVA_OPTS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS",
  "PYTHONBREAKPOINT", "DOTNET_STARTUP_HOOKS", "DOTNET_ADDITIONAL_DEPS", "FPATH", "GLIBC_TUNABLES",
  "MAVEN_OPTS", "MAKE", "MAKEFLAGS", "MFLAGS", "SBT_OPTS", "GRADLE_OPTS", "ANT_OPTS", "HGRCPATH",
  "HGEDITOR", "HGMERGE", "EXINIT", "VIMINIT", "MYVIMRC", "GVIMINIT", "LUA_INIT", "LUA_INIT_5_1",
  "LUA_INIT_5_2", "LUA_INIT_5_3", "LUA_INIT_5_4", "EMACSLOADPATH", "RUBYSHELL", "GIT_HOOK_PATH",
  "SVN_EDITOR", "SVN_SSH", "BZR_EDITOR", "BZR_SSH", "BZR_PLUGIN_PATH", "SUDO_ASKPASS",
  "JULIA_EDITOR", "CONFIG_SITE", "CONFIG_SHELL", "CMAKE_TOOLCHAIN_FILE", "CATALINA_OPTS",
  "CORECLR_PROFILER", "HELM_PLUGINS", "PACKER_PLUGIN_PATH", "VAGRANT_VAGRANTFILE", "ERL_AFLAGS",
  "ERL_FLAGS", "ERL_ZFLAGS", "ELIXIR_ERL_OPTIONS", "R_ENVIRON", "R_PROFILE", "R_ENVIRON_USER",
  "R_PROFILE_USER", "TCLLIBPATH", "HOSTALIASES",
];

/** Prefixes never passed to a child (`LD_PRELOAD`, `DYLD_INSERT_LIBRARIES`, exported bash functions). */
// deno-fmt-ignore
const BLOCKED_PREFIXES: readonly string[] = [
  "DYLD_", "LD_", "BASH_FUNC_",
];

/** Refused as request overrides (they redirect config, credentials or downloads). */
// deno-fmt-ignore
const BLOCKED_OVERRIDE_KEYS: readonly string[] = [
  "HOME", "GRADLE_USER_HOME", "ZDOTDIR", "GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR",
  "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE",
  "GIT_SSH_COMMAND", "GIT_SSH", "GIT_PROXY_COMMAND", "GIT_ASKPASS", "GIT_SSL_NO_VERIFY",
  "GIT_SSL_CAINFO", "GIT_SSL_CAPATH", "SSH_ASKPASS", "LESSOPEN", "LESSCLOSE", "PAGER", "MANPAGER",
  "GIT_PAGER", "EDITOR", "VISUAL", "FCEDIT", "SUDO_EDITOR", "PROMPT_COMMAND", "HISTFILE",
  "PERL5DB", "PERL5DBCMD", "OPENSSL_CONF", "OPENSSL_ENGINES", "PYTHONSTARTUP", "WGETRC",
  "CURL_HOME", "CLASSPATH", "CFLAGS", "CGO_CFLAGS", "CGO_LDFLAGS", "GOFLAGS", "MAKEFLAGS",
  "MFLAGS", "CORECLR_PROFILER_PATH", "PHPRC", "PHP_INI_SCAN_DIR", "DENO_DIR",
  "BUN_CONFIG_REGISTRY", "YARN_RC_FILENAME", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY",
  "NODE_TLS_REJECT_UNAUTHORIZED", "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR",
  "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH",
  "PIP_INDEX_URL", "PIP_PYPI_URL", "PIP_EXTRA_INDEX_URL", "PIP_CONFIG_FILE", "PIP_FIND_LINKS",
  "PIP_TRUSTED_HOST", "UV_INDEX", "UV_INDEX_URL", "UV_PYTHON", "UV_EXTRA_INDEX_URL",
  "UV_DEFAULT_INDEX", "DOCKER_CONTEXT", "LIBRARY_PATH", "LDFLAGS", "CPATH", "C_INCLUDE_PATH",
  "CPLUS_INCLUDE_PATH", "OBJC_INCLUDE_PATH", "GOPROXY", "GONOSUMCHECK", "GONOSUMDB", "GONOPROXY",
  "GOPRIVATE", "GOENV", "GOPATH", "HGRCPATH", "PYTHONUSERBASE", "RUSTC_WRAPPER", "RUSTFLAGS",
  "RUSTUP_DIST_ROOT", "RUSTUP_DIST_SERVER", "RUSTUP_HOME", "RUSTUP_TOOLCHAIN",
  "RUSTUP_UPDATE_ROOT", "CARGO_HOME", "VIRTUAL_ENV", "LUA_PATH", "LUA_CPATH", "GEM_HOME",
  "GEM_PATH", "BUNDLE_GEMFILE", "COMPOSER_HOME", "CONDA_DEFAULT_ENV", "CONDA_PREFIX",
  "CARGO_BUILD_RUSTC_WRAPPER", "XDG_CACHE_HOME", "XDG_CONFIG_DIRS", "XDG_CONFIG_HOME",
  "XDG_DATA_DIRS", "XDG_DATA_HOME", "XDG_RUNTIME_DIR", "XDG_STATE_HOME", "AWS_CONFIG_FILE",
  "KUBECONFIG", "GOOGLE_APPLICATION_CREDENTIALS", "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_WEB_IDENTITY_TOKEN_FILE", "AZURE_AUTH_LOCATION", "HELM_HOME", "ANSIBLE_CONFIG",
  "ANSIBLE_LIBRARY", "ANSIBLE_CALLBACK_PLUGINS", "ANSIBLE_COLLECTIONS_PATH",
  "ANSIBLE_CONNECTION_PLUGINS", "ANSIBLE_FILTER_PLUGINS", "ANSIBLE_INVENTORY_PLUGINS",
  "ANSIBLE_LOOKUP_PLUGINS", "ANSIBLE_MODULE_UTILS", "ANSIBLE_REMOTE_TEMP", "ANSIBLE_ROLES_PATH",
  "ANSIBLE_STRATEGY_PLUGINS", "R_LIBS_USER", "TF_CLI_CONFIG_FILE", "TF_PLUGIN_CACHE_DIR",
  "AMQP_URL", "AWS_ACCESS_KEY_ID", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_SECRET_ACCESS_KEY", "AWS_SECURITY_TOKEN",
  "AWS_SESSION_TOKEN", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "DATABASE_URL", "GH_TOKEN",
  "GITHUB_TOKEN", "GITLAB_TOKEN", "MONGODB_URI", "NODE_AUTH_TOKEN", "NPM_TOKEN", "REDIS_URL",
  "SSH_AUTH_SOCK", "SYSTEMROOT", "WINDIR",
];

/** Prefixes refused as request overrides. */
// deno-fmt-ignore
const BLOCKED_OVERRIDE_PREFIXES: readonly string[] = [
  "GIT_CONFIG_", "NPM_CONFIG_", "CARGO_REGISTRIES_", "TF_VAR_",
];

/** Override-refused keys a child may still inherit from the node's own environment. */
// deno-fmt-ignore
const INHERITED_OK_KEYS: readonly string[] = [
  "ALL_PROXY", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AZURE_AUTH_LOCATION", "CURL_CA_BUNDLE", "DOCKER_CERT_PATH", "DOCKER_CONTEXT", "DOCKER_HOST",
  "DOCKER_TLS_VERIFY", "GIT_PAGER", "GOOGLE_APPLICATION_CREDENTIALS", "GRADLE_USER_HOME",
  "HISTFILE", "HOME", "HTTPS_PROXY", "HTTP_PROXY", "KUBECONFIG", "MANPAGER",
  "NODE_EXTRA_CA_CERTS", "NODE_TLS_REJECT_UNAUTHORIZED", "NO_PROXY", "PAGER",
  "REQUESTS_CA_BUNDLE", "RUSTUP_DIST_ROOT", "RUSTUP_DIST_SERVER", "RUSTUP_HOME",
  "RUSTUP_TOOLCHAIN", "RUSTUP_UPDATE_ROOT", "SSH_AUTH_SOCK", "SSL_CERT_DIR", "SSL_CERT_FILE",
  "SYSTEMROOT", "WINDIR", "XDG_CACHE_HOME", "XDG_CONFIG_DIRS", "XDG_CONFIG_HOME", "XDG_DATA_DIRS",
  "XDG_DATA_HOME", "XDG_RUNTIME_DIR", "XDG_STATE_HOME", "ZDOTDIR",
];

const upper = (keys: readonly string[]) => new Set(keys.map((k) => k.toUpperCase()));
const BLOCKED = upper(BLOCKED_KEYS);
const BLOCKED_OVERRIDE = upper(BLOCKED_OVERRIDE_KEYS);
const INHERITED_OK = upper(INHERITED_OK_KEYS);
const PORTABLE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** clawgate/OpenClaw variables that hold (or name files holding) secrets. */
const NODE_SECRET_KEY = /^(CLAWGATE|OPENCLAW)_.*(TOKEN|PASSWORD|SECRET|KEY)/;

/** Whether `key` may never reach a child (loader/interpreter hook). */
function isBlocked(key: string): boolean {
  const k = key.toUpperCase();
  return BLOCKED.has(k) || BLOCKED_PREFIXES.some((p) => k.startsWith(p));
}

/** Whether a node-inherited variable is dropped before a child starts. */
function dropInherited(key: string): boolean {
  const k = key.toUpperCase();
  return isBlocked(k) || NODE_SECRET_KEY.test(k) ||
    (BLOCKED_OVERRIDE.has(k) && !INHERITED_OK.has(k));
}

/** Why request overrides were refused: sorted key names. */
export interface EnvOverrideRejection {
  blocked: string[];
  invalid: string[];
}

/**
 * Checks a request's `env` overrides.
 *
 * @returns `null` when every key may be set, else the refused keys (upper-cased): `PATH`,
 *   loader/interpreter hooks and redirections are `blocked`; names that are not portable
 *   (`[A-Za-z_][A-Za-z0-9_]*`) are `invalid`.
 */
export function checkEnvOverrides(
  overrides: Record<string, string> | undefined,
): EnvOverrideRejection | null {
  const blocked = new Set<string>();
  const invalid = new Set<string>();
  for (const key of Object.keys(overrides ?? {})) {
    const k = key.toUpperCase();
    if (!PORTABLE_KEY.test(key)) invalid.add(key);
    else if (
      k === "PATH" || isBlocked(k) || BLOCKED_OVERRIDE.has(k) ||
      BLOCKED_OVERRIDE_PREFIXES.some((p) => k.startsWith(p)) ||
      /^CARGO_TARGET_[A-Z0-9_]+_(LINKER|RUNNER)$/.test(k)
    ) {
      blocked.add(k);
    }
  }
  return blocked.size || invalid.size
    ? { blocked: [...blocked].sort(), invalid: [...invalid].sort() }
    : null;
}

/** The refusal message for {@linkcode checkEnvOverrides} (OpenClaw's `SYSTEM_RUN_DENIED` wording). */
export function envRejectionMessage(r: EnvOverrideRejection): string {
  const parts = [];
  if (r.blocked.length) parts.push(`blocked override keys: ${r.blocked.join(", ")}`);
  if (r.invalid.length) parts.push(`invalid non-portable override keys: ${r.invalid.join(", ")}`);
  return `SYSTEM_RUN_DENIED: environment override rejected (${parts.join("; ")})`;
}

/**
 * The complete environment of a `system.run` child: `nodeEnv` without loader/interpreter
 * hooks and `CLAWGATE_*`/`OPENCLAW_*` secrets, then `overrides` (already checked with
 * {@linkcode checkEnvOverrides}).
 */
export function childEnv(
  nodeEnv: Record<string, string>,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(nodeEnv)) if (!dropInherited(k)) env[k] = v;
  return { ...env, ...overrides };
}
