"""gunicorn's access log without link secrets: the personal link's token in the request
line, the query string and the Referer (a page's own CSS and image requests carry the
page's address) is masked before the line is written."""

from gunicorn.glogging import Logger

from eventsite.redaction import mask_path_secrets


class SecretMaskingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key, value in atoms.items():
            if isinstance(value, str) and (key in {"r", "U", "q", "f"} or key.endswith("}i")):
                atoms[key] = mask_path_secrets(value)
        return atoms
