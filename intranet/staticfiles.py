"""Static files under production settings: collect what the intranet serves, compress what its
pages link to.

Pages name static files through `{% static %}`, which gives the hashed name of the manifest; the
unhashed copies stay collected (a script may still build such a path) but are not worth
compressing twice. Source maps are collected (the scripts name them, and the manifest checks
that every named file exists) but only a developer's browser tools fetch them: compressing them
took 40% of `collectstatic`'s time. Compressing everything (gzip and Brotli, originals and hashed
copies alike) made `collectstatic` take about three minutes on two cores.
"""

from whitenoise.compress import Compressor
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


NOT_COMPRESSED_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")


class IntranetStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs):
        return super().create_compressor(**{**kwargs, "extensions": NOT_COMPRESSED_EXTENSIONS})

    def compress_files(self, paths):
        hashed = set(self.hashed_files.values())
        return super().compress_files([path for path in paths if path in hashed])
