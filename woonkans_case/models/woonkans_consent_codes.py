"""Codes of the consent categories and of the consent condition, shared by models that import no model."""

# The checklist condition that says "the client consented"; it follows the consent records.
CONSENT_CONDITION_CODE = "consent"
# The categories the record rules and the portal name by code (security/woonkans_case_security.xml).
CATEGORY_BASICS = "basics"
CATEGORY_CONDITIONS = "conditions"
CATEGORY_PLAN = "plan"
CATEGORY_DOCUMENTS = "documents"
CATEGORY_LIFE_DOMAINS = "life_domains"
# What a consent covers when nothing else is said: everything but the life domains,
# which are special-category data and never reach the portal.
DEFAULT_CATEGORIES = (CATEGORY_BASICS, CATEGORY_CONDITIONS, CATEGORY_PLAN, CATEGORY_DOCUMENTS)
