"""The SMS commands, in the order the help text lists them."""
from saas.sms.commands.help import HELP
from saas.sms.commands.pay import PAY
from saas.sms.commands.queries import CLAIM, DIV, DUE, POL, VAL
from saas.sms.commands.subscription import START, STOP
from saas.sms.commands.withdraw import CODE, WD

ALL = (HELP, POL, DUE, PAY, VAL, DIV, CLAIM, WD, STOP, START, CODE)
