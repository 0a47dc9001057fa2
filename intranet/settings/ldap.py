"""LDAP/AD login through django-auth-ldap, switched on when LDAP_SERVER_URI is set.

Filled in by the LDAP work of the people issue; see docs/ldap.md.
"""
