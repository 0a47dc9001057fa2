"""Static files under production settings: collect what the intranet serves, compress what its
pages link to.

Pages name static files through `{% static %}`, which gives the hashed name of the manifest; the
unhashed copies stay collected (a script may still build such a path) but are not worth
compressing twice. Compressing everything (gzip and Brotli, originals and hashed copies alike)
made `collectstatic` take about three minutes on two cores.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage

# Shipped by installed packages, never served by the intranet: viewflow's Plotly Dash dashboards,
# its brand-icon font (used by its own login and profile screens, which the intranet replaces) and
# its Swagger skin, and django-ninja's ReDoc (the API documentation uses Swagger UI).
NOT_SERVED = [
    "viewflow/js/contrib/*",
    "viewflow/css/contrib/*",
    "viewflow/fonts/simple-icons/*",
    "ninja/redoc.standalone.js*",
]


class IntranetStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def compress_files(self, paths):
        hashed = set(self.hashed_files.values())
        return super().compress_files([path for path in paths if path in hashed])
