"""Imports every mapped module, so ``Base.metadata`` describes the whole database
(migrations compare against it; tests create it)."""
from paas.audit import models as _audit  # noqa: F401
from paas.customers import models as _customers  # noqa: F401
from paas.messaging import models as _messaging  # noqa: F401
from paas import numbering as _numbering  # noqa: F401
from paas.persistence import Base
from paas.policies import models as _policies  # noqa: F401
from paas.products import models as _products  # noqa: F401
from paas.security import models as _security  # noqa: F401

metadata = Base.metadata
