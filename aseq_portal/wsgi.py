import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aseq_portal.settings.production")

from aseq_portal.startup import APP_LOAD_ERROR, refuse_unsafe_start

# Without valid keys (or with published ones in production) nothing is served:
# one line says why, and gunicorn stops instead of restarting workers forever.
refuse_unsafe_start("aseq-portal web", exit_code=APP_LOAD_ERROR)

application = get_wsgi_application()
