"""The servicing transactions, in the order a policyholder sees them."""
from paas.servicing.kinds.accounts import NameIdCorrection, PaymentMethodChange
from paas.servicing.kinds.beneficiaries import BeneficiaryChange
from paas.servicing.kinds.contact import AddressChange, EmailChange, PhoneChange
from paas.servicing.kinds.free_look import FreeLookCancellation
from paas.servicing.kinds.fund_allocation import FundAllocationChange
from paas.servicing.kinds.fund_switch import FundSwitch
from paas.servicing.kinds.loan_repayment import LoanRepayment
from paas.servicing.kinds.partial_withdrawal import PartialWithdrawal
from paas.servicing.kinds.policy_loan import PolicyLoanRequest
from paas.servicing.kinds.preferences import (
    AutomaticPremiumLoanSwitch,
    DividendOptionChange,
    DocumentReissue,
    NoticePreference,
    PremiumModeChange,
)
from paas.servicing.kinds.reduced_paid_up import ReducedPaidUp
from paas.servicing.kinds.reinstatement import Reinstatement
from paas.servicing.kinds.sum_assured_reduction import SumAssuredReduction
from paas.servicing.kinds.surrender import FullSurrender
from paas.servicing.kinds.top_up import TopUp
from paas.servicing.kinds.withdrawals import dividend_withdrawal, survival_benefit_withdrawal

ALL = (
    AddressChange(),
    PhoneChange(),
    EmailChange(),
    NoticePreference(),
    PaymentMethodChange(),
    BeneficiaryChange(),
    DividendOptionChange(),
    PremiumModeChange(),
    AutomaticPremiumLoanSwitch(),
    dividend_withdrawal(),
    survival_benefit_withdrawal(),
    PolicyLoanRequest(),
    LoanRepayment(),
    TopUp(),
    PartialWithdrawal(),
    FundSwitch(),
    FundAllocationChange(),
    SumAssuredReduction(),
    ReducedPaidUp(),
    Reinstatement(),
    FreeLookCancellation(),
    FullSurrender(),
    NameIdCorrection(),
    DocumentReissue(),
)
