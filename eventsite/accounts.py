from allauth.account.adapter import DefaultAccountAdapter


class ClosedSignupAccountAdapter(DefaultAccountAdapter):
    """Accounts exist for speakers and organisers, who are invited; attendees need none."""

    def is_open_for_signup(self, request):
        return False
