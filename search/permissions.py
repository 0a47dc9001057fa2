"""Who may do what with the search: administering it is for system administrators."""

from people.permissions import is_system_admin


def can_administer_search(user) -> bool:
    """The status screen, best bets and the zero-result statistics."""
    return is_system_admin(user)
