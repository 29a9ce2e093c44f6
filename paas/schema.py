"""Imports every mapped module, so ``Base.metadata`` describes the whole database
(migrations compare against it; tests create it)."""
from iaas.jobs.database import JOBS
from iaas.ratelimit.database import COUNTERS
from paas.assets import models as _assets  # noqa: F401
from paas.audit import models as _audit  # noqa: F401
from paas.billing import models as _billing  # noqa: F401
from paas.claims import models as _claims  # noqa: F401
from paas.customers import models as _customers  # noqa: F401
from paas.cycle import models as _cycle  # noqa: F401
from paas.dividends import models as _dividends  # noqa: F401
from paas.documents import models as _documents  # noqa: F401
from paas.funds import models as _funds  # noqa: F401
from paas.loans import models as _loans  # noqa: F401
from paas.messaging import models as _messaging  # noqa: F401
from paas.messaging import sms_models as _sms  # noqa: F401
from paas.billing import pay_links as _pay_links  # noqa: F401
from paas.notices import models as _notices  # noqa: F401
from paas import numbering as _numbering  # noqa: F401
from paas.persistence import Base
from paas.policies import models as _policies  # noqa: F401
from paas.products import models as _products  # noqa: F401
from paas.security import models as _security  # noqa: F401
from paas.servicing import models as _servicing  # noqa: F401
from paas.underwriting import models as _underwriting  # noqa: F401

metadata = Base.metadata
# The sign-in counters belong to the rate-limit adapter, which writes them on its own connection.
COUNTERS.to_metadata(metadata)
# So is the job queue's table (the embedded default's), written on the caller's connection.
JOBS.to_metadata(metadata)
