"""Optional LDAP / Active Directory login through django-auth-ldap (see docs/ldap.md).

base.py imports this module only when LDAP_SERVER_URI is set. Local accounts keep working: the
directory is asked first, then the local password.
"""

import ldap
from django_auth_ldap.config import LDAPSearch

from .environment import EnvironmentSettingError, env_bool, env_str

AUTH_LDAP_SERVER_URI = env_str("LDAP_SERVER_URI")
if not AUTH_LDAP_SERVER_URI.startswith(("ldap://", "ldaps://")):
    raise EnvironmentSettingError("LDAP_SERVER_URI", "expected ldap://host:389 or ldaps://host:636")

# Empty bind DN and password: the search runs anonymously.
AUTH_LDAP_BIND_DN = env_str("LDAP_BIND_DN", "")
AUTH_LDAP_BIND_PASSWORD = env_str("LDAP_BIND_PASSWORD", "")

_user_filter = env_str("LDAP_USER_FILTER", "(uid=%(user)s)")
if "%(user)s" not in _user_filter:
    raise EnvironmentSettingError(
        "LDAP_USER_FILTER", "must contain %(user)s, e.g. (sAMAccountName=%(user)s)"
    )
AUTH_LDAP_USER_SEARCH = LDAPSearch(
    env_str("LDAP_USER_SEARCH_BASE"), ldap.SCOPE_SUBTREE, _user_filter
)

AUTH_LDAP_USER_ATTR_MAP = {
    "name": env_str("LDAP_ATTR_NAME", "cn"),
    "email": "mail",
    "mobile": "mobile",
}
AUTH_LDAP_ALWAYS_UPDATE_USER = env_bool("LDAP_ALWAYS_UPDATE_USER", True)

AUTH_LDAP_START_TLS = env_bool("LDAP_START_TLS", False)
# Active Directory answers searches at the domain root with referrals that python-ldap would
# chase anonymously and fail on; not chasing them is harmless for other directories.
AUTH_LDAP_CONNECTION_OPTIONS = {ldap.OPT_REFERRALS: 0}
_ca_file = env_str("LDAP_CA_FILE", "")
if _ca_file:
    AUTH_LDAP_CONNECTION_OPTIONS |= {
        ldap.OPT_X_TLS_CACERTFILE: _ca_file,
        ldap.OPT_X_TLS_REQUIRE_CERT: ldap.OPT_X_TLS_DEMAND,
        # Must come last: it builds the TLS context from the options set before it.
        ldap.OPT_X_TLS_NEWCTX: 0,
    }

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out accounts before any directory or password check.
    "axes.backends.AxesStandaloneBackend",
    "django_auth_ldap.backend.LDAPBackend",
    "people.backends.AccountBackend",
]
