"""The actuarial engine (精算引擎): mortality tables, pricing bases and net premiums.

    basis = LifeTable.susm().at(interest=0.05)
    basis.annuity_due(40, 20), basis.insurance(40), basis.endowment(40, 20)
    net_annual_premium(basis, 40, Decimal("100000"))      # Decimal('655.87')

Mortality and commutation maths is float (published tables are rounded floats themselves);
money comes out as Decimal, rounded once to the fen."""
from paas.actuarial.basis import Basis
from paas.actuarial.life_tables import CL_2010_2013, LifeTable
from paas.actuarial.premiums import net_annual_premium

__all__ = ["CL_2010_2013", "Basis", "LifeTable", "net_annual_premium"]
